import { assert, describe, layer } from "@effect/vitest"
import {
  BEFORE_FIRST_LINE,
  type ChunkWrites,
  type Contact,
  type ContactFields,
  type ContactId,
  ContactStore,
  defaultImportSettings,
  ExternalSourceStore,
  emptyContactFields,
  emptyCounters,
  emptyOrganizationFields,
  emptyProgress,
  IdGenerator,
  type ImportJob,
  type ImportJobId,
  type ImportJobState,
  ImportJobStore,
  ImportLock,
  ImportStore,
  importFile,
  type Organization,
  type OrganizationId,
  OrganizationStore,
  type Problem,
  problemError,
  problemWarning,
  type RowRecord,
  storeTarget
} from "@xcontacts/domain"
import { asc, eq, sql } from "drizzle-orm"
import { Effect, Option } from "effect"
import { Database, type Db } from "../src/Database.ts"
import { importProblems } from "../src/DbSchema.ts"
import { dropStage, stagedKeysQuery } from "../src/ImportStageDrizzle.ts"
import { rowsOf } from "../src/JsonRows.ts"
import type { Stores } from "./TestDatabase.ts"

const now = "2026-01-02T03:04:05.678Z"

const contact = (id: string, division: string, fields: Partial<ContactFields> = {}): Contact => ({
  id: id as ContactId,
  division,
  externalIds: [],
  ...emptyContactFields,
  ...fields,
  organizationId: null,
  createdAt: now,
  updatedAt: now
})

const organization = (id: string, division: string, name: string): Organization => ({
  id: id as OrganizationId,
  division,
  externalIds: [],
  ...emptyOrganizationFields,
  name,
  createdAt: now,
  updatedAt: now
})

const phone = (e164: string) => ({ raw: e164, e164, display: e164, country: "GB", extension: null })

const chunk = (source: string, division: string, parts: Partial<ChunkWrites>): ChunkWrites => ({
  target: storeTarget,
  source,
  division,
  contacts: [],
  contactExternalIds: [],
  organizations: [],
  organizationExternalIds: [],
  job: {
    id: "job_none" as ImportJobId,
    state: "importing",
    counters: emptyCounters(),
    checkpointLine: 0,
    progress: emptyProgress()
  },
  problems: [],
  rows: [],
  merges: [],
  ...parts
})

const newJob = (id: ImportJobId, state: ImportJobState): ImportJob => ({
  id,
  state,
  fileName: `${id}.csv`,
  file: null,
  autoContinue: true,
  progress: emptyProgress(),
  checkpointLine: 0,
  settings: {} as never,
  counters: emptyCounters(),
  problems: [],
  problemCount: 0,
  createdAt: now,
  updatedAt: now
})

const codes = (problems: ReadonlyArray<Problem>) =>
  problems.map((problem) => `${problem.line}:${problem.code}`)

/** The lines of the problems `import_problems` holds for a job: its file's own only. */
const storedFileProblems = (id: ImportJobId) =>
  Database.use((database) =>
    database.query(async (db) => {
      const rows = await db
        .select({ line: importProblems.line })
        .from(importProblems)
        .where(eq(importProblems.jobId, id))
        .orderBy(asc(importProblems.line))
      return rows.map((row) => row.line)
    })
  )

/** How many rows each table holds for a job: the job itself, its records, problems and stage. */
const jobTableRows = (id: ImportJobId) =>
  Database.use((database) =>
    database.query(async (db) => {
      const tables = [
        "import_jobs",
        "import_rows",
        "import_problems",
        "import_stage_contacts",
        "import_stage_organizations",
        "import_stage_keys"
      ]
      const counts: Record<string, number> = {}
      for (const table of tables) {
        const column = table === "import_jobs" ? "id" : "job_id"
        const result = await db.execute(
          sql`select count(*) as n from ${sql.identifier(table)}
            where ${sql.identifier(column)} = ${id}`
        )
        counts[table] = Number((result as unknown as { rows: Array<{ n: unknown }> }).rows[0]!.n)
      }
      return counts
    })
  )

const lookup = (
  source: string,
  division: string,
  keys: Partial<Record<string, Array<string>>>
) => ({
  jobId: "job_none" as ImportJobId,
  source,
  division,
  externalIds: keys.externalIds ?? [],
  organizationKeys: keys.organizationKeys ?? [],
  emails: keys.emails ?? [],
  phones: keys.phones ?? []
})

