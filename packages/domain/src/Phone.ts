import { Schema } from "effect"
import { type PhoneNumber, parsePhoneNumberFromString } from "libphonenumber-js/max"
import type { PhoneCountry } from "./PhoneCountry.ts"
import { readPhoneText } from "./PhoneText.ts"

/**
 * A phone number as stored: the raw input always, the E.164 form and a display form only when
 * libphonenumber says the number is valid, the country it belongs to and the extension.
 */
export const Phone = Schema.Struct({
  raw: Schema.String,
  e164: Schema.NullOr(Schema.String),
  display: Schema.NullOr(Schema.String),
  country: Schema.NullOr(Schema.String),
  extension: Schema.NullOr(Schema.String)
})
export type Phone = typeof Phone.Type

/** A note about one phone cell; the cell is written anyway (spec §5). */
export interface PhoneIssue {
  readonly code:
    | "PHONE_INVALID"
    | "PHONE_NOT_E164"
    | "PHONE_SCIENTIFIC_NOTATION"
    | "PHONE_PLACEHOLDER"
    | "PHONE_EXTRA_TEXT"
    | "PHONE_MULTIPLE_NUMBERS"
  readonly message: string
}

/** The phone to store (null for a placeholder, which is a blank cell) and what to warn. */
export interface PhoneResult {
  readonly phone: Phone | null
  readonly issues: ReadonlyArray<PhoneIssue>
}

const shown = (value: string): string => (value.length > 60 ? `${value.slice(0, 57)}...` : value)

const unparsed = (raw: string, extension: string | null): Phone => ({
  raw,
  e164: null,
  display: null,
  country: null,
  extension
})

const options = (country: PhoneCountry) =>
  country._tag === "Country"
    ? { defaultCountry: country.country }
    : { defaultCallingCode: country.callingCode }

/** `(+44) 20…` and `0044 20…` written the way the library reads them. */
const international = (number: string): string =>
  number.replace(/^\(\s*\+\s*(\d{1,3})\s*\)/u, "+$1").replace(/^00\s*(?=[1-9])/u, "+")

/**
 * Parses the number part of a cell. A national number that is not valid in the country but
 * starts with the country's own calling code is read once more with a `+` in front, because
 * spreadsheets drop the `+` (`447400123458` in `GB`). A number of another country never is.
 */
const parseValid = (number: string, country: PhoneCountry): PhoneNumber | null => {
  const written = international(number)
  const parsed = parsePhoneNumberFromString(written, options(country))
  if (parsed?.isValid()) return parsed
  if (written.startsWith("+")) return null
  const digits = written.replace(/\D/gu, "")
  if (!digits.startsWith(country.callingCode) || digits.length < country.callingCode.length + 6) {
    return null
  }
  const retried = parsePhoneNumberFromString(`+${digits}`)
  return retried?.isValid() && retried.countryCallingCode === country.callingCode ? retried : null
}

/**
 * Reads one phone cell (spec §5). The raw text is always kept; the E.164 form is set only when
 * libphonenumber says the number is valid. Placeholders become blank, scientific notation and
 * cells with two numbers are kept as written, words around a number are dropped with a warning.
 */
export const normalizePhone = (raw: string, country: PhoneCountry): PhoneResult => {
  const text = readPhoneText(raw)
  const quoted = `"${shown(raw)}"`
  switch (text._tag) {
    case "Placeholder":
      return {
        phone: null,
        issues: [
          {
            code: "PHONE_PLACEHOLDER",
            message: `${quoted} is a placeholder, not a phone number; the cell is read as blank.`
          }
        ]
      }
    case "ScientificNotation":
      return {
        phone: unparsed(raw, null),
        issues: [
          {
            code: "PHONE_SCIENTIFIC_NOTATION",
            message:
              `${quoted} is a number a spreadsheet wrote in scientific notation, which lost ` +
              "digits; it is kept as written. Format the column as text and export again."
          }
        ]
      }
    case "MultipleNumbers":
      return {
        phone: unparsed(raw, null),
        issues: [
          {
            code: "PHONE_MULTIPLE_NUMBERS",
            message:
              `${quoted} holds more than one phone number; it is kept as written and neither ` +
              "is used for matching. Put each number in its own column."
          }
        ]
      }
    case "NoNumber":
      return {
        phone: unparsed(raw, null),
        issues: [{ code: "PHONE_INVALID", message: invalidMessage(quoted, null) }]
      }
  }

  const issues: Array<PhoneIssue> = []
  if (text.extraText !== null) {
    issues.push({
      code: "PHONE_EXTRA_TEXT",
      message:
        `${quoted} has words besides the number ("${shown(text.extraText)}"); ` +
        "they were left out."
    })
  }
  const parsed = parseValid(text.number, country)
  if (parsed === null) {
    issues.push({ code: "PHONE_INVALID", message: invalidMessage(quoted, text.number) })
    return { phone: unparsed(raw, text.extension), issues }
  }
  const phone: Phone = {
    raw,
    e164: parsed.number,
    display: parsed.formatInternational(),
    country: parsed.country ?? null,
    extension: text.extension ?? parsed.ext ?? null
  }
  if (raw !== parsed.number) {
    const stored = phone.extension === null ? parsed.number : `${parsed.number} x${phone.extension}`
    issues.push({ code: "PHONE_NOT_E164", message: `${quoted} was normalized to ${stored}.` })
  }
  return { phone, issues }
}

/** Why a phone is invalid, with the hint that fits it: `number` is its digits, if it has any. */
const invalidMessage = (quoted: string, number: string | null): string =>
  `${quoted} is not a valid phone number; it is kept as written and not used for matching. ` +
  (number === null
    ? "Write it in digits."
    : /^(?:\+|\(\s*\+|00\s*[1-9])/u.test(number.trim())
      ? "It has a country code, but the digits after it are not a number of that country."
      : "Write it with its country code (such as +44) or set the row's Phone Country.")

/** Phones are equal for `unchanged` when their E.164 form and extension are, else by raw text. */
export const samePhone = (a: Phone | null, b: Phone | null): boolean => {
  if (a === null || b === null) return a === b
  if (a.e164 !== null || b.e164 !== null) return a.e164 === b.e164 && a.extension === b.extension
  return a.raw.trim() === b.raw.trim()
}
