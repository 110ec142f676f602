import { parse } from "csv-parse"
import { Schema } from "effect"
import { Problem, problemError } from "../Problem.ts"

/** One CSV record: its cells as written and the physical line where it starts. */
export interface CsvRecord {
  readonly line: number
  readonly cells: ReadonlyArray<string>
}

/** The file cannot be read as CSV at all; nothing of it may be written. */
export class CsvFileError extends Schema.TaggedError<CsvFileError>()("CsvFileError", {
  problem: Problem
}) {}

export interface CsvReadOptions {
  readonly delimiter: string
}

/**
 * Decodes UTF-8 bytes and yields CSV records with the physical line each starts on. Line breaks
 * inside quoted fields move later records down; CRLF, LF and CR may be mixed.
 */
export async function* readCsvRecords(
  bytes: AsyncIterable<Uint8Array>,
  options: CsvReadOptions
): AsyncGenerator<CsvRecord, void, undefined> {
  const parser = parse({
    bom: true,
    delimiter: options.delimiter,
    record_delimiter: ["\r\n", "\n", "\r"],
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
    info: true
  })
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true })
  const feed = (async () => {
    try {
      for await (const chunk of bytes) {
        const text = decoder.decode(chunk, { stream: true })
        if (!parser.write(text)) await new Promise((resolve) => parser.once("drain", resolve))
      }
      parser.write(decoder.decode())
      parser.end()
    } catch (cause) {
      parser.destroy(cause instanceof Error ? cause : new Error(String(cause)))
    }
  })()

  let previousEnd = 0
  try {
    for await (const item of parser as AsyncIterable<{
      record: Array<string>
      info: { lines: number }
    }>) {
      yield { line: previousEnd + 1, cells: item.record }
      previousEnd = item.info.lines
    }
  } catch (cause) {
    throw new CsvFileError({ problem: describe(cause, previousEnd + 1) })
  } finally {
    await feed
  }
}

const describe = (cause: unknown, line: number): Problem => {
  const code = (cause as { code?: string }).code
  if (code === "CSV_QUOTE_NOT_CLOSED") {
    return problemError(
      line,
      null,
      "QUOTE_NOT_CLOSED",
      `The quoted field that opens on line ${line} never closes; add the missing closing quote.`
    )
  }
  if (cause instanceof TypeError) {
    return problemError(
      line,
      null,
      "ENCODING_INVALID",
      `The file is not valid UTF-8 near line ${line}; if it was saved by Excel, import it with ` +
        "--encoding windows-1252."
    )
  }
  return problemError(
    line,
    null,
    "QUOTE_NOT_CLOSED",
    `The file is not valid CSV near line ${line}: ${String(cause)}`
  )
}
