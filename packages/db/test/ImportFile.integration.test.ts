import { describe, it } from "@effect/vitest"
import { importFileContract } from "./ImportFileContract.ts"
import { postgresStores, skipReason, testDatabaseUrl } from "./TestDatabase.ts"

if (testDatabaseUrl === undefined) describe.skip("PostgreSQL", () => it.skip(skipReason))
else importFileContract(postgresStores)
