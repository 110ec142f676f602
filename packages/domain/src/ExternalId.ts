import { Schema } from "effect"

export const EXTERNAL_ID_MAX_LENGTH = 255

/**
 * The key of a contact or an organization inside one external source: 1 to 255 characters,
 * trimmed, any printable characters.
 */
export const ExternalId = Schema.String.pipe(
  Schema.check(
    Schema.isTrimmed(),
    Schema.isMinLength(1),
    Schema.isMaxLength(EXTERNAL_ID_MAX_LENGTH)
  ),
  Schema.brand("ExternalId")
)
export type ExternalId = typeof ExternalId.Type
