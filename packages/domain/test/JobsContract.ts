import { assert, describe, type Vitest } from "@effect/vitest"
import { Effect, Option } from "effect"
import { BEFORE_FIRST_LINE, type ImportJobId, type JobFile } from "../src/ImportJob.ts"
import { defaultImportSettings } from "../src/ImportSettings.ts"
import { createImportJob, importFile } from "../src/import/ImportFile.ts"
import {
  cancelImportJob,
  deletableJobStates,
  deleteImportJob
} from "../src/import/ImportJobActions.ts"
import { ContactStore } from "../src/ports/ContactStore.ts"
import type { IdGenerator } from "../src/ports/IdGenerator.ts"
import { ImportJobStore } from "../src/ports/ImportJobStore.ts"
import { JobFileNotRemoved, JobFiles } from "../src/ports/JobFiles.ts"
import type { ContractStores } from "./ContractStores.ts"

const file = (text: string) => ({
  name: "jobs.csv",
  open: async function* () {
    yield new TextEncoder().encode(text)
  }
})

/** A created row, a failed row, and an unknown column that warns on the header line. */
const mixed =
  "External ID,First Name,Work Email,notes\n" +
  "D-1,Ada,ada@example.com,x\n" +
  "D-2,Bo,not-an-email,x\n"

const run = (division: string, options: { dryRun?: boolean; text?: string } = {}) =>
  importFile({
    file: file(options.text ?? mixed),
    settings: { ...defaultImportSettings, source: "s", division },
    dryRun: options.dryRun ?? false,
    chunkSize: 1
  })

const kept: JobFile = { location: "/kept/job.csv", size: 10, checksum: "abc" }

/** JobFiles that records what it was asked to remove, and leaves `refused` in place. */
const recordingFiles = (removed: Array<string>, refused: ReadonlyArray<string> = []) =>
  JobFiles.of({
    open: () => Effect.die("not opened in these tests"),
    remove: (file) =>
      refused.includes(file.location)
        ? Effect.fail(new JobFileNotRemoved({ message: `${file.location} was left in place` }))
        : Effect.sync(() => {
            if (removed.includes(file.location)) return "gone" as const
            removed.push(file.location)
            return "removed" as const
          })
  })

/** A job of `division` that kept `kept`, moved to `state` as a process would have. */
const jobIn = (division: string, path: ReadonlyArray<string>, autoContinue = false) =>
  Effect.gen(function* () {
    const job = yield* createImportJob({
      file: file(mixed),
      stored: kept,
      settings: { ...defaultImportSettings, division },
      autoContinue
    })
    const store = yield* ImportJobStore
    let from = "created"
    for (const to of path) {
      const moved = yield* store.transition(job.id, {
        from: [from as never],
        to: to as never
      })
      assert.isTrue(moved, `${from} to ${to}`)
      from = to
    }
    return job.id
  })

const stillThere = (id: ImportJobId) =>
  Effect.map(
    ImportJobStore.use((store) => store.get(id)),
    (job) => Option.getOrThrow(job).state
  )

/**
 * Deleting a job (spec §7: jobs are kept until deleted) takes the job, its problems and row
 * records, and never the contacts and organizations it wrote; a job a process works on is
 * refused. Part of the import contract, so that every adapter deletes alike.
 */
