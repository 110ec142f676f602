import { assert, describe, layer } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import { TestClock } from "effect/testing"
import type { ContactFields } from "../src/Contact.ts"
import { BEFORE_FIRST_LINE, type ImportJob } from "../src/ImportJob.ts"
import { defaultImportSettings, type ImportSettings } from "../src/ImportSettings.ts"
import { importFile, type RunOptions } from "../src/import/ImportFile.ts"
import { normalizePhone } from "../src/Phone.ts"
import { parsePhoneCountry } from "../src/PhoneCountry.ts"
import { ContactStore } from "../src/ports/ContactStore.ts"
import { ExternalSourceStore } from "../src/ports/ExternalSourceStore.ts"
import { IdGenerator } from "../src/ports/IdGenerator.ts"
import { ImportJobStore } from "../src/ports/ImportJobStore.ts"
import { OrganizationStore } from "../src/ports/OrganizationStore.ts"
import { createContact } from "../src/records/CreateContact.ts"
import { createOrganization } from "../src/records/CreateOrganization.ts"
import type { ContractStores } from "./ContractStores.ts"
import { jobsContract } from "./JobsContract.ts"
import { problemsContract } from "./ProblemsContract.ts"

export type { ContractStores } from "./ContractStores.ts"

/** The worked examples of spec §8, as the files in shared/fixtures/examples hold them. */
export const examples = {
  "01-contact-with-org.csv":
    "External ID,First Name,Last Name,Title,Work Email,Work Phone," +
    "External Organization External ID,Organization Name\n" +
    "P-100,Mira,Okafor,Head of Repairs,mira.okafor@harbourlights.example," +
    "+44 20 7946 0321,ORG-7,Harbour Lights Ltd\n",
  "02-three-contacts-one-org.csv":
    "External ID,First Name,Last Name,Work Email," +
    "External Organization External ID,Organization Name,Industry\n" +
    "K-1,Tomas,Reyes,t.reyes@paperstreet.example,ORG-9,Paper Street Supplies,Wholesale\n" +
    "K-2,Ines,Marlow,i.marlow@paperstreet.example,ORG-9,Paper Street Supplies,Wholesale\n" +
    "K-3,Dev,Anand,d.anand@paperstreet.example,ORG-9,Paper Street Supplies,Wholesale\n",
  "03a-first-import.csv":
    "External ID,First Name,Last Name,Work Email\nK-1,Li,Chen,li@example.org\n",
  "03b-new-external-id.csv":
    "External ID,First Name,Last Name,Work Email\nK-1B,Li,Chen,li@example.org\n",
  "04-legacy-match.csv":
    'External ID,First Name,Last Name,Work Email\nS-1,Sam,Porter,"sam@example.com "\n',
  "05-org-fields-differ.csv":
    "External ID,First Name,Last Name,External Organization External ID,Organization Name\n" +
    "B-1,Ada,Brook,ORG-3,Bluefin\n" +
    "B-2,Oli,Stone,ORG-3,Bluefin Inc\n"
} as const

const template =
  "External ID,First Name,Last Name,Work Phone,Phone Country,Work Email," +
  "External Organization External ID,Organization Name,Tags\n" +
  "CRM-0001,Nadia,Quist,+1 415 555 0134,US,nadia.quist@northwind.example," +
  "ACC-100,Northwind Traders,key-account;west\n" +
  "CRM-0002,Jonas,Weber,030 901820,DE,j.weber@northwind.example," +
  "ACC-100,Northwind Traders,key-account;west\n" +
  ",,,,,,ACC-200,Contoso Builders,\n"

const file = (text: string) => ({
  name: "contract.csv",
  open: async function* () {
    yield new TextEncoder().encode(text)
  }
})

const run = (
  text: string,
  settings: Partial<ImportSettings>,
  options: {
    readonly chunkSize?: number
    readonly dryRun?: boolean
    readonly onProgress?: RunOptions["onProgress"]
  } = {}
) =>
  importFile({
    file: file(text),
    settings: { ...defaultImportSettings, ...settings },
    dryRun: options.dryRun ?? false,
    ...(options.chunkSize === undefined ? {} : { chunkSize: options.chunkSize }),
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress })
  })

/** Each problem as `line:CODE`, the form the tests compare. */
const codes = (job: ImportJob) => job.problems.map((problem) => `${problem.line}:${problem.code}`)

const contactsIn = (division: string) =>
  ContactStore.use((store) => store.list({ division, limit: 1000 }))

const organizationsIn = (division: string) =>
  OrganizationStore.use((store) => store.list({ division, limit: 1000 }))

const idsOf = (contact: {
  readonly externalIds: ReadonlyArray<{ source: string; externalId: string }>
}) => contact.externalIds.map((id) => `${id.source}:${id.externalId}`).toSorted()

/** A legacy contact created by hand, one minute after the previous one (so ages differ). */
const legacy = (
  division: string,
  fields: Partial<ContactFields>,
  externalIds = [] as Array<{ source: string; externalId: string }>
) =>
  Effect.gen(function* () {
    yield* TestClock.adjust("1 minute")
    return yield* createContact({ division, fields, externalIds })
  })

