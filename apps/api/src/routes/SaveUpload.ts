import { createHash } from "node:crypto"
import { createWriteStream } from "node:fs"
import { rm } from "node:fs/promises"
import { Readable, Transform } from "node:stream"
import { pipeline } from "node:stream/promises"
import type { JobFile } from "@xcontacts/domain"

/**
 * Writes an uploaded file to `path` as it streams in, counting its size and SHA-256 on the
 * way, so that the job's kept file is described without reading it again. A failed upload
 * (the body limit, a dropped connection) leaves no file behind and rejects.
 */
export const saveUpload = async (body: ReadableStream<Uint8Array>, path: string) => {
  const hash = createHash("sha256")
  let size = 0
  const measure = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length
      hash.update(chunk)
      done(null, chunk)
    }
  })
  try {
    await pipeline(
      Readable.fromWeb(body as never),
      measure,
      createWriteStream(path, { mode: 0o600 })
    )
  } catch (error) {
    await rm(path, { force: true })
    throw error
  }
  return { location: path, size, checksum: hash.digest("hex") } satisfies JobFile
}
