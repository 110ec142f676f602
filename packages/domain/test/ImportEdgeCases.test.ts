import { assert, describe, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { BEFORE_FIRST_LINE } from "../src/ImportJob.ts"
import { defaultImportSettings, type ImportSettings } from "../src/ImportSettings.ts"
import { importFile } from "../src/import/ImportFile.ts"
import { ContactStore } from "../src/ports/ContactStore.ts"
import { IdGenerator } from "../src/ports/IdGenerator.ts"
import { ImportJobStore } from "../src/ports/ImportJobStore.ts"
import { inMemoryStoresLayer } from "../src/testing/InMemoryStores.ts"

const file = (bytes: Uint8Array | string) => ({
  name: "edge.csv",
  open: async function* () {
    yield typeof bytes === "string" ? new TextEncoder().encode(bytes) : bytes
  }
})

const run = (text: Uint8Array | string, settings: Partial<ImportSettings>) =>
  importFile({
    file: file(text),
    settings: { ...defaultImportSettings, ...settings },
    dryRun: false
  })

const contactsIn = (division: string) =>
  ContactStore.use((store) => store.list({ division, limit: 1000 }))

const codes = (problems: ReadonlyArray<{ line: number; code: string; column: string | null }>) =>
  problems.map((problem) => `${problem.line}:${problem.column ?? "-"}:${problem.code}`)

layer(Layer.merge(inMemoryStoresLayer, IdGenerator.layerSequential))("reading edge cases", (it) => {
  describe("unknown columns", () => {
    it.effect("are ignored with one file-level warning that names them all", () =>
      Effect.gen(function* () {
        const job = yield* run(
          "External ID,First Name,notes,Favourite Colour\nU-1,Ada,call back,teal\nU-2,Oli,,\n",
          { division: "unknown-ignore" }
        )
        assert.strictEqual(job.state, "completed")
        assert.deepStrictEqual(codes(job.problems), ["1:-:UNKNOWN_COLUMN"])
        assert.strictEqual(job.problemCount, 1)
        assert.include(job.problems[0]?.message ?? "", '"notes", "Favourite Colour"')
        const contacts = yield* contactsIn("unknown-ignore")
        assert.deepStrictEqual(
          contacts.map((contact) => contact.custom),
          [{}, {}]
        )
      })
    )

    it.effect("are stored as custom fields with unknownColumns keep", () =>
      Effect.gen(function* () {
        const job = yield* run(
          "External ID,First Name,notes,Custom: Tier\nK-1,Ada,call back,gold\nK-2,Oli,,\n",
          { division: "unknown-keep", unknownColumns: "keep" }
        )
        assert.deepStrictEqual(codes(job.problems), [])
        const contacts = yield* contactsIn("unknown-keep")
        const byId = new Map(contacts.map((c) => [c.externalIds[0]?.externalId, c.custom]))
        assert.deepStrictEqual(byId.get("K-1"), { notes: "call back", Tier: "gold" })
        assert.deepStrictEqual(byId.get("K-2"), {})
      })
    )

    it.effect("are erased by a blank cell with blank clear, and kept without it", () =>
      Effect.gen(function* () {
        const first = "External ID,First Name,notes,Custom: Tier\nC-1,Ada,call back,gold\n"
        yield* run(first, { division: "custom-clear", unknownColumns: "keep" })
        const blank = "External ID,First Name,Custom: Tier\nC-1,Ada,\n"
        const ignored = yield* run(blank, { division: "custom-clear", unknownColumns: "keep" })
        assert.strictEqual(ignored.counters.contacts.unchanged, 1)
        const cleared = yield* run(blank, {
          division: "custom-clear",
          unknownColumns: "keep",
          blank: "clear"
        })
        assert.strictEqual(cleared.counters.contacts.updated, 1)
        const contacts = yield* contactsIn("custom-clear")
        // The column the second file has is erased; the one it does not have stays.
        assert.deepStrictEqual(
          contacts.map((contact) => contact.custom),
          [{ notes: "call back" }]
        )
        const again = yield* run(blank, {
          division: "custom-clear",
          unknownColumns: "keep",
          blank: "clear"
        })
        assert.strictEqual(again.counters.contacts.unchanged, 1)
      })
    )
  })

  describe("a mapping of a header the file does not have", () => {
    it.effect("fails the file while validating, naming the header, and writes nothing", () =>
      Effect.gen(function* () {
        const job = yield* run("External ID,First Name,Mobile\nM-1,Ada,+44 20 7946 0000\n", {
          division: "mapped-missing",
          mapping: { "Mobile Phone Nr": "Cell Phone" }
        })
        assert.strictEqual(job.state, "failed")
        assert.deepStrictEqual(codes(job.problems), ["1:-:MAPPED_HEADER_MISSING"])
        assert.include(job.problems[0]?.message ?? "", '"Mobile Phone Nr"')
        assert.strictEqual(job.counters.rowsImported, 0)
        assert.deepStrictEqual(yield* contactsIn("mapped-missing"), [])
      })
    )
  })

  describe("a header over the size limits", () => {
    it.effect("fails the file at the header's line instead of taking the next line as header", () =>
      Effect.gen(function* () {
        const long = "x".repeat(64 * 1024 + 1)
        const cell = yield* run(`\nExternal ID,${long}\nH-1,Ada\nH-2,Oli\n`, {
          division: "long-header"
        })
        assert.strictEqual(cell.state, "failed")
        assert.deepStrictEqual(codes(cell.problems), ["2:-:FIELD_TOO_LONG"])
        assert.include(cell.problems[0]?.message ?? "", "The header's column 2 is longer than")
        const many = Array.from({ length: 40 }, (_, index) => `${index}${"x".repeat(30_000)}`)
        const line = yield* run(`External ID,${many.join(",")}\nH-1,Ada\n`, {
          division: "long-header"
        })
        assert.deepStrictEqual(codes(line.problems), ["1:-:RECORD_TOO_LONG"])
        assert.strictEqual(line.counters.rowsImported, 0)
        assert.deepStrictEqual(yield* contactsIn("long-header"), [])
      })
    )
  })

  describe("rows that cannot be stored", () => {
    it.effect("fail a row with a NUL byte and import the rows around it", () =>
      Effect.gen(function* () {
        const job = yield* run("External ID,First Name\nN-1,Ada\nN-2,O\u0000li\nN-3,Sam\n", {
          division: "nul"
        })
        assert.strictEqual(job.counters.rowsImported, 2)
        assert.strictEqual(job.counters.rowsFailed, 1)
        assert.deepStrictEqual(codes(job.problems), ["3:First Name:BINARY_CONTENT"])
        assert.strictEqual(job.problemCount, 1)
        const names = (yield* contactsIn("nul")).map((contact) => contact.firstName).sort()
        assert.deepStrictEqual(names, ["Ada", "Sam"])
      })
    )

    it.effect("fail a row with a field over 64 KiB and import the rows after it", () =>
      Effect.gen(function* () {
        const long = "x".repeat(64 * 1024 + 1)
        const job = yield* run(`External ID,First Name\nL-1,${long}\nL-2,Oli\n`, {
          division: "long"
        })
        assert.strictEqual(job.counters.rowsImported, 1)
        assert.strictEqual(job.counters.rowsFailed, 1)
        assert.deepStrictEqual(
          job.problems.map((problem) => `${problem.line}:${problem.code}`),
          ["2:FIELD_TOO_LONG"]
        )
        const contacts = yield* contactsIn("long")
        assert.deepStrictEqual(
          contacts.map((contact) => contact.externalIds[0]?.externalId),
          ["L-2"]
        )
      })
    )
  })

  describe("a file with repeated External IDs", () => {
    const text =
      "external_id,first_name,last_name,email,phone\n" +
      "C-2501,Ivy,Nguyen,ivy@example.com,\n" +
      "C-2502,Raj,Patel,raj@example.com,\n" +
      "C-2501,Ivy,Nguyen-Hale,ivy.hale@example.com,(202) 555-0150\n"

    it.effect("gives the same result on every run", () =>
      Effect.gen(function* () {
        const first = yield* run(text, { division: "repeats" })
        assert.deepStrictEqual(first.counters.contacts, {
          created: 2,
          updated: 1,
          merged: 0,
          unchanged: 0
        })
        assert.deepStrictEqual(
          first.problems
            .filter((problem) => problem.code === "DUPLICATE_EXTERNAL_ID_IN_FILE")
            .map((problem) => problem.line),
          [4]
        )
        const second = yield* run(text, { division: "repeats" })
        const contacts = yield* contactsIn("repeats")
        assert.strictEqual(contacts.length, 2)
        const ivy = contacts.find((contact) => contact.externalIds[0]?.externalId === "C-2501")
        assert.strictEqual(ivy?.lastName, "Nguyen-Hale")
        assert.strictEqual(ivy?.workEmail, "ivy.hale@example.com")
        assert.strictEqual(ivy?.workPhone?.e164, "+12025550150")
        assert.strictEqual(second.counters.rowsImported, 3)
        assert.strictEqual(second.counters.contacts.created, 0)
      })
    )
  })
})

layer(Layer.merge(inMemoryStoresLayer, IdGenerator.layerSequential))(
  "file limits and names",
  (it) => {
    it.effect("rejects a file over the size limit and writes nothing", () =>
      Effect.gen(function* () {
        const job = yield* run("External ID,First Name\nF-1,Ada\nF-2,Oli\n", {
          division: "too-large",
          maxFileBytes: 16
        })
        assert.strictEqual(job.state, "failed")
        assert.deepStrictEqual(
          job.problems.map((problem) => problem.code),
          ["FILE_TOO_LARGE"]
        )
        assert.include(job.problems[0]?.message ?? "", "16 bytes")
        assert.strictEqual(job.problemCount, 1)
        // A problem of the file as a whole is on line 0, and paging from the top finds it.
        const paged = yield* ImportJobStore.use((store) =>
          store.problems(job.id, BEFORE_FIRST_LINE, 10)
        )
        assert.deepStrictEqual(codes(paged), ["0:-:FILE_TOO_LARGE"])
        assert.deepStrictEqual(yield* contactsIn("too-large"), [])
      })
    )

    it.effect("warns when organization names differ only by punctuation or legal form", () =>
      Effect.gen(function* () {
        const job = yield* run(
          "External ID,First Name,Organization Name\n" +
            "D-1,Ada,Acme Corp.\n" +
            "D-2,Oli,ACME  CORP.\n" +
            "D-3,Sam,Acme Corporation\n" +
            "D-4,Kim,Bluefin\n",
          { division: "names", organizationKey: "name" }
        )
        assert.deepStrictEqual(codes(job.problems), [
          "4:Organization Name:POSSIBLE_DUPLICATE_ORGANIZATION"
        ])
        assert.include(job.problems[0]?.message ?? "", '"Acme Corp." on line 2')
        assert.deepStrictEqual(job.counters.organizations, { created: 3, updated: 0, unchanged: 0 })
        assert.strictEqual(job.counters.warnings, 1)
      })
    )
  }
)

layer(Layer.merge(inMemoryStoresLayer, IdGenerator.layerSequential))("binary files", (it) => {
  it.effect("rejects UTF-16 without a byte order mark, naming the header line", () =>
    Effect.gen(function* () {
      const text = "External ID,First Name\r\nB-1,Ada\r\n"
      const bytes = new Uint8Array(text.length * 2)
      for (let index = 0; index < text.length; index++) bytes[index * 2] = text.charCodeAt(index)
      const job = yield* run(bytes, { division: "utf16-nobom" })
      assert.strictEqual(job.state, "failed")
      assert.deepStrictEqual(codes(job.problems), ["1:-:BINARY_CONTENT"])
      assert.include(job.problems[0]?.message ?? "", "UTF-16")
      assert.deepStrictEqual(yield* contactsIn("utf16-nobom"), [])
    })
  )

  it.effect("rejects an executable as binary, not with an encoding hint", () =>
    Effect.gen(function* () {
      // The start of an ELF file: magic, class, byte order, version, padding, then code bytes.
      const bytes = new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 0xff, 0xfe])
      const job = yield* run(bytes, { division: "elf" })
      assert.strictEqual(job.state, "failed")
      assert.deepStrictEqual(codes(job.problems), ["1:-:BINARY_CONTENT"])
      assert.include(job.problems[0]?.message ?? "", "not a text file")
      assert.deepStrictEqual(yield* contactsIn("elf"), [])
    })
  )

  it.effect("rejects a file of NUL bytes as binary, not as empty", () =>
    Effect.gen(function* () {
      const job = yield* run(new Uint8Array(1000), { division: "zeros" })
      assert.strictEqual(job.state, "failed")
      assert.deepStrictEqual(
        job.problems.map((problem) => problem.code),
        ["BINARY_CONTENT"]
      )
    })
  )
})