export const jobsContract = (it: Vitest.MethodsNonLive<ContractStores | IdGenerator>) =>
  describe("deleting a job", () => {
    it.effect("takes its row records and problems, never the contacts it imported", () =>
      Effect.gen(function* () {
        const job = yield* run("deleted-job")
        assert.strictEqual(job.state, "completed")
        const store = yield* ImportJobStore
        assert.strictEqual((yield* store.rows(job.id, BEFORE_FIRST_LINE, 10)).length, 2)
        assert.strictEqual((yield* store.problems(job.id, BEFORE_FIRST_LINE, 10)).length, 2)

        const deleted = yield* deleteImportJob(job.id)
        assert.strictEqual(deleted.job.id, job.id)
        assert.strictEqual(deleted.job.state, "completed")
        assert.strictEqual(deleted.keptFile, "none")
        assert.isTrue(Option.isNone(yield* store.get(job.id)))
        assert.deepStrictEqual(yield* store.rows(job.id, BEFORE_FIRST_LINE, 10), [])
        assert.deepStrictEqual(yield* store.problems(job.id, BEFORE_FIRST_LINE, 10), [])
        assert.notInclude(
          (yield* store.list(1000)).map((listed) => listed.id),
          job.id
        )
        const contacts = yield* ContactStore.use((contacts) =>
          contacts.list({ division: "deleted-job", limit: 10 })
        )
        assert.deepStrictEqual(
          contacts.map((contact) => [contact.firstName, contact.externalIds]),
          [["Ada", [{ source: "s", externalId: "D-1" }]]]
        )
        // The contact still holds its External ID: the same file again leaves it unchanged.
        const again = yield* run("deleted-job")
        assert.deepStrictEqual(again.counters.contacts, {
          created: 0,
          updated: 0,
          merged: 0,
          unchanged: 1
        })

        const twice = yield* deleteImportJob(job.id).pipe(Effect.flip)
        assert.strictEqual(twice._tag, "ImportJobNotFound")
      })
    )

    it.effect("takes a dry run, a cancelled and a failed job, each in its state", () =>
      Effect.gen(function* () {
        const dry = yield* run("deleted-states", { dryRun: true })
        const waiting = yield* run("deleted-states", { dryRun: true })
        const cancelled = yield* cancelImportJob(waiting.id)
        const failed = yield* run("deleted-states", { text: "" })
        assert.deepStrictEqual(
          [dry.state, cancelled.state, failed.state],
          ["validated", "cancelled", "failed"]
        )
        for (const job of [dry, cancelled, failed]) {
          assert.strictEqual((yield* deleteImportJob(job.id)).job.state, job.state)
          assert.isTrue(Option.isNone(yield* ImportJobStore.use((store) => store.get(job.id))))
        }
        assert.deepStrictEqual([...deletableJobStates].toSorted(), [
          "cancelled",
          "completed",
          "failed",
          "validated"
        ])
      })
    )

    it.effect("refuses a job a process runs or is about to run, and keeps it", () =>
      Effect.gen(function* () {
        const running = [
          { path: [], state: "created" },
          { path: ["validating"], state: "validating" },
          { path: ["validating", "validated", "importing"], state: "importing" }
        ]
        for (const { path, state } of running) {
          const id = yield* jobIn("running-jobs", path)
          const refused = yield* deleteImportJob(id).pipe(Effect.flip)
          assert.strictEqual(refused._tag, "ImportJobConflict")
          assert.strictEqual(
            refused.message,
            `Import job "${id}" is ${state}; it cannot be deleted now. If the process that ran it ` +
              "stopped, resume it first (a server resumes its jobs when it starts)."
          )
          assert.strictEqual(yield* stillThere(id), state)
          const store = yield* ImportJobStore
          assert.isFalse(yield* store.remove(id, deletableJobStates))
          assert.strictEqual(yield* stillThere(id), state)
        }
        // Validated with auto-continue: its process goes on to import at once.
        const between = yield* jobIn("running-jobs", ["validating", "validated"], true)
        const refused = yield* deleteImportJob(between).pipe(Effect.flip)
        assert.strictEqual(refused._tag, "ImportJobConflict")
        assert.strictEqual(yield* stillThere(between), "validated")
      })
    )

    it.effect("removes the kept file once the job is gone, and says when it was left", () =>
      Effect.gen(function* () {
        const removed: Array<string> = []
        const finished = yield* jobIn("kept-files", ["validating", "validated"])
        const deleted = yield* deleteImportJob(finished).pipe(
          Effect.provideService(JobFiles, recordingFiles(removed))
        )
        assert.strictEqual(deleted.keptFile, "removed")
        assert.deepStrictEqual(removed, [kept.location])

        const refusedFile = yield* jobIn("kept-files", ["validating", "validated"])
        const left = yield* deleteImportJob(refusedFile).pipe(
          Effect.provideService(JobFiles, recordingFiles(removed, [kept.location]))
        )
        assert.strictEqual(left.keptFile, "left")

        // A file someone removed already: the job goes and says the file was gone.
        const alreadyGone = yield* jobIn("kept-files", ["validating", "validated"])
        const gone = yield* deleteImportJob(alreadyGone).pipe(
          Effect.provideService(JobFiles, recordingFiles(removed))
        )
        assert.strictEqual(gone.keptFile, "gone")
        assert.isTrue(Option.isNone(yield* ImportJobStore.use((store) => store.get(refusedFile))))

        const running = yield* jobIn("kept-files", ["validating"])
        yield* deleteImportJob(running).pipe(
          Effect.provideService(JobFiles, recordingFiles(removed)),
          Effect.flip
        )
        assert.deepStrictEqual(removed, [kept.location])
      })
    )
  })
