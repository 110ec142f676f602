import { describe, it } from "@effect/vitest"
import { importContract } from "@xcontacts/domain/contract"
import { postgresStores, skipReason, testDatabaseUrl } from "./TestDatabase.ts"

if (testDatabaseUrl === undefined) describe.skip("PostgreSQL", () => it.skip(skipReason))
else importContract("the merge rules on PostgreSQL", postgresStores)
