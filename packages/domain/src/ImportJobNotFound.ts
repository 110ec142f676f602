import { Schema } from "effect"

/** No import job has the given id. */
export class ImportJobNotFound extends Schema.TaggedError<ImportJobNotFound>()(
  "ImportJobNotFound",
  { id: Schema.String }
) {
  override get message() {
    return `There is no import job "${this.id}".`
  }
}
