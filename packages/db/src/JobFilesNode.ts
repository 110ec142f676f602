import { createHash } from "node:crypto"
import { createReadStream } from "node:fs"
import { stat } from "node:fs/promises"
import { resolve } from "node:path"
import { type JobFile, JobFiles, JobFileUnavailable } from "@xcontacts/domain"
import { Effect, Layer } from "effect"

/** Size and SHA-256 of a file on disk, read as a stream. */
export const describeFile = (path: string): Promise<JobFile> =>
  new Promise((done, fail) => {
    const location = resolve(path)
    const hash = createHash("sha256")
    let size = 0
    createReadStream(location)
      .on("data", (bytes) => {
        size += bytes.length
        hash.update(bytes)
      })
      .on("error", fail)
      .on("end", () => done({ location, size, checksum: hash.digest("hex") }))
  })

/** Opens a job's file on this machine's disk after checking its size and checksum. */
export const JobFilesNode = Layer.succeed(
  JobFiles,
  JobFiles.of({
    open: (file, name) =>
      Effect.tryPromise({
        try: async () => {
          const size = (await stat(file.location)).size
          if (
            size === file.size &&
            (await describeFile(file.location)).checksum === file.checksum
          ) {
            return {
              name,
              open: () => createReadStream(file.location) as AsyncIterable<Uint8Array>
            }
          }
          throw new Error(`${file.location} changed since the job started`)
        },
        catch: (cause) =>
          new JobFileUnavailable({
            message:
              `The job's file cannot be used: ${cause instanceof Error ? cause.message : cause}. ` +
              "Put the original file back, or import the file as a new job."
          })
      })
  })
)
