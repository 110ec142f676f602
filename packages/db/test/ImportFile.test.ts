import { importFileContract } from "./ImportFileContract.ts"
import { pgliteStores } from "./TestDatabase.ts"

importFileContract(pgliteStores)
