import { type CsvError, Parser } from "csv-parse"
import { Schema } from "effect"
import type { Delimiter, Encoding } from "../ImportSettings.ts"
import { Problem, problemError } from "../Problem.ts"
import { settingHint } from "../SettingHint.ts"
import { type CsvRecord, countLineBreaks } from "./CsvRecord.ts"
import { type DecodeFailure, decodeText } from "./TextDecoding.ts"

export type { CsvRecord, Oversize } from "./CsvRecord.ts"

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

/**
 * A record this many times over the record limit fails the file rather than its row: csv-parse
 * holds a record whole, so this bounds memory when a quote never closes (see docs/adr/0100).
 */
const runawayFactor = 16

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

const quoteProblem = (openedOn: number, ending: boolean): Problem =>
  problemError(
    openedOn,
    null,
    "QUOTE_NOT_CLOSED",
    ending
      ? `The quoted field that opens on line ${openedOn} never closes: the file ends inside it. ` +
          "Add the missing closing quote."
      : `The quoted field that opens on line ${openedOn} never closes properly: a quote in it is ` +
          'followed by other text. Close the field with a quote and write quotes inside it as "".'
  )

const runawayProblem = (line: number, limit: number): Problem =>
  problemError(
    line,
    null,
    "RECORD_TOO_LONG",
    `The row that starts on line ${line} runs past ${limit} characters, so the file cannot be ` +
      "read past it. This usually means a quote that never closes: check the quotes on that line."
  )

/**
 * Where csv-parse took a quote that was followed by text as the end of a quoted field (what
 * `relax_quotes` does, which it needs to keep stray quotes in unquoted fields): the offset in `raw`
 * of the quoted field it closed that way, or -1. It walks csv-parse's own cells over the raw
 * record; a properly quoted cell is written exactly as `"` + cell with `""` for `"` + `"`.
 */
export const relaxedQuoteAt = (raw: string, cells: ReadonlyArray<string>): number => {
  if (raw.indexOf('"') === -1) return -1
  let at = 0
  for (const cell of cells) {
    if (raw.charCodeAt(at) === 34) {
      const written = `"${cell.replaceAll('"', '""')}"`
      if (!raw.startsWith(written, at)) return at
      at += written.length
    } else {
      at += cell.length
    }
    at += 1
  }
  return -1
}

interface ParsedRecord {
  readonly record: Array<string>
  readonly raw: string
}

/** What to do about bytes that are not valid in `encoding`. */
const encodingHint = (encoding: string): string => {
  if (encoding === "windows-1252") return "Save the file as UTF-8 and import it again."
  if (encoding.startsWith("utf-16")) {
    return "The file is damaged or was not written as UTF-16: save it as UTF-8 and import it again."
  }
  return (
    "If the file was saved by Excel or an older system, import it with " +
    `${settingHint("--encoding", "encoding", "windows-1252")}, or save it as UTF-8.`
  )
}

const decodeProblem = (failure: DecodeFailure, line: number): Problem =>
  failure.markedAs !== null
    ? problemError(
        1,
        null,
        "ENCODING_INVALID",
        `The file starts with a ${failure.markedAs.toUpperCase()} byte order mark, but it was to ` +
          `be read as ${failure.encoding.toUpperCase()}. Import it with the encoding auto or ` +
          `${failure.markedAs}: ${settingHint("--encoding", "encoding", "auto")}.`
      )
    : failure.afterNul
      ? problemError(
          line,
          null,
          "BINARY_CONTENT",
          `Line ${line} holds NUL bytes and bytes that are not valid ` +
            `${failure.encoding.toUpperCase()}: this is not a text file. Export the data as CSV ` +
            "and import that."
        )
      : problemError(
          line,
          null,
          "ENCODING_INVALID",
          `Line ${line} holds bytes that are not valid ${failure.encoding.toUpperCase()}. ` +
            encodingHint(failure.encoding)
        )

