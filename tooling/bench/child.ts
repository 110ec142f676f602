/**
 * One measured step of the benchmark, in a process of its own so that its peak RSS is its own:
 *
 *   child.ts seed   pglite|postgres TARGET LEGACY.csv   migrate, then COPY the legacy contacts in
 *   child.ts import pglite|postgres TARGET FILE.csv [CHUNK_SIZE]
 *                                                       run `importFile` as the CLI does
 *   child.ts copy   pglite          DIR    FILE.csv     PGlite's own COPY FROM into a plain table
 *
 * TARGET is a PGlite data folder or a PostgreSQL URL. Prints one JSON object on stdout.
 */
import { spawnSync } from "node:child_process"
import { createReadStream, mkdirSync, openAsBlob } from "node:fs"
import { basename, dirname, join } from "node:path"
import { PGlite } from "@electric-sql/pglite"
import { Database, type DatabaseTarget, jobFileSource, keepFile, storesLayer } from "@xcontacts/db"
import { defaultImportSettings, IdGenerator, importFile } from "@xcontacts/domain"
import { Effect, Layer } from "effect"
import { copyTable, legacyColumns } from "./BenchCsv.ts"

const [mode, store, target, file, chunkSize] = process.argv.slice(2)
if (mode === undefined || store === undefined || target === undefined || file === undefined) {
  process.stderr.write("usage: child.ts seed|import|copy pglite|postgres TARGET FILE\n")
  process.exit(2)
}

const databaseTarget: DatabaseTarget =
  store === "postgres" ? { _tag: "Postgres", url: target } : { _tag: "Pglite", dataDir: target }

const print = (value: object) => process.stdout.write(`${JSON.stringify(value)}\n`)

const seed = Effect.gen(function* () {
  const database = yield* Database
  yield* database.query((db) =>
    db.execute("insert into divisions (name) values ('unassigned') on conflict do nothing")
  )
  if (database.kind === "postgres") {
    const copied = spawnSync(
      "psql",
      [target, "-q", "-c", `\\copy contacts (${legacyColumns}) from '${file}' with (format csv)`],
      { stdio: ["ignore", "inherit", "inherit"] }
    )
    if (copied.status !== 0) throw new Error("psql \\copy of the legacy contacts failed")
    return
  }
  const client = (database.db as unknown as { $client: PGlite }).$client
  yield* Effect.promise(async () =>
    client.query(`copy contacts (${legacyColumns}) from '/dev/blob' with (format csv)`, [], {
      blob: await openAsBlob(file)
    })
  )
})

const runImport = Effect.gen(function* () {
  const started = performance.now()
  let validated: number | null = null
  // As the CLI reads a file: copied beside it and described (size, SHA-256) on the way, then
  // read from the copy; the copy's time counts.
  const stored = yield* Effect.promise(() =>
    keepFile(createReadStream(file), join(dirname(file), "kept.csv"))
  )
  const job = yield* importFile({
    file: jobFileSource(stored, basename(file)),
    stored,
    settings: defaultImportSettings,
    dryRun: false,
    onProgress: (_job, state) =>
      Effect.sync(() => {
        if (state === "importing" && validated === null) validated = performance.now()
      }),
    ...(chunkSize === undefined ? {} : { chunkSize: Number(chunkSize) })
  })
  const ended = performance.now()
  const seconds = (ended - started) / 1000
  print({
    seconds,
    validationSeconds: ((validated ?? ended) - started) / 1000,
    state: job.state,
    counters: job.counters,
    problems: job.problemCount,
    peakRssMb: process.resourceUsage().maxRSS / 1024
  })
})

const copyPglite = async () => {
  mkdirSync(target, { recursive: true })
  const client = new PGlite(join(target, "pgdata"))
  await client.waitReady
  await client.exec(copyTable)
  const blob = await openAsBlob(file)
  const started = performance.now()
  await client.query("copy bench_copy from '/dev/blob' with (format csv, header true)", [], {
    blob
  })
  const seconds = (performance.now() - started) / 1000
  await client.close()
  print({ seconds })
}

// As the CLI runs an import: the store, and ids.
const layer = Layer.mergeAll(storesLayer(databaseTarget), IdGenerator.layer)
if (mode === "copy") await copyPglite()
else if (mode === "seed") {
  await Effect.runPromise(Effect.scoped(seed.pipe(Effect.provide(layer))))
  print({ seeded: true })
} else await Effect.runPromise(Effect.scoped(runImport.pipe(Effect.provide(layer))))
