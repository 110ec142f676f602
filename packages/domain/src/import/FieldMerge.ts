import type { ContactFields } from "../Contact.ts"
import type { BlankPolicy } from "../ImportSettings.ts"
import type { OrganizationFields } from "../Organization.ts"
import { type Phone, samePhone } from "../Phone.ts"

const isPhone = (value: unknown): value is Phone =>
  typeof value === "object" && value !== null && "raw" in value && "e164" in value

const sameArray = (a: ReadonlyArray<string>, b: ReadonlyArray<string>) =>
  a.length === b.length && a.every((item, index) => item === b[index])

/**
 * Equality for `unchanged`: phones by E.164 and extension, emails case-insensitively, text after
 * trimming, lists item by item.
 */
export const sameValue = (field: string, a: unknown, b: unknown): boolean => {
  if (a === b) return true
  if (a === null || b === null || a === undefined || b === undefined) return false
  if (isPhone(a) && isPhone(b)) return samePhone(a, b)
  if (Array.isArray(a) && Array.isArray(b)) return sameArray(a, b)
  if (typeof a === "string" && typeof b === "string") {
    return field.endsWith("Email")
      ? a.trim().toLowerCase() === b.trim().toLowerCase()
      : a.trim() === b.trim()
  }
  return false
}

/** A field that holds nothing: null, blank text, an empty list. */
export const isEmptyValue = (value: unknown): boolean =>
  value === null ||
  value === undefined ||
  (typeof value === "string" && value.trim() === "") ||
  (Array.isArray(value) && value.length === 0)

export interface Merged<F> {
  readonly fields: F
  /** The fields whose stored value the patch changes. */
  readonly changed: ReadonlyArray<string>
}

/**
 * Applies a row's fields over stored ones: blank cells leave stored values alone unless the
 * policy is `clear`, and a value equal to the stored one keeps the stored spelling. A custom
 * field's blank cell comes as "" (the field is a name in a record, not a column of its own).
 */
export const mergeFields = <F extends ContactFields | OrganizationFields>(
  stored: F,
  patch: Partial<F>,
  blank: BlankPolicy
): Merged<F> => {
  const next: Record<string, unknown> = { ...stored }
  const changed: Array<string> = []
  for (const [field, value] of Object.entries(patch)) {
    if (value === undefined) continue
    if (value === null && blank === "ignore") continue
    if (field === "custom") {
      const storedCustom = (stored as ContactFields).custom
      const incoming = value as Record<string, string>
      const custom = { ...storedCustom }
      let differs = false
      for (const [name, text] of Object.entries(incoming)) {
        if (text === "") {
          if (blank === "clear" && name in custom) {
            delete custom[name]
            differs = true
          }
          continue
        }
        if (custom[name] !== text) {
          custom[name] = text
          differs = true
        }
      }
      if (differs) {
        next["custom"] = custom
        changed.push("custom")
      }
      continue
    }
    if (!sameValue(field, (stored as Record<string, unknown>)[field], value)) {
      next[field] = value
      changed.push(field)
    }
  }
  return { fields: next as F, changed }
}
