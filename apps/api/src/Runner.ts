import type {
  ApiKeyStore,
  ContactStore,
  ExternalSourceStore,
  IdGenerator,
  ImportJobStore,
  ImportProfileStore,
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
  | ImportProfileStore
  | ExternalSourceStore
  | ApiKeyStore
  | IdGenerator

/** Runs an effect on the server's services. */
export type Runner = <A, E>(effect: Effect.Effect<A, E, ApiServices>) => Promise<Exit.Exit<A, E>>

/**
 * Runs an effect in the background, in the server's scope rather than the request's: an import
 * job goes on after its request is answered, and stops when the server does.
 */
export type Spawner = (effect: Effect.Effect<unknown, unknown, ApiServices>) => void

export interface AppOptions {
  /** Folder where uploaded files are kept while their job needs them. */
  readonly uploadDir: string
  /** The largest request body accepted, in bytes, CSV uploads included (default 100 MiB). */
  readonly maxBodyBytes?: number
}

/** 100 MiB: a CSV of a few hundred thousand contacts. */
export const defaultMaxBodyBytes = 100 * 1024 * 1024
