import {
  chmodSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeSync
} from "node:fs"
import { hostname } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { PGlite } from "@electric-sql/pglite"
import { StoreError } from "@xcontacts/domain"
import { sql } from "drizzle-orm"
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres"
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator"
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core"
import { drizzle as drizzlePglite } from "drizzle-orm/pglite"
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator"
import { Context, Effect, Layer, Semaphore } from "effect"
import pg from "pg"
import * as schema from "./DbSchema.ts"

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>

const migrationsFolder = fileURLToPath(new URL("../drizzle", import.meta.url))

/** Where the data lives: an embedded PGlite folder (or memory), or a PostgreSQL server. */
export type DatabaseTarget =
  | { readonly _tag: "Pglite"; readonly dataDir: string | null }
  | { readonly _tag: "Postgres"; readonly url: string }

/** The open store: a Drizzle handle on PGlite or PostgreSQL, migrated. */
export class Database extends Context.Service<
  Database,
  {
    readonly db: Db
    readonly kind: "pglite" | "postgres"
    /** Runs a query, mapping any driver failure to `StoreError`. */
    readonly query: <A>(run: (db: Db) => Promise<A>) => Effect.Effect<A, StoreError>
    /** How many migrations the database has applied: all of them, once it is open. */
    readonly appliedMigrations: Effect.Effect<number, StoreError>
    /**
     * Runs `effect` while holding the named lock: a PostgreSQL advisory lock on a connection of
     * its own, seen by every process on the server; on PGlite, which one process opens, a
     * semaphore of this process.
     */
    readonly exclusive: <A, E, R>(
      name: string,
      effect: Effect.Effect<A, E, R>
    ) => Effect.Effect<A, E | StoreError, R>
  }
>()("@xcontacts/db/Database") {
  /** Opens the target, applies pending migrations and closes it when the scope ends. */
  static readonly layer = (target: DatabaseTarget) =>
    Layer.effect(
      Database,
      target._tag === "Pglite" ? openPglite(target.dataDir) : openPostgres(target.url)
    )
}

/**
 * The driver's own reason for a failure, with its SQLSTATE code: the innermost cause. Drizzle
 * wraps it in "Failed query: … params: …", whose parameters hold row data, which must not reach
 * a terminal or a log (the full cause stays on the error for a debugger).
 */
export const driverReason = (cause: unknown): string => {
  let reason: unknown = cause
  while (reason instanceof Error && reason.cause instanceof Error) reason = reason.cause
  const code = (reason as { readonly code?: unknown } | undefined)?.code
  const text = reason instanceof Error ? reason.message : String(reason)
  return `${text.slice(0, 300)}${typeof code === "string" ? ` (SQLSTATE ${code})` : ""}`
}

const toStoreError = (message: string) => (cause: unknown) =>
  new StoreError({ message: `${message}: ${driverReason(cause)}`, cause })

const query =
  (db: Db) =>
  <A>(run: (db: Db) => Promise<A>): Effect.Effect<A, StoreError> =>
    Effect.tryPromise({ try: () => run(db), catch: toStoreError("query failed") })

/** Drizzle's migrators record each applied migration in `drizzle.__drizzle_migrations`. */
const appliedMigrations = (db: Db): Effect.Effect<number, StoreError> =>
  query(db)(async (db) => {
    const [row] = await db
      .select({ count: sql<number>`count(*)::int` })
      .from(sql`drizzle.__drizzle_migrations`)
    return Number(row?.count ?? 0)
  })

/** In one process, one semaphore per lock name stands in for advisory locks. */
const processLocks = () => {
  const semaphores = new Map<string, Semaphore.Semaphore>()
  return <A, E, R>(name: string, effect: Effect.Effect<A, E, R>) => {
    let semaphore = semaphores.get(name)
    if (semaphore === undefined) {
      semaphore = Semaphore.makeUnsafe(1)
      semaphores.set(name, semaphore)
    }
    return semaphore.withPermit(effect)
  }
}

/**
 * Holds a session-level advisory lock on a pooled connection of its own while `effect` runs. The
 * connection goes back to the pool only after the unlock; if the process dies, the server ends
 * the session and frees the lock.
 */
const advisoryLock =
  (pool: pg.Pool) =>
  <A, E, R>(name: string, effect: Effect.Effect<A, E, R>): Effect.Effect<A, E | StoreError, R> =>
    Effect.acquireUseRelease(
      Effect.tryPromise({
        try: async () => {
          const client = await pool.connect()
          try {
            await client.query("select pg_advisory_lock(hashtext('xcontacts'), hashtext($1))", [
              name
            ])
            return client
          } catch (cause) {
            client.release(true)
            throw cause
          }
        },
        catch: toStoreError(`cannot take the lock ${name}`)
      }),
      () => effect,
      (client) =>
        Effect.promise(() =>
          client
            .query("select pg_advisory_unlock(hashtext('xcontacts'), hashtext($1))", [name])
            .then(
              () => client.release(),
              (cause: Error) => client.release(cause)
            )
        )
    )

/**
 * PGlite's Postgres lives in this process's WebAssembly memory, which only grows, and every page
 * it touches stays resident. Its default `shared_buffers` (128MB) is touched when it starts (151
 * of the memory's 189 MB resident right after opening), so the whole buffer pool counts in RSS,
 * though the OS caches the data folder's files anyway. With 16MB the memory stays at the
 * module's 128 MB minimum and RSS is about 115 MB lower (opening a store: 560 → 445 MB; 200,000
 * rows inserted and read back in pages: 1,005 → 892 MB peak) at the same speed. See
 * docs/performance.md, "PGlite's memory". `startParams` replaces PGlite's defaults: keep them.
 */
