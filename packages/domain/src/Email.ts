/** Invisible characters that copy and paste leaves in addresses and that no address contains. */
const invisible = /[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]/gu

const shape = /^[^\s@"(),:;<>[\]\\]+@[^\s@"(),:;<>[\]\\]+\.[^\s@"(),:;<>[\]\\.]+$/u

/** Removes surrounding spaces and invisible characters that a copy and paste brings along. */
export const cleanEmail = (raw: string): string => raw.replace(invisible, "").trim()

/** A pragmatic check of the address form: one `@`, a dotted domain, no spaces or specials. */
export const isEmail = (value: string): boolean =>
  value.length <= 256 && shape.test(value) && !value.includes("..")

/** The form emails are compared and matched in: case-insensitive. */
export const emailKey = (email: string): string => email.toLowerCase()
