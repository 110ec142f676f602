import { Context, Effect, Layer } from "effect"

export type IdKind = "contact" | "organization" | "job" | "key"

const prefixes: Record<IdKind, string> = {
  contact: "ct",
  organization: "org",
  job: "job",
  key: "key"
}

/** Makes the ids of new records, so that tests can fix them. */
export class IdGenerator extends Context.Service<
  IdGenerator,
  {
    readonly next: (kind: IdKind) => string
  }
>()("@xcontacts/domain/ports/IdGenerator") {
  /** Random UUIDs behind a short prefix that names the kind of record. */
  static readonly layer = Layer.succeed(
    IdGenerator,
    IdGenerator.of({ next: (kind) => `${prefixes[kind]}_${crypto.randomUUID()}` })
  )

  /** Counting ids (`ct_1`, `ct_2`, …) for tests that assert on them. */
  static readonly layerSequential = Layer.effect(
    IdGenerator,
    Effect.sync(() => {
      const counts = new Map<IdKind, number>()
      return IdGenerator.of({
        next: (kind) => {
          const count = (counts.get(kind) ?? 0) + 1
          counts.set(kind, count)
          return `${prefixes[kind]}_${count}`
        }
      })
    })
  )
}