const phone = (raw: string) => normalizePhone(raw, parsePhoneCountry("US")!).phone

const get = (id: string) =>
  ContactStore.use((store) => store.get(id)).pipe(Effect.map(Option.getOrThrow))

/**
 * The merge rules of spec §6 and the worked examples of §8, run against any adapter of the store
 * ports. Each test works in its own division, so one store serves the whole suite.
 */
export const importContract = <E>(name: string, stores: Layer.Layer<ContractStores, E>) =>
  layer(Layer.merge(stores, IdGenerator.layer), { timeout: 120_000 })(name, (it) => {
    describe("worked examples of spec §8", () => {
      it.effect("1: one row creates one organization and one contact linked to it", () =>
        Effect.gen(function* () {
          const job = yield* run(examples["01-contact-with-org.csv"], {
            source: "s",
            division: "ex1"
          })
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
          assert.deepStrictEqual(codes(job), ["2:PHONE_NOT_E164"])
          const [contact] = yield* contactsIn("ex1")
          const [organization] = yield* organizationsIn("ex1")
          assert.strictEqual(contact?.firstName, "Mira")
          assert.strictEqual(contact?.title, "Head of Repairs")
          assert.strictEqual(contact?.workPhone?.e164, "+442079460321")
          assert.deepStrictEqual(idsOf(contact!), ["s:P-100"])
          assert.strictEqual(organization?.name, "Harbour Lights Ltd")
          assert.deepStrictEqual(idsOf(organization!), ["s:ORG-7"])
          assert.strictEqual(contact?.organizationId, organization?.id)
        })
      )

      it.effect(
        "2: three rows with one organization key make one organization with three contacts",
        () =>
          Effect.gen(function* () {
            const job = yield* run(examples["02-three-contacts-one-org.csv"], {
              source: "s",
              division: "ex2"
            })
            assert.strictEqual(job.counters.contacts.created, 3)
            assert.deepStrictEqual(job.counters.organizations, {
              created: 1,
              updated: 0,
              unchanged: 0
            })
            const organizations = yield* organizationsIn("ex2")
            assert.strictEqual(organizations.length, 1)
            assert.strictEqual(organizations[0]?.industry, "Wholesale")
            const members = yield* ContactStore.use((store) =>
              store.list({ organizationId: organizations[0]!.id, limit: 10 })
            )
            assert.deepStrictEqual(members.map((c) => c.lastName).toSorted(), [
              "Anand",
              "Marlow",
              "Reyes"
            ])
          })
      )

      it.effect(
        "3: a new External ID makes a second contact and warns that the person is claimed",
        () =>
          Effect.gen(function* () {
            yield* run(examples["03a-first-import.csv"], { source: "s", division: "ex3" })
            const second = yield* run(examples["03b-new-external-id.csv"], {
              source: "s",
              division: "ex3"
            })
            assert.deepStrictEqual(second.counters.contacts, {
              created: 1,
              updated: 0,
              merged: 0,
              unchanged: 0
            })
            assert.deepStrictEqual(codes(second), ["2:IDENTITY_ALREADY_CLAIMED"])
            const contacts = yield* contactsIn("ex3")
            assert.deepStrictEqual(contacts.map(idsOf).toSorted(), [["s:K-1"], ["s:K-1B"]])
          })
      )

      it.effect(
        "4: a legacy contact matched by email case- and space-insensitively takes the External ID",
        () =>
          Effect.gen(function* () {
            const sam = yield* legacy("ex4", { workEmail: "Sam@Example.com" })
            const job = yield* run(examples["04-legacy-match.csv"], {
              source: "s",
              division: "ex4"
            })
            assert.deepStrictEqual(job.counters.contacts, {
              created: 0,
              updated: 0,
              merged: 1,
              unchanged: 0
            })
            assert.deepStrictEqual(codes(job), [])
            const contacts = yield* contactsIn("ex4")
            assert.strictEqual(contacts.length, 1)
            assert.strictEqual(contacts[0]?.id, sam.id)
            assert.deepStrictEqual(idsOf(contacts[0]!), ["s:S-1"])
            assert.strictEqual(contacts[0]?.firstName, "Sam")
            assert.strictEqual(contacts[0]?.lastName, "Porter")
            assert.strictEqual(contacts[0]?.workEmail, "Sam@Example.com")
          })
      )

      it.effect("5: rows that disagree on an organization apply in order and warn", () =>
        Effect.gen(function* () {
          const job = yield* run(examples["05-org-fields-differ.csv"], {
            source: "s",
            division: "ex5"
          })
          assert.deepStrictEqual(codes(job), ["3:ORGANIZATION_FIELDS_DIFFER"])
          assert.deepStrictEqual(job.counters.organizations, {
            created: 1,
            updated: 0,
            unchanged: 0
          })
          const organizations = yield* organizationsIn("ex5")
          assert.deepStrictEqual(
            organizations.map((o) => o.name),
            ["Bluefin Inc"]
          )
        })
      )

      it.effect(
        "warns ORGANIZATION_FIELDS_DIFFER for the file's rows, not for another writer",
        () =>
          Effect.gen(function* () {
            const text =
              "External ID,External Organization External ID,Organization Name,Industry\n" +
              "W-1,ORG-W,Weir,Fishing\n" +
              "W-2,ORG-W,Weir,Fishing\n" +
              "W-3,ORG-W,Weir,Ferries\n"
            const organizations = yield* OrganizationStore
            let edited = false
            // Someone renames the organization while the import is between its first two chunks.
            const job = yield* run(
              text,
              { source: "s", division: "elsewhere" },
              {
                chunkSize: 1,
                onProgress: (_id, state) =>
                  Effect.gen(function* () {
                    if (state !== "importing" || edited) return
                    edited = true
                    const [created] = yield* organizations.list({
                      division: "elsewhere",
                      limit: 10
                    })
                    yield* organizations.update({
                      ...created!,
                      name: "Weir Holdings",
                      updatedAt: "2999-01-01T00:00:00.000Z"
                    })
                  }).pipe(Effect.orDie)
              }
            )
            assert.isTrue(edited)
            // Line 3 puts the name back without a word; line 4 disagrees with line 3.
            assert.deepStrictEqual(codes(job), ["4:ORGANIZATION_FIELDS_DIFFER"])
            assert.include(job.problems[0]?.message ?? "", "(industry)")
            const [organization] = yield* organizationsIn("elsewhere")
            assert.strictEqual(organization?.name, "Weir")
            assert.strictEqual(organization?.industry, "Ferries")
          })
      )

      it.effect("reports ORGANIZATION_NAME_REQUIRED with a rejected row's other errors", () =>
        Effect.gen(function* () {
          const text =
            "External ID,External System URL,External Organization External ID,Organization Name\n" +
            "R-1,ftp://x,ORG-N,\n" +
            "R-2,,ORG-M,Maple\n" +
            "R-3,ftp://x,ORG-M,\n" +
            "R-4,ftp://x,ORG-L,\n" +
            "R-5,,ORG-L,Larch\n" +
            "R-6,ftp://x,ORG-L,\n"
          const expected = [
            "2:URL_INVALID",
            "2:ORGANIZATION_NAME_REQUIRED",
            "4:URL_INVALID",
            "5:URL_INVALID",
            "5:ORGANIZATION_NAME_REQUIRED",
            "7:URL_INVALID"
          ]
          for (const chunkSize of [1, 1000]) {
            const settings = { source: "s", division: `name-required-${chunkSize}` }
            const dry = yield* run(text, settings, { chunkSize, dryRun: true })
            const job = yield* run(text, settings, { chunkSize })
            assert.deepStrictEqual(codes(dry), expected, `dry run, chunks of ${chunkSize}`)
            assert.deepStrictEqual(codes(job), expected, `chunks of ${chunkSize}`)
            assert.strictEqual(job.counters.rowsFailed, 4)
            assert.deepStrictEqual(job.counters.organizations, {
              created: 2,
              updated: 0,
              unchanged: 0
            })
          }
        })
      )

      it.effect("fills in what an earlier row left blank without ORGANIZATION_FIELDS_DIFFER", () =>
        Effect.gen(function* () {
          const text =
            "External ID,External Organization External ID,Organization Name,Industry,Tags\n" +
            "F-1,ORG-F,Fjord,,\n" +
            "F-2,ORG-F,Fjord,Shipping,cold-chain\n" +
            "F-3,ORG-F,Fjord,Shipping,\n" +
            "F-4,ORG-F,Fjord,Ferries,\n"
          const job = yield* run(text, { source: "s", division: "fill-in" })
          assert.deepStrictEqual(codes(job), ["5:ORGANIZATION_FIELDS_DIFFER"])
          assert.include(job.problems[0]?.message ?? "", "(industry)")
          const [organization] = yield* organizationsIn("fill-in")
          assert.strictEqual(organization?.industry, "Ferries")
          assert.deepStrictEqual(organization?.tags, ["cold-chain"])
          assert.deepStrictEqual(job.counters.organizations, {
            created: 1,
            updated: 0,
            unchanged: 0
          })
        })
      )

      it.effect("6: importing the same file twice reports every row unchanged", () =>
        Effect.gen(function* () {
          yield* run(template, { source: "s", division: "ex6" })
          const again = yield* run(template, { source: "s", division: "ex6" })
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
          assert.strictEqual((yield* contactsIn("ex6")).length, 2)
        })
      )
    })

    describe("legacy matching", () => {
      it.effect("matches a legacy contact by an E.164 phone written in another format", () =>
        Effect.gen(function* () {
          const ann = yield* legacy("ph", { firstName: "Ann", homePhone: phone("(415) 555-0134") })
          const job = yield* run("External ID,Cell Phone\nP-1,+1 415-555-0134\n", {
            source: "s",
            division: "ph"
          })
          assert.strictEqual(job.counters.contacts.merged, 1)
          const stored = yield* get(ann.id)
          assert.deepStrictEqual(idsOf(stored), ["s:P-1"])
          assert.strictEqual(stored.cellPhone?.e164, "+14155550134")
          assert.strictEqual(stored.firstName, "Ann")
        })
      )

      it.effect("matches a contact that holds External IDs of other sources only", () =>
        Effect.gen(function* () {
          yield* run("External ID,Work Email\nC-1,li@crm.example\n", {
            source: "crm",
            division: "os"
          })
          const job = yield* run("External ID,Work Email\nE-1,LI@crm.example\n", {
            source: "erp",
            division: "os"
          })
          assert.strictEqual(job.counters.contacts.merged, 1)
          const contacts = yield* contactsIn("os")
          assert.deepStrictEqual(contacts.map(idsOf), [["crm:C-1", "erp:E-1"]])
        })
      )

      it.effect("an empty criteria list disables matching", () =>
        Effect.gen(function* () {
          yield* legacy("off", { workEmail: "a@b.example" })
          const job = yield* run("External ID,Work Email\nX-1,a@b.example\n", {
            source: "s",
            division: "off",
            match: []
          })
          assert.deepStrictEqual(job.counters.contacts, {
            created: 1,
            updated: 0,
            merged: 0,
            unchanged: 0
          })
          assert.deepStrictEqual(codes(job), [])
          assert.strictEqual((yield* contactsIn("off")).length, 2)
        })
      )

      it.effect("matches only by the criteria given", () =>
        Effect.gen(function* () {
          yield* legacy("crit", { workEmail: "a@b.example" })
          const job = yield* run("External ID,Work Email\nX-1,a@b.example\n", {
            source: "s",
            division: "crit",
            match: ["phone"]
          })
          assert.strictEqual(job.counters.contacts.created, 1)
          assert.strictEqual(job.counters.contacts.merged, 0)
        })
      )

      it.effect("never crosses divisions", () =>
        Effect.gen(function* () {
          yield* legacy("div-a", { workEmail: "d@b.example" })
          const job = yield* run("External ID,Work Email\nX-1,d@b.example\n", {
            source: "s",
            division: "div-b"
          })
          assert.strictEqual(job.counters.contacts.created, 1)
          assert.deepStrictEqual(idsOf((yield* contactsIn("div-a"))[0]!), [])
        })
      )

      it.effect(
        "update-first updates the first contact by criteria order and warns with the candidates",
        () =>
          Effect.gen(function* () {
            const byPhone = yield* legacy("uf", { homePhone: phone("415 555 0100") })
            const byEmail = yield* legacy("uf", { workEmail: "u@f.example" })
            const text = "External ID,Work Email,Work Phone\nU-1,u@f.example,+14155550100\n"
            const job = yield* run(text, { source: "s", division: "uf" })
            assert.strictEqual(job.counters.contacts.merged, 1)
            assert.deepStrictEqual(codes(job), ["2:AMBIGUOUS_MATCH"])
            assert.include(job.problems[0]!.message, `(${byEmail.id}, ${byPhone.id})`)
            assert.deepStrictEqual(idsOf(yield* get(byEmail.id)), ["s:U-1"])
            assert.deepStrictEqual(idsOf(yield* get(byPhone.id)), [])
            const phoneFirst = yield* run(text.replace("U-1", "U-2"), {
              source: "t",
              division: "uf",
              match: ["phone", "email"]
            })
            assert.strictEqual(phoneFirst.counters.contacts.merged, 1)
            assert.deepStrictEqual(idsOf(yield* get(byPhone.id)), ["t:U-2"])
          })
      )

      it.effect("update-first takes the oldest of contacts matched by the same criterion", () =>
        Effect.gen(function* () {
          const older = yield* legacy("old", { workEmail: "o@f.example" })
          const newer = yield* legacy("old", { personalEmail: "O@F.example" })
          const job = yield* run("External ID,Work Email\nO-1,o@f.example\n", {
            source: "s",
            division: "old"
          })
          assert.deepStrictEqual(codes(job), ["2:AMBIGUOUS_MATCH"])
          assert.deepStrictEqual(idsOf(yield* get(older.id)), ["s:O-1"])
          assert.deepStrictEqual(idsOf(yield* get(newer.id)), [])
        })
      )

      it.effect("merge-all folds every candidate into the oldest, the file winning conflicts", () =>
        Effect.gen(function* () {
          const oldest = yield* legacy(
            "ma",
            { workEmail: "m@a.example", firstName: "Old", title: "Chef" },
            [{ source: "crm", externalId: "C-9" }]
          )
          const second = yield* legacy(
            "ma",
            { workEmail: "m@a.example", lastName: "Second", homePhone: phone("415 555 0101") },
            [{ source: "crm", externalId: "C-10" }]
          )
          const third = yield* legacy("ma", { otherEmail: "M@A.example", title: "Cook" })
          const text = "External ID,First Name,Work Email\nM-1,New,m@a.example\n"
          const job = yield* run(text, { source: "s", division: "ma", merge: "merge-all" })
          assert.deepStrictEqual(job.counters.contacts, {
            created: 0,
            updated: 0,
            merged: 1,
            unchanged: 0
          })
          assert.deepStrictEqual(codes(job), ["2:AMBIGUOUS_MATCH"])
          const contacts = yield* contactsIn("ma")
          assert.deepStrictEqual(
            contacts.map((c) => c.id),
            [oldest.id]
          )
          const survivor = contacts[0]!
          assert.strictEqual(survivor.firstName, "New")
          assert.strictEqual(survivor.title, "Chef")
          assert.strictEqual(survivor.lastName, "Second")
          assert.strictEqual(survivor.homePhone?.e164, "+14155550101")
          assert.deepStrictEqual(idsOf(survivor), ["crm:C-10", "crm:C-9", "s:M-1"])
          const store = yield* ContactStore
          assert.deepStrictEqual(yield* store.mergedInto(second.id), Option.some(oldest.id))
          assert.deepStrictEqual(yield* store.mergedInto(third.id), Option.some(oldest.id))
          const merges = yield* store.merges(oldest.id)
          assert.deepStrictEqual(
            merges
              .map((m) => [m.absorbedId, m.line, m.movedExternalIds.map((id) => id.externalId)])
              .toSorted(),
            [
              [second.id, 2, ["C-10"]],
              [third.id, 2, []]
            ].toSorted()
          )
          assert.strictEqual((yield* get(second.id)).lastName, "Second")
          const again = yield* run(text, { source: "s", division: "ma", merge: "merge-all" })
          assert.deepStrictEqual(again.counters.contacts, {
            created: 0,
            updated: 0,
            merged: 0,
            unchanged: 1
          })
        })
      )

      it.effect(
        "a contact merged away never matches again, and a dry run folds like the import",
        () =>
          Effect.gen(function* () {
            const oldest = yield* legacy("ma2", { workEmail: "z@a.example" })
            yield* legacy("ma2", { personalEmail: "z@a.example" })
            const settings = { source: "s", division: "ma2", merge: "merge-all" } as const
            const text = "External ID,Work Email\nZ-1,z@a.example\nZ-2,z@a.example\n"
            const dry = yield* run(text, settings, { dryRun: true, chunkSize: 1 })
            const job = yield* run(text, settings, { chunkSize: 1 })
            for (const pass of [dry, job]) {
              assert.deepStrictEqual(pass.counters.contacts, {
                created: 1,
                updated: 0,
                merged: 1,
                unchanged: 0
              })
              assert.deepStrictEqual(codes(pass), [
                "2:AMBIGUOUS_MATCH",
                "3:IDENTITY_ALREADY_CLAIMED"
              ])
            }
            const contacts = yield* contactsIn("ma2")
            assert.deepStrictEqual(contacts.map(idsOf).toSorted(), [["s:Z-1"], ["s:Z-2"]])
            assert.deepStrictEqual(idsOf(yield* get(oldest.id)), ["s:Z-1"])
            const other = yield* run("External ID,Work Email\nY-1,z@a.example\n", {
              source: "t",
              division: "ma2"
            })
            assert.deepStrictEqual(codes(other), ["2:AMBIGUOUS_MATCH"])
            assert.include(other.problems[0]!.message, `(${oldest.id}, `)
            assert.notInclude(other.problems[0]!.message, "merged")
          })
      )

      it.effect("an External ID is unique within its source and division only", () =>
        Effect.gen(function* () {
          const text = "External ID,First Name\nQ-1,Quinn\n"
          yield* run(text, { source: "a", division: "uq-1" })
          const otherSource = yield* run(text, { source: "b", division: "uq-1" })
          const otherDivision = yield* run(text, { source: "a", division: "uq-2" })
          assert.strictEqual(otherSource.counters.contacts.created, 1)
          assert.strictEqual(otherDivision.counters.contacts.created, 1)
          assert.deepStrictEqual((yield* contactsIn("uq-1")).map(idsOf).toSorted(), [
            ["a:Q-1"],
            ["b:Q-1"]
          ])
          const found = yield* ContactStore.use((store) =>
            store.list({ externalId: "Q-1", source: "a", limit: 10 })
          )
          assert.deepStrictEqual(found.map((c) => c.division).toSorted(), ["uq-1", "uq-2"])
        })
      )

      it.effect("reject fails the row and writes nothing of it, its organization included", () =>
        Effect.gen(function* () {
          yield* legacy("rj", { workEmail: "r@j.example" })
          yield* legacy("rj", { personalEmail: "r@j.example" })
          const text =
            "External ID,Work Email,External Organization External ID,Organization Name\n" +
            "R-1,r@j.example,ORG-R,Rejected Ltd\n"
          const job = yield* run(text, { source: "s", division: "rj", merge: "reject" })
          assert.strictEqual(job.counters.rowsFailed, 1)
          assert.strictEqual(job.counters.rowsImported, 0)
          assert.deepStrictEqual(
            job.problems.map((p) => [p.code, p.severity]),
            [["AMBIGUOUS_MATCH", "error"]]
          )
          assert.deepStrictEqual(yield* organizationsIn("rj"), [])
          assert.deepStrictEqual((yield* contactsIn("rj")).map(idsOf), [[], []])
        })
      )

      it.effect(
        "a legacy contact claimed earlier in the file is not claimed again, in any chunking",
        () =>
          Effect.gen(function* () {
            const text = "External ID,Work Email\nS-1,c@l.example\nS-2,c@l.example\n"
            for (const chunkSize of [1000, 1]) {
              const division = `claim-${chunkSize}`
              const claimed = yield* legacy(division, { workEmail: "c@l.example" })
              const dry = yield* run(text, { source: "s", division }, { chunkSize, dryRun: true })
              const job = yield* run(text, { source: "s", division }, { chunkSize })
              for (const pass of [dry, job]) {
                assert.deepStrictEqual(pass.counters.contacts, {
                  created: 1,
                  updated: 0,
                  merged: 1,
                  unchanged: 0
                })
                assert.deepStrictEqual(codes(pass), ["3:IDENTITY_ALREADY_CLAIMED"])
              }
              assert.include(job.problems[0]!.message, `${claimed.id} (External ID "S-1")`)
              assert.deepStrictEqual(idsOf(yield* get(claimed.id)), ["s:S-1"])
              assert.strictEqual((yield* contactsIn(division)).length, 2)
            }
            const later = yield* run("External ID,Work Email\nS-3,c@l.example\n", {
              source: "s",
              division: "claim-1"
            })
            assert.deepStrictEqual(codes(later), ["2:IDENTITY_ALREADY_CLAIMED"])
            assert.strictEqual(later.counters.contacts.created, 1)
          })
      )

      it.effect("a contact holding ten External IDs takes no eleventh: the row fails", () =>
        Effect.gen(function* () {
          const full = Array.from({ length: 10 }, (_, index) => ({
            source: `src-${index}`,
            externalId: `F-${index}`
          }))
          const contact = yield* legacy("full", { workEmail: "f@u.example" }, full)
          const job = yield* run("External ID,Work Email\nF-X,f@u.example\n", {
            source: "s",
            division: "full"
          })
          assert.deepStrictEqual(
            job.problems.map((p) => [p.code, p.severity]),
            [["TOO_MANY_EXTERNAL_IDS", "error"]]
          )
          assert.strictEqual(job.counters.rowsFailed, 1)
          assert.strictEqual((yield* get(contact.id)).externalIds.length, 10)
          const eleven = [...full, { source: "src-10", externalId: "F-10" }]
          const refused = yield* createContact({
            division: "full",
            fields: {},
            externalIds: eleven
          }).pipe(Effect.flip)
          assert.strictEqual(refused._tag, "TooManyExternalIds")
        })
      )
    })

    describe("repeats, blanks and unchanged rows", () => {
      it.effect("repeated External IDs apply in file order and warn naming the first line", () =>
        Effect.gen(function* () {
          const text = "External ID,First Name,Title\nD-1,Ann,Buyer\nD-1,,Lead\nD-1,,Lead\n"
          const job = yield* run(text, { source: "s", division: "dup" })
          assert.deepStrictEqual(job.counters.contacts, {
            created: 1,
            updated: 1,
            merged: 0,
            unchanged: 1
          })
          assert.deepStrictEqual(codes(job), [
            "3:DUPLICATE_EXTERNAL_ID_IN_FILE",
            "4:DUPLICATE_EXTERNAL_ID_IN_FILE"
          ])
          assert.include(job.problems[1]!.message, "line 2")
          const [contact] = yield* contactsIn("dup")
          assert.strictEqual(contact?.firstName, "Ann")
          assert.strictEqual(contact?.title, "Lead")
        })
      )

      it.effect("blank cells keep stored values unless blank is clear", () =>
        Effect.gen(function* () {
          yield* run("External ID,First Name,Title\nB-1,Ann,Buyer\n", {
            source: "s",
            division: "blank"
          })
          const ignored = yield* run("External ID,First Name,Title\nB-1,Ann,\n", {
            source: "s",
            division: "blank"
          })
          assert.strictEqual(ignored.counters.contacts.unchanged, 1)
          assert.strictEqual((yield* contactsIn("blank"))[0]?.title, "Buyer")
          const cleared = yield* run("External ID,First Name,Title\nB-1,Ann,\n", {
            source: "s",
            division: "blank",
            blank: "clear"
          })
          assert.strictEqual(cleared.counters.contacts.updated, 1)
          assert.strictEqual((yield* contactsIn("blank"))[0]?.title, null)
        })
      )

      it.effect("blank clear empties an organization's fields but never its name", () =>
        Effect.gen(function* () {
          const header =
            "External ID,External Organization External ID,Organization Name,Industry\n"
          const settings = { source: "s", division: "blank-org" } as const
          yield* run(`${header}N-1,ORG-N,Northwind,Retail\n`, settings)
          const cleared = yield* run(`${header}N-1,ORG-N,,\n`, { ...settings, blank: "clear" })
          assert.deepStrictEqual(cleared.counters.organizations, {
            created: 0,
            updated: 1,
            unchanged: 0
          })
          const [organization] = yield* OrganizationStore.use((store) =>
            store.list({ division: "blank-org", limit: 10 })
          )
          assert.strictEqual(organization?.name, "Northwind")
          assert.strictEqual(organization?.industry, null)
        })
      )

      it.effect("values equal after normalization leave the row unchanged", () =>
        Effect.gen(function* () {
          yield* run(
            "External ID,First Name,Work Email,Work Phone\n" +
              "N-1,Ann,Ann@Example.com,+1 415 555 0134\n",
            { source: "s", division: "norm" }
          )
          const again = yield* run(
            "External ID,First Name,Work Email,Work Phone\n" +
              'N-1," Ann ",ann@example.com,(415) 555-0134\n',
            { source: "s", division: "norm" }
          )
          assert.deepStrictEqual(again.counters.contacts, {
            created: 0,
            updated: 0,
            merged: 0,
            unchanged: 1
          })
          assert.strictEqual((yield* contactsIn("norm"))[0]?.workEmail, "Ann@Example.com")
        })
      )
    })

    describe("organizations", () => {
      it.effect("are matched by key only, never by name", () =>
        Effect.gen(function* () {
          const text =
            "External Organization External ID,Organization Name\nORG-A,Acme\nORG-B,Acme\n"
          const job = yield* run(text, { source: "s", division: "orgname" })
          assert.strictEqual(job.counters.organizations.created, 2)
          assert.strictEqual((yield* organizationsIn("orgname")).length, 2)
        })
      )

      it.effect("one created by hand is targeted by files only once it has an External ID", () =>
        Effect.gen(function* () {
          const harbour = yield* createOrganization({
            division: "hand",
            fields: { name: "Harbour" }
          })
          const text = "External ID,First Name,External Organization External ID\nH-1,Hal,ORG-H\n"
          const before = yield* run(text, { source: "s", division: "hand" })
          assert.deepStrictEqual(codes(before), ["2:ORGANIZATION_NAME_REQUIRED"])
          const organizations = yield* OrganizationStore
          const assigned = yield* organizations.assignExternalId({
            organizationId: harbour.id,
            source: "s",
            externalId: "ORG-H"
          })
          assert.deepStrictEqual(idsOf(assigned), ["s:ORG-H"])
          const after = yield* run(text, { source: "s", division: "hand" })
          assert.deepStrictEqual(after.counters.organizations, {
            created: 0,
            updated: 0,
            unchanged: 1
          })
          assert.strictEqual((yield* contactsIn("hand"))[0]?.organizationId, harbour.id)
          const other = yield* createOrganization({ division: "hand", fields: { name: "Other" } })
          const taken = yield* organizations
            .assignExternalId({ organizationId: other.id, source: "s", externalId: "ORG-H" })
            .pipe(Effect.flip)
          assert.strictEqual(taken._tag, "ExternalIdTaken")
        })
      )
    })

    describe("validation", () => {
      it.effect(
        "a dry run in chunks of one row decides every row as the import does, from its stage",
        () =>
          Effect.gen(function* () {
            const division = "stage-1"
            const first = yield* legacy(division, { workEmail: "a@s.example" })
            const byPhone = yield* legacy(division, { cellPhone: phone("+1 415 555 0134") })
            const oldest = yield* legacy(division, { workEmail: "m@s.example" })
            const younger = yield* legacy(division, { personalEmail: "m@s.example" })
            const text =
              "External ID,Work Email,Work Phone,External Organization External ID," +
              "Organization Name\n" +
              "A-1,a@s.example,,,\n" +
              "A-2,a@s.example,,,\n" +
              "A-1,n@s.example,,,\n" +
              "A-3,n@s.example,,,\n" +
              "A-4,a@s.example,,,\n" +
              "B-1,,,ORG-1,Org One\n" +
              "B-2,,,ORG-1,Org One Ltd\n" +
              "C-1,m@s.example,,,\n" +
              "C-2,m@s.example,,,\n" +
              "D-1,,+14155550134,,\n"
            const settings = { source: "s", division, merge: "merge-all" } as const
            const dry = yield* run(text, settings, { dryRun: true, chunkSize: 1 })
            const job = yield* run(text, settings, { chunkSize: 1 })
            const outcomes = (id: ImportJob["id"]) =>
              ImportJobStore.use((jobs) => jobs.rows(id, 0, 100)).pipe(
                Effect.map((rows) => rows.map((row) => `${row.line}:${row.outcome}`))
              )
            const expected = [
              "2:merged",
              "3:created",
              "4:updated",
              "5:created",
              "6:created",
              "7:created",
              "8:created",
              "9:merged",
              "10:created",
              "11:merged"
            ]
            assert.deepStrictEqual(yield* outcomes(dry.id), expected)
            assert.deepStrictEqual(yield* outcomes(job.id), expected)
            for (const pass of [dry, job]) {
              assert.deepStrictEqual(pass.counters.contacts, {
                created: 6,
                updated: 1,
                merged: 3,
                unchanged: 0
              })
              assert.deepStrictEqual(pass.counters.organizations, {
                created: 1,
                updated: 0,
                unchanged: 0
              })
              assert.deepStrictEqual(codes(pass), [
                "3:IDENTITY_ALREADY_CLAIMED",
                "4:DUPLICATE_EXTERNAL_ID_IN_FILE",
                "5:IDENTITY_ALREADY_CLAIMED",
                "6:IDENTITY_ALREADY_CLAIMED",
                "8:ORGANIZATION_FIELDS_DIFFER",
                "9:AMBIGUOUS_MATCH",
                "10:IDENTITY_ALREADY_CLAIMED"
              ])
            }
            assert.deepStrictEqual(idsOf(yield* get(first.id)), ["s:A-1"])
            assert.strictEqual((yield* get(first.id)).workEmail, "n@s.example")
            assert.deepStrictEqual(idsOf(yield* get(byPhone.id)), ["s:D-1"])
            assert.deepStrictEqual(idsOf(yield* get(oldest.id)), ["s:C-1"])
            assert.deepStrictEqual(idsOf(yield* get(younger.id)), [])
            // Ten contacts, one merged away: the listing shows the nine that remain.
            assert.strictEqual((yield* contactsIn(division)).length, 9)
          })
      )

      it.effect("a file unreadable after some chunks leaves no row outcomes or problems", () =>
        Effect.gen(function* () {
          const head = new TextEncoder().encode(
            "External ID,First Name,Work Email\nR-1,Ada,ada@example.com\nR-2,Oli,not-an-email\n" +
              "R-3,Sam,sam@example.com\nR-4,Kim"
          )
          // A Windows-1252 "é" (0xE9) read as UTF-8, on line 5, after three committed chunks.
          const bytes = new Uint8Array([...head, 0xe9, ...new TextEncoder().encode(",k@x.io\n")])
          const job = yield* importFile({
            file: {
              name: "late.csv",
              open: async function* () {
                yield bytes
              }
            },
            settings: { ...defaultImportSettings, division: "late-failure" },
            dryRun: false,
            chunkSize: 1
          })
          assert.strictEqual(job.state, "failed")
          assert.deepStrictEqual(codes(job), ["5:ENCODING_INVALID"])
          assert.strictEqual(job.problemCount, 1)
          assert.strictEqual(job.counters.rowsTotal, 0)
          const store = yield* ImportJobStore
          assert.deepStrictEqual(yield* store.rows(job.id, BEFORE_FIRST_LINE, 10), [])
          const stored = yield* store.problems(job.id, BEFORE_FIRST_LINE, 10)
          assert.deepStrictEqual(
            stored.map((problem) => `${problem.line}:${problem.code}`),
            ["5:ENCODING_INVALID"]
          )
          assert.deepStrictEqual(yield* contactsIn("late-failure"), [])
        })
      )
    })

    describe("chunk boundaries", () => {
      it.effect("change no outcome and no warning: chunks of one row decide as one chunk", () =>
        Effect.gen(function* () {
          // Line 3 moves the legacy contact claimed on line 2 off m@c.example, so line 4 matches
          // nothing by it, in the same chunk as after a commit. Lines 5 and 6 create two holders
          // of g@c.example, which line 7 names in the order of their External IDs.
          const text =
            "External ID,Work Email\n" +
            "A-1,m@c.example\n" +
            "A-1,f@c.example\n" +
            "A-2,m@c.example\n" +
            "A-3,f@c.example\n" +
            "A-5,g@c.example\n" +
            "A-4,g@c.example\n" +
            "A-6,g@c.example\n"
          const runIn = (division: string, chunkSize: number) =>
            Effect.gen(function* () {
              yield* legacy(division, { workEmail: "m@c.example" })
              const job = yield* run(text, { source: "s", division }, { chunkSize })
              const rows = yield* ImportJobStore.use((jobs) => jobs.rows(job.id, 0, 100))
              return {
                outcomes: rows.map((row) => `${row.line}:${row.outcome}`),
                problems: rows.flatMap((row) =>
                  row.problems.map(
                    (problem) =>
                      `${problem.line}:${problem.code}:` +
                      problem.message.replace(/\bct_[0-9a-f-]+/gu, "<contact>")
                  )
                )
              }
            })
          const single = yield* runIn("chunks-1", 1)
          const whole = yield* runIn("chunks-all", 100)
          assert.deepStrictEqual(whole, single)
          assert.deepStrictEqual(single.outcomes, [
            "2:merged",
            "3:updated",
            "4:created",
            "5:created",
            "6:created",
            "7:created",
            "8:created"
          ])
          assert.deepStrictEqual(single.problems, [
            "3:DUPLICATE_EXTERNAL_ID_IN_FILE:" +
              'External ID "A-1" already appeared on line 2; this row is applied after it.',
            '5:IDENTITY_ALREADY_CLAIMED:This row matches <contact> (External ID "A-1"), ' +
              'already claimed in source "s"; a new contact was created.',
            '7:IDENTITY_ALREADY_CLAIMED:This row matches <contact> (External ID "A-5"), ' +
              'already claimed in source "s"; a new contact was created.',
            '8:IDENTITY_ALREADY_CLAIMED:This row matches <contact> (External ID "A-4"), ' +
              '<contact> (External ID "A-5"), already claimed in source "s"; ' +
              "a new contact was created."
          ])
        })
      )
    })

    problemsContract(it)

    jobsContract(it)

    describe("external sources and divisions", () => {
      it.effect("are created on first use and listed", () =>
        Effect.gen(function* () {
          yield* run("External ID,First Name\nL-1,Lu\n", {
            source: "listed-source",
            division: "listed-division"
          })
          const store = yield* ExternalSourceStore
          assert.include(
            (yield* store.sources()).map((s) => s.name),
            "listed-source"
          )
          assert.include(
            (yield* store.divisions()).map((d) => d.name),
            "listed-division"
          )
        })
      )
    })
  })
