import { Schema } from "effect"
import { type CountryCode, parsePhoneNumberFromString } from "libphonenumber-js/max"

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

/** Why a phone cell could not be normalized; the row keeps the raw value either way. */
export type PhoneIssue = "PHONE_INVALID" | "PHONE_NOT_E164"

export interface PhoneResult {
  readonly phone: Phone
  readonly issue: PhoneIssue | null
}

/**
 * Parses a phone cell. `+CC…` numbers stand alone; national numbers are read in `country`. A
 * number counts as normalized only when the library says it is valid; otherwise it is kept as
 * written and warns `PHONE_INVALID`. A valid number that was not written in E.164 warns
 * `PHONE_NOT_E164`.
 */
export const normalizePhone = (raw: string, country: string): PhoneResult => {
  const parsed = parsePhoneNumberFromString(raw, country as CountryCode)
  if (parsed === undefined || !parsed.isValid()) {
    return {
      phone: { raw, e164: null, display: null, country: null, extension: null },
      issue: "PHONE_INVALID"
    }
  }
  const phone: Phone = {
    raw,
    e164: parsed.number,
    display: parsed.formatInternational(),
    country: parsed.country ?? null,
    extension: parsed.ext ?? null
  }
  return { phone, issue: raw === parsed.number ? null : "PHONE_NOT_E164" }
}

/** Phones are equal for `unchanged` when their E.164 form and extension are, else by raw text. */
export const samePhone = (a: Phone | null, b: Phone | null): boolean => {
  if (a === null || b === null) return a === b
  if (a.e164 !== null || b.e164 !== null) return a.e164 === b.e164 && a.extension === b.extension
  return a.raw.trim() === b.raw.trim()
}
