import { tmpdir } from "node:os"
import { join } from "node:path"
import { storesLayer } from "@xcontacts/db"
import { type Contact, IdGenerator } from "@xcontacts/domain"
import { Effect, Layer } from "effect"
import { createApiKey } from "../src/index.ts"

/** Every store on an in-memory PGlite, as `xcontacts serve` has them on a data folder. */
export const TestStores = Layer.merge(
  storesLayer({ _tag: "Pglite", dataDir: null }),
  IdGenerator.layer
)

export const uploadDir = join(tmpdir(), "xcontacts-api-test")

/** A problem document's members. */
export interface Problem {
  readonly type: string
  readonly status: number
  readonly requestId: string
}

/** A page of contacts. */
export interface Page {
  readonly data: ReadonlyArray<Contact>
  readonly nextCursor: string | null
}

export interface Answer {
  readonly status: number
  readonly type: string | null
  readonly headers: Headers
  readonly text: string
  /** The body as JSON, typed as the test expects it. */
  readonly json: <A = Problem & Page & Contact>() => A
}

/** Sends a real request to the listening server and reads the whole answer. */
export const request = (port: number, path: string, init?: RequestInit) =>
  Effect.promise(async (): Promise<Answer> => {
    const response = await fetch(`http://127.0.0.1:${port}${path}`, init)
    const text = await response.text()
    return {
      status: response.status,
      type: response.headers.get("content-type"),
      headers: response.headers,
      text,
      json: <A>() => JSON.parse(text) as A
    }
  })

/** A new API key's secret, limited to `divisions` (none: all). */
export const newKey = (divisions: ReadonlyArray<string> = [], name: string | null = null) =>
  Effect.map(createApiKey({ name, divisions }), (created) => created.secret)

/** Request options with the key and, for a body, JSON. */
export const withKey = (secret: string, init: RequestInit & { json?: unknown } = {}) => {
  const { json, ...rest } = init
  return {
    ...rest,
    headers: {
      authorization: `Bearer ${secret}`,
      ...(json === undefined ? {} : { "content-type": "application/json" }),
      ...(rest.headers as Record<string, string> | undefined)
    },
    ...(json === undefined ? {} : { body: JSON.stringify(json) })
  }
}
