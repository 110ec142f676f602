import { Schema } from "effect"
import { ImportSettings } from "./ImportSettings.ts"

/** The settings a profile fixes; whatever it leaves out comes from the defaults or the flags. */
export const ProfileSettings = ImportSettings.mapFields(
  (fields) =>
    Object.fromEntries(
      Object.entries(fields).map(([key, schema]) => [key, Schema.optionalKey(schema)])
    ) as { [K in keyof typeof fields]: Schema.optionalKey<(typeof fields)[K]> }
)
export type ProfileSettings = typeof ProfileSettings.Type

/** Named, saved import settings, so that a weekly import runs the same way every week. */
export const ImportProfile = Schema.Struct({
  name: Schema.String.pipe(Schema.check(Schema.isMinLength(1), Schema.isMaxLength(100))),
  settings: ProfileSettings,
  createdAt: Schema.String,
  updatedAt: Schema.String
})
export type ImportProfile = typeof ImportProfile.Type

/**
 * The settings of one import: the defaults, then the profile's, then those given for this run;
 * a later layer wins where it says something.
 */
export const resolveSettings = (
  defaults: ImportSettings,
  ...layers: ReadonlyArray<ProfileSettings>
): ImportSettings => {
  let settings: ImportSettings = defaults
  for (const layer of layers) {
    const given = Object.fromEntries(
      Object.entries(layer).filter(([, value]) => value !== undefined)
    )
    settings = { ...settings, ...given }
  }
  return settings
}
