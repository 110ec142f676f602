import { storesContract } from "./StoresContract.ts"
import { pgliteStores } from "./TestDatabase.ts"

storesContract(pgliteStores)
