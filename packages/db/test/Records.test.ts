import { inMemoryStoresLayer } from "@xcontacts/domain/testing"
import { recordsContract } from "./RecordsContract.ts"
import { pgliteStores } from "./TestDatabase.ts"

recordsContract("PGlite", pgliteStores)
recordsContract("the in-memory fake", inMemoryStoresLayer)
