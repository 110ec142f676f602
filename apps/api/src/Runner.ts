import type {
  ContactStore,
  ExternalSourceStore,
  IdGenerator,
  ImportJobStore,
  ImportStore,
  OrganizationStore
} from "@xcontacts/domain"
import type { Effect, Exit } from "effect"

/** The services the routes run on. */
export type ApiServices =
  | ContactStore
  | OrganizationStore
  | ImportJobStore
  | ImportStore
  | ExternalSourceStore
  | IdGenerator

/** Runs an effect on the server's services. */
export type Runner = <A, E>(effect: Effect.Effect<A, E, ApiServices>) => Promise<Exit.Exit<A, E>>

export interface AppOptions {
  /** Folder where uploaded files are kept while their job needs them. */
  readonly uploadDir: string
}