const pgliteStartParams = [...PGlite.defaultStartParams, "-c", "shared_buffers=16MB"]

/**
 * PGlite writes its files readable and writable by everyone (0666, whatever the umask), the WAL
 * with the contacts in it included: its folder is made, and kept, its owner's alone.
 */
const privatePgdata = (dataDir: string) =>
  Effect.try({
    try: () => {
      const pgdata = join(dataDir, "pgdata")
      mkdirSync(pgdata, { recursive: true, mode: 0o700 })
      chmodSync(pgdata, 0o700)
    },
    catch: toStoreError(`cannot make the embedded database's folder in ${dataDir} private`)
  })

const openPglite = Effect.fnUntraced(function* (dataDir: string | null) {
  if (dataDir !== null) {
    yield* acquireFolderLock(dataDir)
    yield* privatePgdata(dataDir)
  }
  const client = yield* Effect.acquireRelease(
    Effect.tryPromise({
      try: async () => {
        const client =
          dataDir === null
            ? new PGlite({ startParams: pgliteStartParams })
            : new PGlite(join(dataDir, "pgdata"), { startParams: pgliteStartParams })
        await client.waitReady
        return client
      },
      catch: toStoreError(`cannot open the embedded database in ${dataDir ?? "memory"}`)
    }),
    (client) => Effect.promise(() => client.close())
  )
  const db = drizzlePglite(client, { schema }) as unknown as Db
  yield* Effect.tryPromise({
    try: () => migratePglite(drizzlePglite(client, { schema }), { migrationsFolder }),
    catch: toStoreError("cannot migrate the embedded database")
  })
  return Database.of({
    db,
    kind: "pglite",
    query: query(db),
    appliedMigrations: appliedMigrations(db),
    exclusive: processLocks()
  })
})

/**
 * Two processes starting at once would both find a migration missing and both apply it; under
 * this lock the second waits, then finds nothing left to do.
 */
const migrationLock = "migrate"

const openPostgres = Effect.fnUntraced(function* (url: string) {
  const pool = yield* Effect.acquireRelease(
    Effect.sync(() => {
      // Without JIT: the import's statements are short, but the planner's row estimates for its
      // array probes grow with the store, and past `jit_above_cost` a chunk's lookup spent most
      // of its time compiling (800 of 860 ms on a 100,000-contact store).
      const pool = new pg.Pool({ connectionString: url, max: 8, options: "-c jit=off" })
      // The server may close an idle pooled connection (restart, failover, a dropped database);
      // the pool discards it, but an 'error' event nobody listens to would end the process.
      pool.on("error", (error) => {
        Effect.runFork(
          Effect.logWarning("idle database connection closed").pipe(
            Effect.annotateLogs({ reason: error.message })
          )
        )
      })
      return pool
    }),
    (pool) => Effect.promise(() => pool.end())
  )
  const db = drizzlePg(pool, { schema }) as unknown as Db
  const exclusive = advisoryLock(pool)
  yield* exclusive(
    migrationLock,
    Effect.tryPromise({
      try: () => migratePg(drizzlePg(pool, { schema }), { migrationsFolder }),
      catch: toStoreError("cannot migrate the PostgreSQL database")
    })
  )
  return Database.of({
    db,
    kind: "postgres",
    query: query(db),
    appliedMigrations: appliedMigrations(db),
    exclusive
  })
})

/**
 * One data folder serves one process: a lock file names the holder, and a second process gets a
 * clear error instead of a damaged store. A lock left by a dead process is taken over.
 */
const acquireFolderLock = (dataDir: string) =>
  Effect.acquireRelease(
    Effect.try({
      try: () => {
        if (existsSync(dataDir) && !statSync(dataDir).isDirectory()) {
          throw new Error(`the data folder ${dataDir} is a file; give --data-dir a folder`)
        }
        // Contacts are personal data: a folder the store makes is its owner's alone.
        mkdirSync(dataDir, { recursive: true, mode: 0o700 })
        const path = join(dataDir, "xcontacts.lock")
        if (createLock(path)) return path
        const holder = readHolder(path)
        if (holder !== null && isAlive(holder.pid)) {
          throw new Error(
            `the data folder ${dataDir} is in use by process ${holder.pid} on ${holder.host} ` +
              `(since ${holder.since}); stop it or use another --data-dir`
          )
        }
        rmSync(path, { force: true })
        if (!createLock(path))
          throw new Error(`the data folder ${dataDir} was locked by another process`)
        return path
      },
      catch: (cause) =>
        new StoreError({ message: cause instanceof Error ? cause.message : String(cause), cause })
    }),
    (path) => Effect.sync(() => rmSync(path, { force: true }))
  )

const createLock = (path: string): boolean => {
  let fd: number
  try {
    fd = openSync(path, "wx")
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === "EEXIST") return false
    throw cause
  }
  writeSync(
    fd,
    JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() })
  )
  closeSync(fd)
  return true
}

const readHolder = (path: string): { pid: number; host: string; since: string } | null => {
  try {
    return JSON.parse(readFileSync(path, "utf8"))
  } catch {
    return null
  }
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (cause) {
    return (cause as NodeJS.ErrnoException).code === "EPERM"
  }
}
