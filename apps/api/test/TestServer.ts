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

/** An import job as the API returns it, with the members the tests read. */
export interface Job {
  readonly id: string
  readonly state: string
  readonly wouldBe: boolean
  readonly autoContinue: boolean
  readonly progress: { readonly rowsProcessed: number; readonly bytesRead: number }
  readonly counters: {
    readonly rowsTotal: number
    readonly rowsImported: number
    readonly rowsFailed: number
    readonly warnings: number
    readonly contacts: Record<string, number>
    readonly organizations: Record<string, number>
  }
  readonly problems: ReadonlyArray<{ readonly line: number; readonly code: string }>
  readonly problemCount: number
}

/** Uploads `body` as text/csv to `/v1/imports` with the query `query`. */
export const upload = (
  port: number,
  secret: string,
  query: string,
  body: NonNullable<RequestInit["body"]>
) =>
  request(
    port,
    `/v1/imports${query}`,
    withKey(secret, { method: "POST", headers: { "content-type": "text/csv" }, body })
  )

/** Reads the job until it is in one of `states`; fails the test after about 20 seconds. */
export const jobIn = (port: number, secret: string, id: string, states: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    for (let attempt = 0; attempt < 400; attempt++) {
      const job = (yield* request(port, `/v1/imports/${id}`, withKey(secret))).json<Job>()
      if (states.includes(job.state)) return job
      yield* Effect.promise(() => new Promise((done) => setTimeout(done, 50)))
    }
    return yield* Effect.die(new Error(`job ${id} never reached ${states.join(" or ")}`))
  })
