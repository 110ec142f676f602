import { describe, it } from "@effect/vitest"
import { recordsContract } from "./RecordsContract.ts"
import { postgresStores, skipReason, testDatabaseUrl } from "./TestDatabase.ts"

if (testDatabaseUrl === undefined) describe.skip("PostgreSQL", () => it.skip(skipReason))
else recordsContract("PostgreSQL", postgresStores)
