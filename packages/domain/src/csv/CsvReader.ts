import { Schema } from "effect"
import type { Delimiter, Encoding } from "../ImportSettings.ts"
import { Problem, problemError } from "../Problem.ts"
import { type CsvRecord, CsvTokenizer, type QuoteFailure } from "./CsvTokenizer.ts"
import { type DecodeFailure, decodeText } from "./TextDecoding.ts"

export type { CsvRecord, Oversize } from "./CsvTokenizer.ts"

/** The file cannot be read as CSV at all; nothing of it may be written. */
export class CsvFileError extends Schema.TaggedError<CsvFileError>()("CsvFileError", {
  problem: Problem
}) {}

export interface CsvReadOptions {
  readonly encoding: Encoding
  /** `auto` detects `,` `;` tab or `|` from the header line; a first line `sep=;` wins. */
  readonly delimiter: Delimiter
  /** Longest field in characters (default 64 KiB); a longer one fails its row. */
  readonly maxFieldLength?: number
  /** Longest record in characters (default 1 MiB); a longer one fails its row. */
  readonly maxRecordLength?: number
}

/** The defaults of spec §2: 64 KiB per field, 1 MiB per record. */
export const defaultLimits = { maxFieldLength: 64 * 1024, maxRecordLength: 1024 * 1024 } as const

const candidates = [",", ";", "\t", "|"] as const

/** The delimiter a header line uses: the candidate that occurs most often outside quotes. */
export const detectDelimiter = (headerLine: string): string => {
  const counts = new Map<string, number>(candidates.map((candidate) => [candidate, 0]))
  let quoted = false
  for (const character of headerLine) {
    if (character === '"') quoted = !quoted
    else if (!quoted && counts.has(character)) counts.set(character, counts.get(character)! + 1)
  }
  let best: string = ","
  for (const candidate of candidates) {
    if (counts.get(candidate)! > counts.get(best)!) best = candidate
  }
  return best
}

const explicitDelimiter = (delimiter: Delimiter): string | null => {
  switch (delimiter) {
    case "auto":
      return null
    case "tab":
      return "\t"
    case "pipe":
      return "|"
    default:
      return delimiter
  }
}

const sepLine = /^sep=(.)[ \t]*$/iu
const headLimit = 64 * 1024

interface Start {
  readonly delimiter: string
  readonly firstLine: number
  readonly text: string
}

/** Lines of the head of the file, up to the first one that is not blank. */
const firstLines = (head: string): { lines: Array<string>; complete: boolean } => {
  const lines: Array<string> = []
  let from = 0
  while (from < head.length) {
    const breakAt = head.slice(from).search(/\r\n|\r|\n/u)
    if (breakAt === -1) return { lines: [...lines, head.slice(from)], complete: false }
    const line = head.slice(from, from + breakAt)
    lines.push(line)
    if (line.trim() !== "") return { lines, complete: true }
    from += breakAt + (head.startsWith("\r\n", from + breakAt) ? 2 : 1)
  }
  return { lines, complete: false }
}

/** Decides the delimiter from the head of the file and drops a `sep=` line. */
const start = (head: string, requested: Delimiter): Start => {
  const { lines } = firstLines(head)
  const first = lines[0] ?? ""
  const sep = first.match(sepLine)
  if (sep) {
    const after = head.slice(first.length)
    const skip = after.startsWith("\r\n") ? 2 : after.length > 0 ? 1 : 0
    return { delimiter: sep[1]!, firstLine: 2, text: after.slice(skip) }
  }
  const header = lines.find((line) => line.trim() !== "") ?? ""
  return {
    delimiter: explicitDelimiter(requested) ?? detectDelimiter(header),
    firstLine: 1,
    text: head
  }
}

const quoteProblem = (failure: QuoteFailure): Problem =>
  problemError(
    failure.openedOn,
    null,
    "QUOTE_NOT_CLOSED",
    failure.after === null
      ? `The quoted field that opens on line ${failure.openedOn} never closes: the file ends ` +
          "inside it. Add the missing closing quote."
      : `The quoted field that opens on line ${failure.openedOn} never closes properly: on line ` +
          `${failure.foundOn} a quote is followed by "${failure.after}". Close the field with a ` +
          'quote and write quotes inside it as "".'
  )

const decodeProblem = (failure: DecodeFailure, line: number): Problem =>
  problemError(
    line,
    null,
    "ENCODING_INVALID",
    `Line ${line} holds bytes that are not valid ${failure.encoding.toUpperCase()}. ` +
      (failure.encoding === "windows-1252"
        ? "Save the file as UTF-8 and import it again."
        : "If the file was saved by Excel or an older system, import it with " +
          "--encoding windows-1252, or save it as UTF-8.")
  )

/**
 * Decodes a byte stream and yields CSV records with the physical line each starts on (spec §2):
 * BOM-driven UTF-8/UTF-16 or an explicit encoding, the delimiter from the header line or a
 * `sep=` line, RFC 4180 quoting over mixed line endings. Fails with `CsvFileError` on bytes the
 * encoding does not allow or on a quote that never closes. Reads as a stream, in bounded memory.
 */
export async function* readCsvRecords(
  bytes: AsyncIterable<Uint8Array>,
  options: CsvReadOptions
): AsyncGenerator<CsvRecord, void, undefined> {
  let head = ""
  let tokenizer: CsvTokenizer | null = null
  const out: Array<CsvRecord> = []

  const begin = (): CsvTokenizer => {
    const started = start(head, options.delimiter)
    const made = new CsvTokenizer({
      delimiter: started.delimiter,
      firstLine: started.firstLine,
      maxFieldLength: options.maxFieldLength ?? defaultLimits.maxFieldLength,
      maxRecordLength: options.maxRecordLength ?? defaultLimits.maxRecordLength
    })
    head = ""
    const failure = made.push(started.text, out)
    if (failure) throw new CsvFileError({ problem: quoteProblem(failure) })
    return made
  }

  for await (const piece of decodeText(bytes, options.encoding)) {
    if (typeof piece !== "string") {
      tokenizer ??= begin()
      yield* out.splice(0)
      throw new CsvFileError({ problem: decodeProblem(piece, tokenizer.currentLine) })
    }
    if (tokenizer === null) {
      head += piece
      if (!firstLines(head).complete && head.length < headLimit) continue
      tokenizer = begin()
    } else {
      const failure = tokenizer.push(piece, out)
      if (failure) throw new CsvFileError({ problem: quoteProblem(failure) })
    }
    if (out.length > 0) yield* out.splice(0)
  }
  tokenizer ??= begin()
  const failure = tokenizer.end(out)
  yield* out.splice(0)
  if (failure) throw new CsvFileError({ problem: quoteProblem(failure) })
}
