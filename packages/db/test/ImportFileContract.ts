import { readFileSync } from "node:fs"
import { assert, describe, layer } from "@effect/vitest"
import {
  ContactStore,
  defaultImportSettings,
  IdGenerator,
  type ImportSettings,
  importFile,
  OrganizationStore
} from "@xcontacts/domain"
import { Effect, Layer } from "effect"
import type { Stores } from "./TestDatabase.ts"

const examples = new URL("../../../../shared/fixtures/examples/", import.meta.url)

const fixture = (name: string) => {
  const bytes = readFileSync(new URL(name, examples))
  return {
    name,
    open: async function* () {
      yield bytes
    }
  }
}

const run = (name: string, settings: Partial<ImportSettings> = {}) =>
  importFile({
    file: fixture(name),
    settings: { ...defaultImportSettings, ...settings },
    dryRun: false
  })

const contactsOf = (source: string) =>
  ContactStore.use((store) => store.list({ limit: 1000 })).pipe(
    Effect.map((contacts) =>
      contacts.filter((contact) => contact.externalIds.some((id) => id.source === source))
    )
  )

/**
 * The worked examples of spec §8, imported end to end through the store on `stores`. Each store
 * adapter runs this same suite.
 */
export const importFileContract = (stores: Stores) =>
  layer(Layer.merge(stores, IdGenerator.layer), { timeout: 60_000 })(
    "importing the worked examples of spec §8",
    (it) => {
      describe("example 1", () => {
        it.effect("creates one organization and one contact linked to it", () =>
          Effect.gen(function* () {
            const job = yield* run("01-contact-with-org.csv", { source: "ex1" })
            assert.strictEqual(job.state, "completed")
            assert.deepStrictEqual(job.counters.contacts, {
              created: 1,
              updated: 0,
              merged: 0,
              unchanged: 0
            })
            assert.deepStrictEqual(job.counters.organizations, {
              created: 1,
              updated: 0,
              unchanged: 0
            })
            const [contact] = yield* contactsOf("ex1")
            assert.strictEqual(contact?.firstName, "Mira")
            assert.strictEqual(contact?.lastName, "Okafor")
            assert.strictEqual(contact?.title, "Head of Repairs")
            assert.strictEqual(contact?.workPhone?.e164, "+442079460321")
            const organization = yield* OrganizationStore.use((store) =>
              store.get(contact!.organizationId!)
            )
            assert.strictEqual(organization._tag, "Some")
            if (organization._tag === "Some") {
              assert.strictEqual(organization.value.name, "Harbour Lights Ltd")
              assert.deepStrictEqual(organization.value.externalIds, [
                { source: "ex1", externalId: "ORG-7" }
              ])
            }
          })
        )
      })

      describe("example 2", () => {
        it.effect("joins three contacts to one organization", () =>
          Effect.gen(function* () {
            const job = yield* run("02-three-contacts-one-org.csv", { source: "ex2" })
            assert.strictEqual(job.counters.rowsImported, 3)
            assert.strictEqual(job.counters.contacts.created, 3)
            assert.strictEqual(job.counters.organizations.created, 1)
            const contacts = yield* contactsOf("ex2")
            assert.deepStrictEqual(
              contacts.flatMap((contact) => contact.externalIds.map((id) => id.externalId)).sort(),
              ["K-1", "K-2", "K-3"]
            )
            assert.strictEqual(new Set(contacts.map((contact) => contact.organizationId)).size, 1)
            assert.notStrictEqual(contacts[0]?.organizationId, null)
          })
        )
      })

      describe("example 3", () => {
        it.effect("creates a second contact for a new External ID, without matching by email", () =>
          Effect.gen(function* () {
            yield* run("03a-first-import.csv", { source: "ex3" })
            const second = yield* run("03b-new-external-id.csv", { source: "ex3" })
            assert.strictEqual(second.counters.contacts.created, 1)
            assert.strictEqual(second.counters.contacts.merged, 0)
            const contacts = yield* contactsOf("ex3")
            assert.strictEqual(contacts.length, 2)
            assert.deepStrictEqual(
              contacts.map((contact) => contact.workEmail),
              ["li@example.org", "li@example.org"]
            )
          })
        )
      })

      describe("example 6", () => {
        it.effect("reports every row unchanged when the same file is imported twice", () =>
          Effect.gen(function* () {
            yield* run("template.csv", { source: "ex6" })
            const again = yield* run("template.csv", { source: "ex6" })
            assert.strictEqual(again.state, "completed")
            assert.strictEqual(again.counters.rowsImported, 3)
            assert.deepStrictEqual(again.counters.contacts, {
              created: 0,
              updated: 0,
              merged: 0,
              unchanged: 2
            })
            assert.deepStrictEqual(again.counters.organizations, {
              created: 0,
              updated: 0,
              unchanged: 2
            })
          })
        )
      })
    }
  )
