import { describe, it } from "@effect/vitest"
import { storesContract } from "./StoresContract.ts"
import { postgresStores, skipReason, testDatabaseUrl } from "./TestDatabase.ts"

if (testDatabaseUrl === undefined) describe.skip("PostgreSQL", () => it.skip(skipReason))
else storesContract(postgresStores)