/**
 * The store ports' contract: what `resolve`, `commit`, `list`, `get` and the import lock promise,
 * whatever database is behind them. Each store adapter runs this same suite.
 */
/** A function reading a relation's size in bytes. */
const relationSize = (database: Database["Service"], relation: string) => () =>
  database.query(async (db) => {
    const [row] = rowsOf<{ size: string }>(
      await db.execute(sql`select pg_relation_size(${relation}::regclass) as size`)
    )
    return Number(row!.size)
  })

/** A CSV of External IDs and emails (and more columns), rows made by `row` from 0. */
const csvOf = (rows: number, row: (n: number) => string, ...more: Array<string>) =>
  `${["External ID", "Work Email", ...more].join(",")}\n${Array.from({ length: rows }, (_, n) => row(n)).join("\n")}\n`

/** Imports a CSV text through the whole pipeline (validation, then the import) in a division. */
const importText = (text: string, division: string, dryRun = false) =>
  importFile({
    file: {
      name: "text.csv",
      open: async function* () {
        yield new TextEncoder().encode(text)
      }
    },
    settings: { ...defaultImportSettings, source: "s", division },
    dryRun,
    chunkSize: 2_000
  }).pipe(Effect.provide(IdGenerator.layer))

export const storesContract = (stores: Stores) =>
  layer(stores, { timeout: 60_000 })("the store ports", (it) => {
    describe("ImportStore", () => {
      it.effect("a validation's stage serves its later chunks and is gone when it ends", () =>
        Effect.gen(function* () {
          const text = "External ID,Work Email\nV-1,v@stage.example\nV-2,v@stage.example\n"
          const job = yield* importFile({
            file: {
              name: "stage.csv",
              open: async function* () {
                yield new TextEncoder().encode(text)
              }
            },
            settings: { ...defaultImportSettings, source: "s", division: "d-stage" },
            dryRun: true,
            chunkSize: 1
          }).pipe(Effect.provide(IdGenerator.layer))
          // V-1 would create a contact holding the email, so V-2 only finds it claimed: the
          // second chunk saw the first one's would-be contact in the stage.
          assert.strictEqual(job.counters.contacts.created, 2)
          assert.deepStrictEqual(
            job.problems.map((problem) => `${problem.line}:${problem.code}`),
            ["3:IDENTITY_ALREADY_CLAIMED"]
          )
          const database = yield* Database
          const left = yield* database.query((db) =>
            db.execute(sql`select (select count(*) from import_stage_contacts)
              + (select count(*) from import_stage_keys)
              + (select count(*) from import_stage_organizations) as n`)
          )
          assert.strictEqual(
            Number((left as unknown as { rows: Array<{ n: unknown }> }).rows[0]!.n),
            0
          )
          const written = yield* ContactStore.use((store) =>
            store.list({ division: "d-stage", limit: 10 })
          )
          assert.deepStrictEqual(written, [])
        })
      )

      it.effect("keeps the stage in unlogged tables without a foreign key to the job", () =>
        Effect.gen(function* () {
          const database = yield* Database
          const result = yield* database.query((db) =>
            db.execute(sql`select c.relname as name, c.relpersistence as persistence,
                (select count(*) from pg_constraint k
                  where k.conrelid = c.oid and k.contype = 'f')::int as "foreignKeys"
              from pg_class c
              where c.relname like 'import_stage_%' and c.relkind = 'r'
              order by c.relname`)
          )
          assert.deepStrictEqual((result as unknown as { rows: Array<unknown> }).rows, [
            { name: "import_stage_contacts", persistence: "u", foreignKeys: 0 },
            { name: "import_stage_keys", persistence: "u", foreignKeys: 0 },
            { name: "import_stage_organizations", persistence: "u", foreignKeys: 0 }
          ])
        })
      )

      it.effect("probes a large stage's keys one by one through the index", () =>
        Effect.gen(function* () {
          // Asked for a chunk's keys with `key = any(…)` per kind, PostgreSQL read every key of a
          // stage of 700,000 and validation grew quadratic in the file.
          const database = yield* Database
          const jobId = "job-stage-probe"
          const plan = yield* database.query(async (db) => {
            await db.execute(sql`insert into import_stage_keys (job_id, kind, key, owner)
              select ${jobId}, kind, kind || '-' || n, 'c-' || n
              from generate_series(1, 150000) n, unnest(array['ext', 'email', 'phone', 'phone']) kind`)
            await db.execute(sql`analyze import_stage_keys`)
            const keys = (kind: string, count: number) =>
              Array.from({ length: count }, (_, index) => `${kind}-${index * 37 + 1}`)
            const lookupKeys = {
              externalIds: keys("ext", 2_000),
              organizationKeys: keys("org", 2_000),
              emails: keys("email", 2_500),
              phones: keys("phone", 3_000)
            }
            const probe = stagedKeysQuery(jobId, lookupKeys)!
            const found = rowsOf<{ kind: string }>(await db.execute(probe))
            const explained = rowsOf<Record<string, unknown>>(
              await db.execute(sql`explain (format json) ${probe}`)
            )
            // The next job stages the same keys after the stage was analyzed: a job the
            // statistics have never seen, which the planner takes for a handful of rows.
            const next = "job-stage-probe-next"
            await db.execute(sql`insert into import_stage_keys (job_id, kind, key, owner)
              select ${next}, kind, kind || '-' || n, 'd-' || n
              from generate_series(1, 30000) n, unnest(array['ext', 'email']) kind`)
            const nextProbe = stagedKeysQuery(next, { ...lookupKeys, organizationKeys: [] })!
            const nextFound = rowsOf<{ kind: string }>(await db.execute(nextProbe))
            const nextExplained = rowsOf<Record<string, unknown>>(
              await db.execute(sql`explain (format json) ${nextProbe}`)
            )
            await db.transaction(async (tx) => {
              await dropStage(tx as unknown as Db, jobId)
              await dropStage(tx as unknown as Db, next)
            })
            return {
              found: found.length,
              plan: JSON.stringify(explained),
              nextFound: nextFound.length,
              nextPlan: JSON.stringify(nextExplained)
            }
          })
          // 2,000 External IDs (1 in 37 staged up to 150,000: all), no organization keys, the
          // emails and phones likewise, each phone staged twice.
          assert.strictEqual(plan.found, 2_000 + 2_500 + 3_000 * 2)
          assert.include(plan.plan, '"Index Name":"import_stage_keys_key_idx"')
          assert.notInclude(plan.plan, '"Node Type":"Seq Scan"')
          // The next job's 30,000 staged keys of each kind hold the probed ones up to 30,000:
          // 1 in 37 from 1, so 811 of each; and every probe is an index search by its key.
          assert.strictEqual(plan.nextFound, 811 * 2)
          assert.include(plan.nextPlan, '"Index Name":"import_stage_keys_key_idx"')
          assert.notInclude(plan.nextPlan, "import_stage_keys_owner_idx")
          assert.notInclude(plan.nextPlan, '"Filter"')
          assert.notInclude(plan.nextPlan, '"Node Type":"Seq Scan"')
        })
      )

      it.effect("vacuums a large dropped stage, so that stages do not pile up as dead rows", () =>
        Effect.gen(function* () {
          const database = yield* Database
          const jobId = "job-stage-vacuum"
          const size = relationSize(database, "import_stage_keys")
          const empty = yield* size()
          yield* database.query((db) =>
            db.execute(sql`insert into import_stage_keys (job_id, kind, key, owner)
              select ${jobId}, 'email', 'v' || n || '@vacuum.example', 'c-' || n
              from generate_series(1, 20000) n`)
          )
          const staged = yield* size()
          assert.isAbove(staged, empty + 1_000_000)
          yield* ImportStore.use((store) => store.dropStage(jobId as ImportJobId))
          // The deleted rows' pages are given back: the table is no larger than before.
          assert.isAtMost(yield* size(), empty)
        })
      )

      it.effect("reuses the space of discarded and deleted row records", () =>
        Effect.gen(function* () {
          const database = yield* Database
          const jobs = yield* ImportJobStore
          const size = relationSize(database, "import_rows")
          const text = csvOf(5_000, (n) => `R-${n},r${n}@rows.example`)
          const sizes = [yield* size()]
          // A dry run keeps its 5,000 row records: the space one pass's records take.
          const dryRun = yield* importText(text, "d-rows", true)
          assert.strictEqual(dryRun.counters.contacts.created, 5_000)
          sizes.push(yield* size())
          const pass = sizes[1]! - sizes[0]!
          assert.isAbove(pass, 300_000)
          // An import writes its validation's row records, discards them, then writes its own:
          // these go where the discarded ones were.
          const imported = yield* importText(text, "d-rows", false)
          assert.strictEqual(imported.counters.contacts.created, 5_000)
          sizes.push(yield* size())
          assert.isBelow(sizes[2]! - sizes[1]!, pass * 1.3)
          // A deleted job's row records make room for the next job's.
          assert.isTrue(yield* jobs.remove(imported.id, ["completed"]))
          assert.strictEqual(
            (yield* importText(text, "d-rows", true)).counters.contacts.unchanged,
            5_000
          )
          sizes.push(yield* size())
          assert.isBelow(sizes[3]! - sizes[2]!, pass * 0.3)
        })
      )

      it.effect("an import leaves no dead contacts behind on PGlite, which has no autovacuum", () =>
        Effect.gen(function* () {
          const database = yield* Database
          const size = relationSize(database, "contacts")
          const text = (city: string) =>
            csvOf(5_000, (n) => `U-${n},u${n}@updates.example,${city}`, "City")
          const before = yield* size()
          assert.strictEqual(
            (yield* importText(text("Leeds"), "d-upd")).counters.contacts.created,
            5_000
          )
          const sizes: Array<number> = []
          for (const city of ["York", "Leeds", "York"]) {
            const job = yield* importText(text(city), "d-upd")
            assert.strictEqual(job.counters.contacts.updated, 5_000)
            sizes.push((yield* size()) - before)
          }
          // Every import writes 5,000 new row versions. Vacuumed, the third import's go where
          // the second's replaced ones were; without, the table grows by as much each time.
          // PostgreSQL leaves it to autovacuum, which may not have come by yet.
          if (database.kind === "pglite") assert.isBelow(sizes[2]!, sizes[0]! * 1.2)
          assert.isAbove(sizes[0]!, 1_000_000)
        })
      )

      it.effect(
        "analyzes the store as an import grows it, after a validation that staged as much",
        () =>
          Effect.gen(function* () {
            // A validation's stage writes once used up the store's growth count, so the import
            // after it planned every lookup for an empty store and slowed down with each chunk.
            const text = csvOf(6_000, (n) => `G-${n},g${n}@growth.example`)
            const run = (dryRun: boolean) => importText(text, "d-growth", dryRun)
            assert.strictEqual((yield* run(true)).counters.contacts.created, 6_000)
            assert.strictEqual((yield* run(false)).counters.contacts.created, 6_000)
            const database = yield* Database
            const result = yield* database.query((db) =>
              db.execute(sql`select reltuples from pg_class where relname = 'contacts'`)
            )
            const estimate = Number(
              (result as unknown as { rows: Array<{ reltuples: unknown }> }).rows[0]!.reltuples
            )
            assert.isAtLeast(estimate, 6_000)
          })
      )

      it.effect("resolves 2,500 External IDs and an organization key in one lookup", () =>
        Effect.gen(function* () {
          const store = yield* ImportStore
          const ids = Array.from({ length: 2500 }, (_, index) => `E-${index}`)
          yield* store.commit(
            chunk("big", "d-big", {
              organizations: [organization("org_big", "d-big", "Big Ltd")],
              organizationExternalIds: [{ organizationId: "org_big", externalId: "ORG-1" }],
              contacts: ids.map((id) => contact(`ct_${id}`, "d-big", { lastName: id })),
              contactExternalIds: ids.map((id) => ({ contactId: `ct_${id}`, externalId: id }))
            })
          )

          const found = yield* store.resolve(
            lookup("big", "d-big", {
              externalIds: [...ids, "E-missing"],
              organizationKeys: ["ORG-1", "ORG-missing"]
            }),
            storeTarget
          )
          assert.strictEqual(found.contacts.size, 2500)
          assert.strictEqual(found.contacts.get("E-1234")?.id, "ct_E-1234")
          assert.strictEqual(found.contacts.get("E-1234")?.lastName, "E-1234")
          assert.deepStrictEqual(found.contacts.get("E-7")?.externalIds, [
            { source: "big", externalId: "E-7" }
          ])
          assert.deepStrictEqual([...found.organizations.keys()], ["ORG-1"])
          assert.strictEqual(found.organizations.get("ORG-1")?.name, "Big Ltd")
        })
      )

      it.effect("gives back every field of a chunk's records as they were written", () =>
        Effect.gen(function* () {
          const store = yield* ImportStore
          const written: Organization = {
            ...organization("org_full", "d-full", "Full Ltd"),
            phoneNumber: phone("+442079460000"),
            employeeCount: 12,
            revenue: "12345678901234567890.50",
            tags: ["b2b", "gold"],
            websites: ["https://full.example"],
            country: "GB"
          }
          const person: Contact = {
            ...contact("ct_full", "d-full", {
              firstName: "Zoë",
              workEmail: "Zoe@Full.example",
              cellPhone: phone("+447700900123"),
              surveyOptOut: false,
              custom: { tier: "gold", "Account Owner": "Sam" }
            }),
            organizationId: written.id,
            updatedAt: "2026-01-02T03:04:05.009Z"
          }
          yield* store.commit(
            chunk("full", "d-full", {
              organizations: [written],
              organizationExternalIds: [{ organizationId: "org_full", externalId: "ORG-F" }],
              contacts: [person],
              contactExternalIds: [{ contactId: "ct_full", externalId: "F-1" }]
            })
          )

          const found = yield* store.resolve(
            lookup("full", "d-full", { externalIds: ["F-1"], organizationKeys: ["ORG-F"] }),
            storeTarget
          )
          assert.deepStrictEqual(found.contacts.get("F-1"), {
            ...person,
            externalIds: [{ source: "full", externalId: "F-1" }]
          })
          assert.deepStrictEqual(found.organizations.get("ORG-F"), {
            ...written,
            externalIds: [{ source: "full", externalId: "ORG-F" }]
          })
        })
      )

      it.effect("finds match candidates by email or E.164 within the division only", () =>
        Effect.gen(function* () {
          const store = yield* ImportStore
          yield* store.commit(
            chunk("legacy", "d-legacy", {
              contacts: [
                contact("ct_sam", "d-legacy", { workEmail: "Sam@Example.com" }),
                contact("ct_kim", "d-legacy", { cellPhone: phone("+442079460321") }),
                contact("ct_held", "d-legacy", { workEmail: "sam@example.com" })
              ],
              contactExternalIds: [{ contactId: "ct_held", externalId: "H-1" }]
            })
          )
          yield* store.commit(
            chunk("legacy", "d-elsewhere", {
              contacts: [contact("ct_elsewhere", "d-elsewhere", { workEmail: "sam@example.com" })]
            })
          )

          const found = yield* store.resolve(
            lookup("legacy", "d-legacy", {
              emails: ["sam@example.com"],
              phones: ["+442079460321"]
            }),
            storeTarget
          )
          assert.deepStrictEqual(found.candidates.map((candidate) => candidate.id).sort(), [
            "ct_held",
            "ct_kim",
            "ct_sam"
          ])
          const held = found.candidates.find((candidate) => candidate.id === "ct_held")
          assert.deepStrictEqual(held?.externalIds, [{ source: "legacy", externalId: "H-1" }])
        })
      )

      it.effect("commits nothing of a chunk whose new External ID is already taken", () =>
        Effect.gen(function* () {
          const store = yield* ImportStore
          yield* store.commit(
            chunk("clash", "d-clash", {
              contacts: [contact("ct_first", "d-clash")],
              contactExternalIds: [{ contactId: "ct_first", externalId: "X-1" }]
            })
          )

          const error = yield* store
            .commit(
              chunk("clash", "d-clash", {
                contacts: [contact("ct_second", "d-clash")],
                contactExternalIds: [{ contactId: "ct_second", externalId: "X-1" }]
              })
            )
            .pipe(Effect.flip)
          assert.strictEqual(error._tag, "StoreError")
          const second = yield* ContactStore.use((contacts) => contacts.get("ct_second"))
          assert.isTrue(Option.isNone(second))
          const found = yield* store.resolve(
            lookup("clash", "d-clash", { externalIds: ["X-1"] }),
            storeTarget
          )
          assert.strictEqual(found.contacts.get("X-1")?.id, "ct_first")
        })
      )

      it.effect("saves the job's counters with the chunk", () =>
        Effect.gen(function* () {
          const jobs = yield* ImportJobStore
          const id = "job_counted" as ImportJobId
          yield* jobs.create(newJob(id, "importing"))
          const counters = { ...emptyCounters(), rowsTotal: 1, rowsImported: 1 }
          counters.contacts.created = 1

          yield* ImportStore.use((store) =>
            store.commit(
              chunk("jobs", "d-jobs", {
                contacts: [contact("ct_counted", "d-jobs")],
                contactExternalIds: [{ contactId: "ct_counted", externalId: "J-1" }],
                job: {
                  id,
                  state: "importing",
                  counters,
                  checkpointLine: 2,
                  progress: emptyProgress()
                }
              })
            )
          )
          const job = yield* jobs.get(id)
          assert.isTrue(Option.isSome(job))
          if (Option.isSome(job)) assert.deepStrictEqual(job.value.counters, counters)
        })
      )

      it.effect("keeps a row's problems once, in its row record, and counts them on the job", () =>
        Effect.gen(function* () {
          const jobs = yield* ImportJobStore
          const id = "job_problems" as ImportJobId
          yield* jobs.create(newJob(id, "importing"))
          const warning = (line: number, code: Problem["code"]) =>
            problemWarning(line, null, code, `${code} on line ${line}`)
          const row = (line: number, problems: ReadonlyArray<Problem>): RowRecord => ({
            line,
            outcome: "created",
            contactId: null,
            organizationId: null,
            externalId: null,
            organizationKey: null,
            organizationEffect: null,
            problems
          })
          yield* ImportStore.use((store) =>
            store.commit(
              chunk("problems", "d-problems", {
                job: { ...chunk("", "", {}).job, id, checkpointLine: 4 },
                problems: [warning(1, "UNKNOWN_COLUMN")],
                rows: [
                  row(2, [warning(2, "PHONE_NOT_E164"), warning(2, "ROW_SHORT")]),
                  row(3, []),
                  row(4, [warning(4, "PHONE_INVALID")])
                ]
              })
            )
          )
          const failure = problemError(0, null, "FILE_TOO_LARGE", "over the limit")
          yield* jobs.transition(id, { from: ["importing"], to: "failed", problems: [failure] })

          const job = Option.getOrThrow(yield* jobs.get(id))
          assert.strictEqual(job.problemCount, 5)
          assert.deepStrictEqual(codes(job.problems), [
            "0:FILE_TOO_LARGE",
            "1:UNKNOWN_COLUMN",
            "2:PHONE_NOT_E164",
            "2:ROW_SHORT",
            "4:PHONE_INVALID"
          ])
          assert.deepStrictEqual(yield* storedFileProblems(id), [0, 1])
          assert.deepStrictEqual(codes(yield* jobs.problems(id, BEFORE_FIRST_LINE, 2)), [
            "0:FILE_TOO_LARGE",
            "1:UNKNOWN_COLUMN"
          ])
          assert.deepStrictEqual(codes(yield* jobs.problems(id, 0, 2)), [
            "1:UNKNOWN_COLUMN",
            "2:PHONE_NOT_E164",
            "2:ROW_SHORT"
          ])
          assert.deepStrictEqual(codes(yield* jobs.problems(id, 2, 2)), ["4:PHONE_INVALID"])

          yield* jobs.transition(id, { from: ["failed"], to: "created", reset: true })
          const reset = Option.getOrThrow(yield* jobs.get(id))
          assert.strictEqual(reset.problemCount, 0)
          assert.deepStrictEqual(reset.problems, [])
          assert.deepStrictEqual(yield* storedFileProblems(id), [])
          assert.deepStrictEqual(yield* jobs.problems(id, BEFORE_FIRST_LINE, 100), [])
        })
      )
    })

    describe("ImportJobStore", () => {
      it.effect("remove takes the job's row records, problems and stage, in its states only", () =>
        Effect.gen(function* () {
          const jobs = yield* ImportJobStore
          const id = "job_removed" as ImportJobId
          yield* jobs.create(newJob(id, "validating"))
          // A validation's chunk: row records and the file's problem with the job, its records
          // in the stage. Cancelled, and its process stopped before it dropped the stage.
          yield* ImportStore.use((store) =>
            store.commit(
              chunk("removed", "d-removed", {
                target: { _tag: "Stage", jobId: id },
                contacts: [contact("ct_staged", "d-removed", { workEmail: "s@removed.example" })],
                contactExternalIds: [{ contactId: "ct_staged", externalId: "R-1" }],
                organizations: [organization("org_staged", "d-removed", "Staged Ltd")],
                organizationExternalIds: [{ organizationId: "org_staged", externalId: "ORG-R" }],
                job: { ...chunk("", "", {}).job, id, state: "validating" },
                problems: [problemWarning(1, null, "UNKNOWN_COLUMN", "notes")],
                rows: [
                  {
                    line: 2,
                    outcome: "created",
                    contactId: "ct_staged",
                    organizationId: "org_staged",
                    externalId: "R-1",
                    organizationKey: "ORG-R",
                    organizationEffect: "created",
                    problems: [problemWarning(2, null, "PHONE_NOT_E164", "spaces")]
                  }
                ]
              })
            )
          )
          yield* jobs.transition(id, { from: ["validating"], to: "cancelled" })
          assert.deepStrictEqual(yield* jobTableRows(id), {
            import_jobs: 1,
            import_rows: 1,
            import_problems: 1,
            import_stage_contacts: 1,
            import_stage_organizations: 1,
            import_stage_keys: 3
          })

          const kept = yield* jobTableRows(id)
          assert.isFalse(yield* jobs.remove(id, ["completed", "failed"]))
          assert.deepStrictEqual(yield* jobTableRows(id), kept)
          assert.isTrue(yield* jobs.remove(id, ["completed", "cancelled"]))
          assert.deepStrictEqual(yield* jobTableRows(id), {
            import_jobs: 0,
            import_rows: 0,
            import_problems: 0,
            import_stage_contacts: 0,
            import_stage_organizations: 0,
            import_stage_keys: 0
          })
          assert.isTrue(Option.isNone(yield* jobs.get(id)))
          assert.isFalse(yield* jobs.remove(id, ["cancelled"]))
        })
      )
    })

    describe("ExternalSourceStore", () => {
      it.effect("registers every name a write uses: the records hold no foreign key to it", () =>
        Effect.gen(function* () {
          // docs/adr/0601: the registries' foreign keys are gone, so each write path must
          // register its own names. These are all of them: a chunk's commit, a contact and an
          // organization made by hand, an External ID assigned to an organization.
          yield* ImportStore.use((store) =>
            store.commit(
              chunk("reg-chunk-source", "reg-chunk-division", {
                contacts: [contact("ct_reg_chunk", "reg-chunk-division")],
                contactExternalIds: [{ contactId: "ct_reg_chunk", externalId: "RC-1" }]
              })
            )
          )
          yield* ContactStore.use((store) =>
            store.create({
              ...contact("ct_reg_hand", "reg-hand-division"),
              externalIds: [{ source: "reg-hand-source", externalId: "RH-1" }]
            })
          )
          yield* OrganizationStore.use((store) =>
            Effect.andThen(
              store.create(organization("org_reg_hand", "reg-org-division", "Registered Ltd")),
              store.assignExternalId({
                organizationId: "org_reg_hand",
                source: "reg-assigned-source",
                externalId: "RO-1"
              })
            )
          )
          const database = yield* Database
          const unregistered = yield* database.query((db) =>
            db.execute(sql`select 'division' as kind, used.name from (
                select division as name from contacts union select division from organizations
                union select division from contact_external_ids
                union select division from organization_external_ids) used
              where not exists (select from divisions d where d.name = used.name)
              union all
              select 'source', used.name from (
                select source as name from contact_external_ids
                union select source from organization_external_ids) used
              where not exists (select from external_sources s where s.name = used.name)`)
          )
          assert.deepStrictEqual((unregistered as unknown as { rows: Array<unknown> }).rows, [])
          const registry = yield* ExternalSourceStore
          const sources = (yield* registry.sources()).map((source) => source.name)
          const divisions = (yield* registry.divisions()).map((division) => division.name)
          for (const name of ["reg-chunk-source", "reg-hand-source", "reg-assigned-source"]) {
            assert.include(sources, name)
          }
          for (const name of ["reg-chunk-division", "reg-hand-division", "reg-org-division"]) {
            assert.include(divisions, name)
          }
        })
      )
    })

    describe("ContactStore and OrganizationStore", () => {
      it.effect("list filters by email, phone and External ID and pages by id", () =>
        Effect.gen(function* () {
          yield* ImportStore.use((store) =>
            store.commit(
              chunk("list", "d-list", {
                organizations: [organization("org_list", "d-list", "Listed Ltd")],
                organizationExternalIds: [{ organizationId: "org_list", externalId: "ORG-L" }],
                contacts: [
                  contact("ct_list_1", "d-list", { workEmail: "One@Example.com" }),
                  contact("ct_list_2", "d-list", { homePhone: phone("+442079460999") }),
                  contact("ct_list_3", "d-list", { lastName: "Three" })
                ],
                contactExternalIds: [{ contactId: "ct_list_3", externalId: "L-3" }]
              })
            )
          )
          const contacts = yield* ContactStore

          const ids = (list: ReadonlyArray<Contact>) => list.map((found) => found.id)
          assert.deepStrictEqual(ids(yield* contacts.list({ division: "d-list", limit: 10 })), [
            "ct_list_1",
            "ct_list_2",
            "ct_list_3"
          ])
          assert.deepStrictEqual(
            ids(yield* contacts.list({ division: "d-list", after: "ct_list_1", limit: 1 })),
            ["ct_list_2"]
          )
          assert.deepStrictEqual(
            ids(yield* contacts.list({ email: " one@example.COM", limit: 5 })),
            ["ct_list_1"]
          )
          assert.deepStrictEqual(ids(yield* contacts.list({ phone: "+442079460999", limit: 5 })), [
            "ct_list_2"
          ])
          assert.deepStrictEqual(ids(yield* contacts.list({ externalId: "L-3", limit: 5 })), [
            "ct_list_3"
          ])

          const organizations = yield* OrganizationStore
          const listed = yield* organizations.list({ externalId: "ORG-L", limit: 5 })
          assert.deepStrictEqual(
            listed.map((found) => [found.id, found.name]),
            [["org_list", "Listed Ltd"]]
          )
        })
      )

      it.effect("get returns the stored record, or nothing for an unknown id", () =>
        Effect.gen(function* () {
          yield* ImportStore.use((store) =>
            store.commit(
              chunk("get", "d-get", {
                contacts: [contact("ct_get", "d-get", { firstName: "Gil", city: "Leeds" })],
                contactExternalIds: [{ contactId: "ct_get", externalId: "G-1" }]
              })
            )
          )
          const found = yield* ContactStore.use((contacts) => contacts.get("ct_get"))
          assert.isTrue(Option.isSome(found))
          if (Option.isSome(found)) {
            assert.deepStrictEqual(
              {
                firstName: found.value.firstName,
                city: found.value.city,
                externalIds: found.value.externalIds,
                createdAt: found.value.createdAt
              },
              {
                firstName: "Gil",
                city: "Leeds",
                externalIds: [{ source: "get", externalId: "G-1" }],
                createdAt: now
              }
            )
          }
          assert.isTrue(Option.isNone(yield* ContactStore.use((contacts) => contacts.get("nope"))))
          assert.isTrue(
            Option.isNone(yield* OrganizationStore.use((organizations) => organizations.get("no")))
          )
        })
      )
    })

    describe("ImportLock", () => {
      // Wall-clock pauses: the lock waits on another connection, which no test clock drives.
      const pause = (millis: number) =>
        Effect.promise(() => new Promise((resolve) => setTimeout(resolve, millis)))
      const holdFor = (events: Array<string>, name: string) =>
        Effect.gen(function* () {
          events.push(`${name} in`)
          yield* pause(100)
          events.push(`${name} out`)
        })

      it.effect("lets one import at a time into a division", () =>
        Effect.gen(function* () {
          const lock = yield* ImportLock
          const events: Array<string> = []
          yield* Effect.all(
            [
              lock.withDivision("d-lock", holdFor(events, "first")),
              pause(20).pipe(Effect.andThen(lock.withDivision("d-lock", holdFor(events, "second"))))
            ],
            { concurrency: "unbounded" }
          )
          assert.deepStrictEqual(events, ["first in", "first out", "second in", "second out"])
        })
      )

      it.effect("lets imports into different divisions run side by side", () =>
        Effect.gen(function* () {
          const lock = yield* ImportLock
          const events: Array<string> = []
          yield* Effect.all(
            [
              lock.withDivision("d-one", holdFor(events, "first")),
              pause(20).pipe(Effect.andThen(lock.withDivision("d-two", holdFor(events, "second"))))
            ],
            { concurrency: "unbounded" }
          )
          assert.deepStrictEqual(events, ["first in", "second in", "first out", "second out"])
        })
      )
    })
  })
