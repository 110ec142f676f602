/**
 * Invisible characters that copy and paste leaves in addresses and phone numbers, and that
 * neither contains: soft hyphen, zero-width characters, direction marks and isolates, word
 * joiner, BOM.
 */
export const invisibleCharacters =
  /[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]/gu

const shape = /^[^\s@"(),:;<>[\]\\]+@[^\s@"(),:;<>[\]\\]+\.[^\s@"(),:;<>[\]\\.]+$/u

/** Removes surrounding spaces and invisible characters that a copy and paste brings along. */
export const cleanEmail = (raw: string): string => raw.replace(invisibleCharacters, "").trim()

/**
 * A pragmatic check of the address form: one `@`, a dotted domain, no spaces or specials, and
 * no dot at either end of the local part, at the start of the domain or two in a row.
 */
export const isEmail = (value: string): boolean =>
  value.length <= 256 &&
  shape.test(value) &&
  !value.includes("..") &&
  !value.startsWith(".") &&
  !value.includes(".@") &&
  !value.includes("@.")

/** The form emails are compared and matched in: case-insensitive. */
export const emailKey = (email: string): string => email.toLowerCase()