/**
 * Decodes a byte stream and yields CSV records with the physical line each starts on (spec §2):
 * BOM-driven UTF-8/UTF-16 or an explicit encoding, the delimiter from the header line or a
 * `sep=` line, RFC 4180 quoting over mixed line endings, parsed by csv-parse. Fails with
 * `CsvFileError` on bytes the encoding does not allow, on a quote that never closes, or on a
 * record far past the record limit. Reads as a stream, in bounded memory.
 */
export async function* readCsvRecords(
  bytes: AsyncIterable<Uint8Array>,
  options: CsvReadOptions
): AsyncGenerator<CsvRecord, void, undefined> {
  const maxField = options.maxFieldLength ?? defaultLimits.maxFieldLength
  const maxRecord = options.maxRecordLength ?? defaultLimits.maxRecordLength
  const out: Array<CsvRecord> = []
  let head = ""
  let parser: Parser | null = null
  let line = 1
  let fedLines = 1
  let fedEndsWithCr = false
  let fault: Problem | null = null

  const take = ({ record, raw }: ParsedRecord): null => {
    const starts = line
    line += countLineBreaks(raw)
    if (fault !== null) return null
    const relaxed = relaxedQuoteAt(raw, record)
    if (relaxed !== -1) {
      fault = quoteProblem(starts + countLineBreaks(raw.slice(0, relaxed)), false)
      return null
    }
    const column = record.findIndex((cell) => cell.length > maxField)
    if (column !== -1) {
      out.push({
        line: starts,
        cells: [],
        oversize: { _tag: "FieldTooLong", column, limit: maxField }
      })
    } else if (raw.length > maxRecord) {
      out.push({ line: starts, cells: [], oversize: { _tag: "RecordTooLong", limit: maxRecord } })
    } else {
      out.push({ line: starts, cells: record, oversize: null })
    }
    return null
  }

  const failure = (error: Error): CsvFileError => {
    const code = (error as Partial<CsvError>).code
    if (code === "CSV_QUOTE_NOT_CLOSED")
      return new CsvFileError({ problem: quoteProblem(line, true) })
    if (code === "CSV_MAX_RECORD_SIZE") {
      return new CsvFileError({ problem: runawayProblem(line, maxRecord * runawayFactor) })
    }
    throw error
  }

  const feed = (text: string): void => {
    fedLines += countLineBreaks(text) - (fedEndsWithCr && text.startsWith("\n") ? 1 : 0)
    fedEndsWithCr = text.endsWith("\r")
    parser!.write(text)
  }

  /** Throws what went wrong in what was fed: after the records before it were handed out. */
  const check = (): void => {
    if (parser!.errored) throw failure(parser!.errored)
    if (fault !== null) throw new CsvFileError({ problem: fault })
  }

  const begin = (): void => {
    const started = start(head, options.delimiter)
    head = ""
    line = started.firstLine
    fedLines = started.firstLine
    parser = new Parser({
      delimiter: started.delimiter,
      record_delimiter: ["\r\n", "\n", "\r"],
      relax_quotes: true,
      relax_column_count: true,
      raw: true,
      max_record_size: maxRecord * runawayFactor,
      // With `raw`, csv-parse hands `on_record` a `{ record, raw }` pair; its typings miss that.
      on_record: take as unknown as (record: Array<string>) => null
    })
    // Failures are read from `errored` right after each write; the event would come a tick late.
    parser.on("error", () => {})
    feed(started.text)
  }

  for await (const piece of decodeText(bytes, options.encoding)) {
    if (typeof piece !== "string") {
      if (parser === null) begin()
      yield* out.splice(0)
      check()
      throw new CsvFileError({ problem: decodeProblem(piece, fedLines) })
    }
    if (parser === null) {
      head += piece
      if (!firstLines(head).complete && head.length < headLimit) continue
      begin()
    } else {
      feed(piece)
    }
    if (out.length > 0) yield* out.splice(0)
    check()
  }
  if (parser === null) begin()
  const ended = parser!
  await new Promise<void>((resolve) => ended.end(() => resolve()))
  yield* out.splice(0)
  if (ended.errored) throw failure(ended.errored)
  if (fault !== null) throw new CsvFileError({ problem: fault })
}
