import { randomBytes } from "node:crypto"
import { Effect, Layer, type Scope } from "effect"
import pg from "pg"
import { storesLayer } from "../src/index.ts"

/**
 * The PostgreSQL server integration tests make their scratch databases on. CI always sets it, so
 * there a server that is down fails the tests; on a laptop without it they are skipped.
 */
export const testDatabaseUrl: string | undefined =
  process.env.XCONTACTS_TEST_DATABASE_URL?.trim() || undefined

/** Why the integration tests were skipped, for the skipped test's name. */
export const skipReason = "set XCONTACTS_TEST_DATABASE_URL to run it on PostgreSQL"

const serverUrl = (): string => {
  if (testDatabaseUrl === undefined) throw new Error(`no PostgreSQL server: ${skipReason}`)
  return testDatabaseUrl
}

const runOnServer = async (statement: string): Promise<void> => {
  const client = new pg.Client({ connectionString: serverUrl() })
  await client.connect()
  try {
    await client.query(statement)
  } finally {
    await client.end()
  }
}

/** A database of its own on the test server: its name and its URL. */
export interface ScratchDatabase {
  readonly name: string
  readonly url: string
}

/** Creates an empty database with a unique name and drops it, whoever is connected, at the end. */
export const scratchDatabase: Effect.Effect<ScratchDatabase, never, Scope.Scope> =
  Effect.acquireRelease(
    Effect.promise(async () => {
      const name = `xc_test_${randomBytes(6).toString("hex")}`
      await runOnServer(`create database ${name}`)
      const url = new URL(serverUrl())
      url.pathname = `/${name}`
      return { name, url: url.toString() }
    }),
    ({ name }) => Effect.promise(() => runOnServer(`drop database if exists ${name} with (force)`))
  )

/** Every store on a fresh PostgreSQL database, dropped when the layer is released. */
export const postgresStores = Layer.unwrap(
  Effect.map(scratchDatabase, ({ url }) => storesLayer({ _tag: "Postgres", url }))
)

/** Every store port on one database: what the contract suites run on. */
export type Stores = ReturnType<typeof storesLayer>

/** Every store on an in-memory PGlite. */
export const pgliteStores = storesLayer({ _tag: "Pglite", dataDir: null })
