/** Why a record was cut short while it was read: it is kept as a row that fails, never stored. */
export type Oversize =
  | { readonly _tag: "FieldTooLong"; readonly column: number; readonly limit: number }
  | { readonly _tag: "RecordTooLong"; readonly limit: number }

/** One CSV record: its cells as written and the physical line where it starts. */
export interface CsvRecord {
  readonly line: number
  readonly cells: ReadonlyArray<string>
  /** Set when a field or the record passed its size limit; the cells are then incomplete. */
  readonly oversize: Oversize | null
}

/** The quoting of the text is broken: the file cannot be read past this point. */
export interface QuoteFailure {
  readonly _tag: "QuoteFailure"
  /** The line where the quoted field opened. */
  readonly openedOn: number
  /** The line where the reader gave up (the end of the file, or a stray character). */
  readonly foundOn: number
  /** The character that followed the closing quote, or null when the file ended inside quotes. */
  readonly after: string | null
}

export interface CsvTokenizerOptions {
  readonly delimiter: string
  /** Longest field in characters; longer fields fail their row. */
  readonly maxFieldLength: number
  /** Longest record in characters, delimiters included; longer records fail their row. */
  readonly maxRecordLength: number
  /** Physical line number of the first character pushed. */
  readonly firstLine: number
}

const QUOTE = 34
const CR = 13
const LF = 10

type State = "fieldStart" | "unquoted" | "quoted" | "closed"

/**
 * An incremental RFC 4180 tokenizer. Text is pushed in pieces of any size; complete records come
 * out with the physical line they start on. CR, LF and CRLF each end one line, inside quotes too.
 * Memory stays bounded: a field past its limit stops growing and its record fails.
 */
export class CsvTokenizer {
  private readonly delimiter: number
  private readonly options: CsvTokenizerOptions
  private state: State = "fieldStart"
  private line: number
  private recordLine: number
  private quoteLine = 0
  private skipLf = false
  private field = ""
  private fieldLength = 0
  private recordLength = 0
  private cells: Array<string> = []
  private oversize: Oversize | null = null
  private touched = false

  constructor(options: CsvTokenizerOptions) {
    if (options.delimiter.length !== 1) throw new Error("the delimiter must be one character")
    this.options = options
    this.delimiter = options.delimiter.charCodeAt(0)
    this.line = options.firstLine
    this.recordLine = options.firstLine
  }

  /** The physical line the tokenizer has reached. */
  get currentLine(): number {
    return this.line
  }

  /** Reads a piece of text; appends the records it completes, or returns a quoting failure. */
  push(text: string, into: Array<CsvRecord>): QuoteFailure | null {
    const delimiter = this.delimiter
    const length = text.length
    let i = 0
    if (this.skipLf && this.state !== "quoted" && length > 0) {
      this.skipLf = false
      if (text.charCodeAt(0) === LF) i = 1
    }
    while (i < length) {
      const state = this.state
      if (state === "quoted") {
        i = this.readQuoted(text, i)
        continue
      }
      const code = text.charCodeAt(i)
      if (state === "closed") {
        if (code === QUOTE) {
          this.append(text, i, i + 1)
          this.state = "quoted"
          i++
          continue
        }
        if (code === 32 || code === 9) {
          i++
          continue
        }
        if (code !== delimiter && code !== CR && code !== LF) {
          return {
            _tag: "QuoteFailure",
            openedOn: this.quoteLine,
            foundOn: this.line,
            after: text.charAt(i)
          }
        }
      } else if (state === "fieldStart" && code === QUOTE) {
        this.state = "quoted"
        this.quoteLine = this.line
        this.touched = true
        this.count(1)
        i++
        continue
      }
      let j = i
      let end = code
      if (state !== "closed") {
        while (j < length) {
          end = text.charCodeAt(j)
          if (end === delimiter || end === CR || end === LF) break
          j++
        }
        if (j > i) {
          this.append(text, i, j)
          this.state = "unquoted"
        }
        if (j === length) return null
      }
      i = j + 1
      if (end === delimiter) {
        this.count(1)
        this.endField()
        continue
      }
      this.endRecord(into, end === CR)
      if (end === CR && i < length) {
        this.skipLf = false
        if (text.charCodeAt(i) === LF) i++
      }
    }
    return null
  }

  /** Reads inside a quoted field up to its next quote; line breaks are kept and counted. */
  private readQuoted(text: string, from: number): number {
    const length = text.length
    let j = from
    while (j < length) {
      const code = text.charCodeAt(j)
      if (code === QUOTE) break
      if (code === CR) {
        this.line++
        this.skipLf = true
      } else {
        if (code === LF && !this.skipLf) this.line++
        this.skipLf = false
      }
      j++
    }
    if (j > from) this.append(text, from, j)
    if (j === length) return j
    this.skipLf = false
    this.count(1)
    this.state = "closed"
    return j + 1
  }

  /** Ends the text: returns the last record, or the failure of a quote that never closed. */
  end(into: Array<CsvRecord>): QuoteFailure | null {
    if (this.state === "quoted") {
      return { _tag: "QuoteFailure", openedOn: this.quoteLine, foundOn: this.line, after: null }
    }
    if (this.touched || this.cells.length > 0 || this.fieldLength > 0) this.endRecord(into, false)
    return null
  }

  private count(characters: number): void {
    this.recordLength += characters
    if (this.oversize === null && this.recordLength > this.options.maxRecordLength) {
      this.oversize = { _tag: "RecordTooLong", limit: this.options.maxRecordLength }
    }
  }

  private append(text: string, from: number, to: number): void {
    const size = to - from
    this.touched = true
    this.fieldLength += size
    this.count(size)
    if (this.oversize !== null) return
    if (this.fieldLength > this.options.maxFieldLength) {
      this.oversize = {
        _tag: "FieldTooLong",
        column: this.cells.length,
        limit: this.options.maxFieldLength
      }
      this.field = ""
      return
    }
    this.field += text.slice(from, to)
  }

  private endField(): void {
    if (this.oversize === null) this.cells.push(this.field)
    this.field = ""
    this.fieldLength = 0
    this.state = "fieldStart"
    this.touched = true
  }

  private endRecord(into: Array<CsvRecord>, endedByCr: boolean): void {
    this.endField()
    into.push({ line: this.recordLine, cells: this.cells, oversize: this.oversize })
    this.cells = []
    this.oversize = null
    this.recordLength = 0
    this.touched = false
    this.line++
    this.recordLine = this.line
    this.skipLf = endedByCr
  }
}
