import { inMemoryStoresLayer } from "../src/testing/InMemoryStores.ts"
import { importContract } from "./ImportContract.ts"

importContract("the merge rules on the in-memory stores", inMemoryStoresLayer)
