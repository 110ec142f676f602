import { Schema } from "effect"

export const EXTERNAL_ID_MAX_LENGTH = 255

/** C0 and C1 control characters and DEL (a line break, a tab): no key is meant to hold one. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
const controlCharacter = /[\u0000-\u001f\u007f-\u009f]/u

/**
 * Where a key holds a control character, and which (`U+000A`), or null: the import fails such a
 * row (`EXTERNAL_ID_INVALID`), and the forms refuse such a key, so that no record holds a key
 * that no file can match.
 */
export const externalIdControl = (
  value: string
): { readonly position: number; readonly codePoint: string } | null => {
  const at = value.search(controlCharacter)
  if (at === -1) return null
  const code = value.codePointAt(at)!.toString(16).toUpperCase().padStart(4, "0")
  return { position: at + 1, codePoint: `U+${code}` }
}

/** A schema check that refuses a control character, saying which and where after `what`. */
export const withoutControlCharacters = (what: string) =>
  Schema.makeFilter((value: string) => {
    const control = externalIdControl(value)
    return control === null
      ? undefined
      : `${what} ${control.codePoint} at position ${control.position}`
  })

/**
 * The key of a contact or an organization inside one external source: 1 to 255 characters,
 * trimmed, without control characters. The one definition the import, the API and the CLI use.
 */
export const ExternalIdText = Schema.String.check(
  Schema.isTrimmed(),
  Schema.isMinLength(1),
  Schema.isMaxLength(EXTERNAL_ID_MAX_LENGTH),
  withoutControlCharacters("holds a control character,")
)

export const ExternalId = ExternalIdText.pipe(Schema.brand("ExternalId"))
export type ExternalId = typeof ExternalId.Type
