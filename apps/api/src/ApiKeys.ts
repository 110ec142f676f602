import { createHash, randomBytes } from "node:crypto"
import { type ApiKey, ApiKeyStore, IdGenerator } from "@xcontacts/domain"
import { DateTime, Effect } from "effect"

/** Keys carry a recognisable prefix, so that secret scanners and people can tell what they are. */
const keyPrefix = "xck_"

/** The SHA-256 of a key's secret, as the store keeps it: a random 256-bit key needs no salt. */
export const hashApiKey = (secret: string): string =>
  createHash("sha256").update(secret, "utf8").digest("hex")

/** A new key: the secret shown once to its owner, and its stored record. */
export interface NewApiKey {
  readonly secret: string
  readonly key: ApiKey
}

/**
 * Makes and stores a new API key limited to `divisions` (none: every division) and returns its
 * secret, which is stored only as a hash. Fails with `StoreError` when the store does.
 */
export const createApiKey = Effect.fn("CreateApiKey")(function* (input: {
  readonly name: string | null
  readonly divisions: ReadonlyArray<string>
}) {
  const store = yield* ApiKeyStore
  const ids = yield* IdGenerator
  const secret = `${keyPrefix}${randomBytes(32).toString("base64url")}`
  const key: ApiKey = {
    id: ids.next("key"),
    name: input.name,
    divisions: [...new Set(input.divisions)],
    createdAt: DateTime.formatIso(yield* DateTime.now),
    revokedAt: null
  }
  yield* store.create(key, hashApiKey(secret))
  return { secret, key } satisfies NewApiKey
})
