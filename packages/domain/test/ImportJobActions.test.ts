import { assert, describe, layer } from "@effect/vitest"
import { Effect, Exit, Layer } from "effect"
import { defaultImportSettings } from "../src/ImportSettings.ts"
import { importFile } from "../src/import/ImportFile.ts"
import { cancelImportJob, continueImportJob } from "../src/import/ImportJobActions.ts"
import { ContactStore } from "../src/ports/ContactStore.ts"
import { IdGenerator } from "../src/ports/IdGenerator.ts"
import { createContact } from "../src/records/CreateContact.ts"
import { inMemoryStoresLayer } from "../src/testing/InMemoryStores.ts"

const file = (text: string) => ({
  name: "jobs.csv",
  open: async function* () {
    yield new TextEncoder().encode(text)
  }
})

const header = "External ID,First Name,Last Name,Work Email\n"

/** An update, a create (B-1), its repeat, a failed row and a legacy match (L-1). */
const mixed =
  header +
  "A-1,Ann,Alder,ann@example.org\n" +
  "B-1,Ben,Birch,ben@example.org\n" +
  "B-1,Benjamin,Birch,ben@example.org\n" +
  "C-1,Cara,Cedar,not-an-email\n" +
  "L-1,Lee,Larch,lee@example.org\n"

const settingsIn = (division: string) => ({ ...defaultImportSettings, source: "s", division })

/** A division holding A-1 from an earlier import and a legacy contact with Lee's email. */
const seeded = (division: string) =>
  Effect.gen(function* () {
    yield* importFile({
      file: file(`${header}A-1,Anna,Alder,ann@example.org\n`),
      settings: settingsIn(division),
      dryRun: false
    })
    yield* createContact({
      division,
      fields: { lastName: "Larch", workEmail: "lee@example.org" },
      externalIds: []
    })
  })

const storedIn = (division: string) =>
  Effect.map(
    ContactStore.use((store) => store.list({ division, limit: 100 })),
    (contacts) =>
      contacts
        .map((contact) => ({
          ids: contact.externalIds.map((id) => id.externalId),
          firstName: contact.firstName,
          email: contact.workEmail
        }))
        .toSorted((a, b) => (a.email ?? "").localeCompare(b.email ?? ""))
  )

layer(Layer.merge(inMemoryStoresLayer, IdGenerator.layer))("import jobs step by step", (it) => {
  describe("validate, then continue", () => {
    it.effect("commits the counters validation foresaw, as a direct import does", () =>
      Effect.gen(function* () {
        yield* seeded("direct")
        const direct = yield* importFile({
          file: file(mixed),
          settings: settingsIn("direct"),
          dryRun: false,
          chunkSize: 2
        })
        assert.strictEqual(direct.state, "completed")
        assert.deepStrictEqual(direct.counters, {
          rowsTotal: 5,
          rowsImported: 4,
          rowsFailed: 1,
          rowsBlank: 0,
          warnings: 1,
          contacts: { created: 1, updated: 2, merged: 1, unchanged: 0 },
          organizations: { created: 0, updated: 0, unchanged: 0 }
        })

        yield* seeded("stepwise")
        const validated = yield* importFile({
          file: file(mixed),
          settings: settingsIn("stepwise"),
          dryRun: false,
          waitForContinue: true,
          chunkSize: 2
        })
        assert.strictEqual(validated.state, "validated")
        assert.deepStrictEqual(validated.counters, direct.counters)
        assert.deepStrictEqual(yield* storedIn("stepwise"), [
          { ids: ["A-1"], firstName: "Anna", email: "ann@example.org" },
          { ids: [], firstName: null, email: "lee@example.org" }
        ])

        const completed = yield* continueImportJob(validated.id, {
          source: file(mixed),
          chunkSize: 2
        })
        assert.strictEqual(completed.state, "completed")
        assert.deepStrictEqual(completed.counters, direct.counters)
        assert.deepStrictEqual(yield* storedIn("stepwise"), yield* storedIn("direct"))
        assert.deepStrictEqual(yield* storedIn("stepwise"), [
          { ids: ["A-1"], firstName: "Ann", email: "ann@example.org" },
          { ids: ["B-1"], firstName: "Benjamin", email: "ben@example.org" },
          { ids: ["L-1"], firstName: "Lee", email: "lee@example.org" }
        ])
      })
    )
  })

  describe("cancel", () => {
    it.effect("a job cancelled after validation writes nothing and cannot continue", () =>
      Effect.gen(function* () {
        yield* seeded("cancel")
        const before = yield* storedIn("cancel")
        const validated = yield* importFile({
          file: file(mixed),
          settings: settingsIn("cancel"),
          dryRun: false,
          waitForContinue: true
        })
        const cancelled = yield* cancelImportJob(validated.id)
        assert.strictEqual(cancelled.state, "cancelled")

        const continued = yield* Effect.exit(
          continueImportJob(validated.id, { source: file(mixed) })
        )
        assert.isTrue(Exit.isFailure(continued))
        assert.deepStrictEqual(yield* storedIn("cancel"), before)
      })
    )
  })
})
