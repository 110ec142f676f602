import { Readable } from "node:stream"
import { keepFile } from "@xcontacts/db"

/**
 * Writes an uploaded file to `path` as it streams in, described on the way (`keepFile`), so that
 * the job's kept file is not read again. A failed upload (the body limit, a dropped connection)
 * leaves no file behind and rejects.
 */
export const saveUpload = (body: ReadableStream<Uint8Array>, path: string) =>
  keepFile(Readable.fromWeb(body as never), path)
