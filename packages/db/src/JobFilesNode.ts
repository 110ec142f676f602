import { createHash } from "node:crypto"
import { createReadStream, createWriteStream } from "node:fs"
import { rm, stat } from "node:fs/promises"
import { basename, dirname, resolve } from "node:path"
import { Readable, Transform } from "node:stream"
import { pipeline } from "node:stream/promises"
import {
  type CsvSource,
  type JobFile,
  JobFileChanged,
  JobFileNotRemoved,
  JobFiles,
  JobFileUnavailable
} from "@xcontacts/domain"
import { Effect, Layer } from "effect"

/** Size and SHA-256 of bytes as they go by: how a job's file is described and checked. */
const measuring = () => {
  const hash = createHash("sha256")
  let size = 0
  return {
    add: (bytes: Uint8Array) => {
      size += bytes.byteLength
      hash.update(bytes)
    },
    describe: (location: string): JobFile => ({ location, size, checksum: hash.digest("hex") })
  }
}

/** Size and SHA-256 of a file on disk, read as a stream. */
export const describeFile = async (path: string): Promise<JobFile> => {
  const measure = measuring()
  for await (const bytes of createReadStream(path)) measure.add(bytes as Buffer)
  return measure.describe(resolve(path))
}

/**
 * Writes a file's bytes to `path` (readable by this user only) as they stream in, described on
 * the way: the copy a job keeps, described without reading it again. A copy that fails (a full
 * disk, a dropped upload) leaves no file behind and rejects.
 */
export const keepFile = async (
  bytes: Readable | AsyncIterable<Uint8Array>,
  path: string
): Promise<JobFile> => {
  const measure = measuring()
  try {
    await pipeline(
      bytes instanceof Readable ? bytes : Readable.from(bytes),
      new Transform({
        transform(chunk: Buffer, _encoding, done) {
          measure.add(chunk)
          done(null, chunk)
        }
      }),
      createWriteStream(path, { mode: 0o600 })
    )
  } catch (error) {
    await rm(path, { force: true })
    throw error
  }
  return measure.describe(resolve(path))
}

/**
 * A job's file as the job saw it: each read takes its first `size` bytes only, so that a file
 * still being written is read as it was when the job started, and ends with `JobFileChanged`
 * when those bytes were fewer or hash to another SHA-256. A change is known only at the end of
 * a read, so a pass that is already writing has committed the chunks before it.
 */
export const jobFileSource = (file: JobFile, name: string | null): CsvSource => ({
  name,
  open: () =>
    (async function* () {
      const measure = measuring()
      if (file.size > 0) {
        for await (const bytes of createReadStream(file.location, { end: file.size - 1 })) {
          measure.add(bytes as Buffer)
          yield bytes as Uint8Array
        }
      }
      const read = measure.describe(file.location)
      if (read.size !== file.size || read.checksum !== file.checksum) {
        throw new JobFileChanged(file.location)
      }
    })()
})

/** How the CLI and the server name the copy a job keeps: a random UUID, `.csv`. */
const keptName = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.csv$/u

/**
 * Whether `location` is a copy kept in `folder`: directly in it and named as a kept copy. Jobs
 * recorded before the CLI kept copies point at the user's own file, which is never ours to
 * delete, even when it lies in that folder.
 */
const isKeptCopy = (location: string, folder: string) =>
  dirname(resolve(location)) === resolve(folder) && keptName.test(basename(location))

const removeKept = (file: JobFile, folder: string | null) =>
  Effect.tryPromise({
    try: async () => {
      if (folder === null) throw new Error("no job files' folder is configured")
      if (!isKeptCopy(file.location, folder)) {
        throw new Error(`it is not a copy kept in the job files' folder ${resolve(folder)}`)
      }
      try {
        await rm(file.location)
        return "removed" as const
      } catch (cause) {
        if ((cause as NodeJS.ErrnoException).code === "ENOENT") return "gone" as const
        throw cause
      }
    },
    catch: (cause) =>
      new JobFileNotRemoved({
        message: `${file.location} was left in place: ${
          cause instanceof Error ? cause.message : cause
        }.`
      })
  })

/** Why a kept file cannot be opened, in words rather than an errno. */
const whyUnusable = (location: string, cause: unknown): string => {
  const code = (cause as NodeJS.ErrnoException).code
  if (code === "ENOENT") return `${location} is no longer there`
  if (code === "EACCES" || code === "EPERM")
    return `${location} may not be read (permission denied)`
  if (code === "EISDIR") return `${location} is a folder`
  return cause instanceof Error ? cause.message : String(cause)
}

const openKept = (file: JobFile, name: string | null) => {
  let changed = false
  return Effect.tryPromise({
    try: async () => {
      const size = (await stat(file.location)).size
      if (size === file.size && (await describeFile(file.location)).checksum === file.checksum) {
        return jobFileSource(file, name)
      }
      changed = true
      throw new Error(`${file.location} changed since the job started`)
    },
    catch: (cause) =>
      new JobFileUnavailable({
        message:
          `The job's file cannot be used: ${whyUnusable(file.location, cause)}. ` +
          "Put the original file back, or import the file as a new job.",
        ...(changed ? { changed: true } : {})
      })
  })
}

/**
 * Jobs' files on this machine's disk: opened after checking their size and checksum, and
 * removed with their job only when they are copies kept in `folder` (the server's uploads, the
 * CLI's copies); null removes none.
 */
export const JobFilesNode = (folder: string | null) =>
  Layer.succeed(
    JobFiles,
    JobFiles.of({
      open: openKept,
      remove: (file) => removeKept(file, folder)
    })
  )
