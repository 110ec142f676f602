import {
  type CountryCode,
  getCountries,
  getCountryCallingCode,
  isSupportedCountry
} from "libphonenumber-js/max"

/**
 * The country national numbers are read in: an ISO 3166 alpha-2 country (`GB`), or only a
 * calling code (`44`) when a file gives that instead.
 */
export type PhoneCountry =
  | { readonly _tag: "Country"; readonly country: CountryCode; readonly callingCode: string }
  | { readonly _tag: "CallingCode"; readonly callingCode: string }

const callingCodes: ReadonlySet<string> = new Set(
  getCountries().map((country) => getCountryCallingCode(country) as string)
)

/**
 * Reads a Phone Country cell or setting: `GB`, `gb`, `44`, `+44` or `0044`. Returns null when
 * it names neither a known country nor a calling code in use.
 */
export const parsePhoneCountry = (text: string): PhoneCountry | null => {
  const value = text.trim().toUpperCase()
  if (/^[A-Z]{2}$/u.test(value)) {
    return isSupportedCountry(value)
      ? { _tag: "Country", country: value, callingCode: getCountryCallingCode(value) }
      : null
  }
  const digits = value.match(/^(?:\+|00)?(\d{1,3})$/u)?.[1]
  return digits !== undefined && callingCodes.has(digits)
    ? { _tag: "CallingCode", callingCode: digits }
    : null
}
