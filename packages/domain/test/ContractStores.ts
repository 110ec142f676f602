import type { ContactStore } from "../src/ports/ContactStore.ts"
import type { ExternalSourceStore } from "../src/ports/ExternalSourceStore.ts"
import type { ImportJobStore } from "../src/ports/ImportJobStore.ts"
import type { ImportStore } from "../src/ports/ImportStore.ts"
import type { OrganizationStore } from "../src/ports/OrganizationStore.ts"

/** The stores the merge rules need; an adapter passes the contract by providing all of them. */
export type ContractStores =
  | ImportStore
  | ImportJobStore
  | ContactStore
  | OrganizationStore
  | ExternalSourceStore
