import { assert, describe, it } from "@effect/vitest"
import {
  CsvFileError,
  type CsvReadOptions,
  type CsvRecord,
  readCsvRecords
} from "../../src/csv/CsvReader.ts"

const defaults: CsvReadOptions = { encoding: "auto", delimiter: "auto" }

/** Feeds the bytes in pieces of `size`, to prove no character or record depends on chunking. */
const chunked = async function* (bytes: Uint8Array, size: number) {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size)
}

const utf8 = (text: string) => new TextEncoder().encode(text)

const read = async (
  bytes: Uint8Array,
  options: Partial<CsvReadOptions> = {},
  size = 7
): Promise<Array<CsvRecord>> => {
  const records: Array<CsvRecord> = []
  for await (const record of readCsvRecords(chunked(bytes, size), { ...defaults, ...options })) {
    records.push(record)
  }
  return records
}

const failure = async (bytes: Uint8Array, options: Partial<CsvReadOptions> = {}) => {
  try {
    await read(bytes, options)
  } catch (error) {
    assert.instanceOf(error, CsvFileError)
    return (error as CsvFileError).problem
  }
  return assert.fail("the file was read without a failure")
}

const lines = (records: Array<CsvRecord>) => records.map((record) => record.line)

describe("CsvReader", () => {
  it("numbers records by the physical line they start on, across quoted line breaks", async () => {
    const text = 'a,b\r\n1,"x\r\ny"\r\n2,"p\nq\rr"\n3,z\r4,w'
    for (const size of [1, 2, 3, 64]) {
      const records = await read(utf8(text), {}, size)
      assert.deepStrictEqual(lines(records), [1, 2, 4, 7, 8])
      assert.deepStrictEqual(records[1]!.cells, ["1", "x\r\ny"])
      assert.deepStrictEqual(records[2]!.cells, ["2", "p\nq\rr"])
    }
  })

  it("drops a UTF-8 byte order mark before the first header", async () => {
    const records = await read(utf8("\ufeffexternal_id,name\nA,B\n"))
    assert.deepStrictEqual(records[0]!.cells, ["external_id", "name"])
  })

  it("decodes UTF-16 LE and BE when a byte order mark says so", async () => {
    const text = "id\tname\r\nA\tZoë Åström\r\n"
    const units = Array.from(text, (character) => character.charCodeAt(0))
    const le = new Uint8Array([0xff, 0xfe, ...units.flatMap((unit) => [unit & 0xff, unit >> 8])])
    const be = new Uint8Array([0xfe, 0xff, ...units.flatMap((unit) => [unit >> 8, unit & 0xff])])
    for (const bytes of [le, be]) {
      const records = await read(bytes, {}, 3)
      assert.deepStrictEqual(records[1]!.cells, ["A", "Zoë Åström"])
    }
  })

  it("decodes Windows-1252 only when asked, and fails otherwise naming the line", async () => {
    const bytes = new Uint8Array([...utf8("id,name\r\nA,Jos"), 0xe9, ...utf8("\r\n")])
    const problem = await failure(bytes)
    assert.strictEqual(problem.code, "ENCODING_INVALID")
    assert.strictEqual(problem.line, 2)
    assert.include(problem.message, "--encoding windows-1252")
    const records = await read(bytes, { encoding: "windows-1252" })
    assert.deepStrictEqual(records[1]!.cells, ["A", "José"])
  })

  it("fails on the five bytes Windows-1252 leaves unassigned, naming their line", async () => {
    for (const byte of [0x81, 0x8d, 0x8f, 0x90, 0x9d]) {
      const bytes = new Uint8Array([...utf8("id,name\nA,B\nC,D"), byte, ...utf8("\n")])
      const problem = await failure(bytes, { encoding: "windows-1252" })
      assert.strictEqual(problem.code, "ENCODING_INVALID")
      assert.strictEqual(problem.line, 3)
      assert.include(problem.message, "not valid WINDOWS-1252")
    }
    const records = await read(new Uint8Array([...utf8("id\nA"), 0x80, 0x9f]), {
      encoding: "windows-1252"
    })
    assert.deepStrictEqual(records[1]!.cells, ["A€Ÿ"])
  })

  it("refuses a byte order mark that contradicts the encoding asked for", async () => {
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8("id,name\nA,B\n")])
    const problem = await failure(bom, { encoding: "windows-1252" })
    assert.strictEqual(problem.code, "ENCODING_INVALID")
    assert.strictEqual(problem.line, 1)
    assert.strictEqual(
      problem.message,
      "The file starts with a UTF-8 byte order mark, but it was to be read as WINDOWS-1252. " +
        "Import it with the encoding auto or utf-8: --encoding auto (API: encoding=auto)."
    )
    const utf16 = new Uint8Array([0xff, 0xfe, 0x69, 0, 0x64, 0])
    assert.include((await failure(utf16, { encoding: "utf-8" })).message, "UTF-16LE byte order")
    const records = await read(bom, { encoding: "utf-8" })
    assert.deepStrictEqual(records[0]!.cells, ["id", "name"])
  })

  it("hints at a damaged file, not at Windows-1252, for bad UTF-16", async () => {
    const bytes = new Uint8Array([0xff, 0xfe, 0x69, 0, 0x0a, 0, 0x00, 0xdc, 0x0a, 0])
    const problem = await failure(bytes)
    assert.strictEqual(problem.code, "ENCODING_INVALID")
    assert.strictEqual(problem.line, 2)
    assert.include(problem.message, "not valid UTF-16LE")
    assert.notInclude(problem.message, "windows-1252")
  })

  it("never lets a replacement character through", async () => {
    const problem = await failure(utf8("id\nA\nB\ufffd\n"))
    assert.strictEqual(problem.code, "ENCODING_INVALID")
    assert.strictEqual(problem.line, 3)
  })

  it("detects semicolon, tab and pipe delimiters from the header line", async () => {
    for (const delimiter of [";", "\t", "|"]) {
      const records = await read(utf8(`id${delimiter}name\nA${delimiter}Meier, Schulz\n`))
      assert.deepStrictEqual(records[1]!.cells, ["A", "Meier, Schulz"])
    }
  })

  it("takes the delimiter from a first line sep=; and does not treat it as the header", async () => {
    const records = await read(utf8("sep=;\r\nid;name\r\nA;B,C\r\n"))
    assert.deepStrictEqual(records[0], { line: 2, cells: ["id", "name"], oversize: null })
    assert.deepStrictEqual(records[1]!.cells, ["A", "B,C"])
  })

  it("fails the file naming the line where a quote that never closes opened", async () => {
    const problem = await failure(utf8('id,name\nA,"open\nB,C\nD,E\n'))
    assert.strictEqual(problem.code, "QUOTE_NOT_CLOSED")
    assert.strictEqual(problem.line, 2)
  })

  it("fails the file when a closing quote is followed by more text", async () => {
    const problem = await failure(utf8('id,name\nA,"Reyes, Inc\nB,"Ivanov"\n'))
    assert.strictEqual(problem.code, "QUOTE_NOT_CLOSED")
    assert.strictEqual(problem.line, 2)
  })

  it("hands out the records read before a badly closed field, then fails", async () => {
    const records: Array<CsvRecord> = []
    const bytes = utf8('id,name\nZ,ok\nA,"Reyes, Inc\nB,"Ivanov"\nC,d\nE,f\n')
    let problem: CsvFileError | null = null
    try {
      for await (const record of readCsvRecords(chunked(bytes, 1024), defaults)) {
        records.push(record)
      }
    } catch (error) {
      problem = error as CsvFileError
    }
    assert.deepStrictEqual(lines(records), [1, 2])
    assert.strictEqual(problem?.problem.code, "QUOTE_NOT_CLOSED")
  })

  it("names the opening line of a badly closed field after a multi-line field", async () => {
    const problem = await failure(utf8('id,a,b\nA,"x\r\ny","open\nB,"C"\n'))
    assert.strictEqual(problem.code, "QUOTE_NOT_CLOSED")
    assert.strictEqual(problem.line, 3)
  })

  it("keeps a quoted value that starts with a doubled quote", async () => {
    const records = await read(utf8('id,name\nA,"""Best"" Co"\nB,x\n'))
    assert.deepStrictEqual(records[1]!.cells, ["A", '"Best" Co'])
    assert.deepStrictEqual(records[2], { line: 3, cells: ["B", "x"], oversize: null })
  })

  it("keeps a stray quote inside an unquoted field as a character", async () => {
    const records = await read(utf8('id,name\nA,5" screen\n'))
    assert.deepStrictEqual(records[1]!.cells, ["A", '5" screen'])
  })

  it("reads doubled quotes inside quotes as one quote", async () => {
    const records = await read(utf8('id,name\nA,"say ""hi"", then go"\n'))
    assert.deepStrictEqual(records[1]!.cells, ["A", 'say "hi", then go'])
  })

  it("marks an over-long field and keeps reading the records after it", async () => {
    const long = "x".repeat(100)
    const records = await read(utf8(`id,name\nA,${long}\nB,ok\n`), { maxFieldLength: 50 })
    assert.deepStrictEqual(records[1]!.oversize, { _tag: "FieldTooLong", column: 1, limit: 50 })
    assert.deepStrictEqual(records[2], { line: 3, cells: ["B", "ok"], oversize: null })
  })

  it("marks an over-long record and keeps reading the records after it", async () => {
    const row = Array.from({ length: 40 }, () => "abc").join(",")
    const records = await read(utf8(`id,name\n${row}\nB,ok\n`), { maxRecordLength: 100 })
    assert.strictEqual(records[1]!.oversize?._tag, "RecordTooLong")
    assert.deepStrictEqual(records[2]!.cells, ["B", "ok"])
  })

  it("yields blank lines as records of one empty cell and adds no record after a final break", async () => {
    const records = await read(utf8("id\r\n\r\nA\r\n"))
    assert.deepStrictEqual(
      records.map((record) => record.cells),
      [["id"], [""], ["A"]]
    )
  })
})
