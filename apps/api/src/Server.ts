import { serve } from "@hono/node-server"
import { JobFilesNode } from "@xcontacts/db"
import { resumeImportJob, unfinishedImportJobs } from "@xcontacts/domain"
import { Cause, Effect, FiberSet, Schema } from "effect"
import { type ApiServices, type AppOptions, makeApp } from "./App.ts"

/**
 * Goes on, one after the other, with the jobs a stopped server left unfinished: a validation
 * starts again, an import resumes from its checkpoint. A job that cannot go on is logged.
 */
const resumeUnfinished = Effect.gen(function* () {
  const jobs = yield* unfinishedImportJobs()
  for (const job of jobs) {
    yield* Effect.logInfo("resuming import job").pipe(
      Effect.annotateLogs({ jobId: job.id, state: job.state })
    )
    yield* resumeImportJob(job.id).pipe(
      Effect.catchCause((cause) =>
        Effect.logError("import job could not resume").pipe(
          Effect.annotateLogs({ jobId: job.id, cause: Cause.pretty(cause) })
        )
      )
    )
  }
}).pipe(
  Effect.catchCause((cause) =>
    Effect.logError("unfinished import jobs unreadable").pipe(
      Effect.annotateLogs({ cause: Cause.pretty(cause) })
    )
  )
)

/**
 * Serves the API on `port` until the scope closes, then stops accepting connections and lets
 * running requests finish. Import jobs run in the background in this scope, and the jobs a
 * stopped server left unfinished are resumed once it listens; closing the scope stops them
 * between commits, to be resumed by the next start. A deleted job's upload is removed from the
 * upload folder.
 */
/** The server could not listen: the port is taken, or not one the system allows. */
export class ServerNotListening extends Schema.TaggedError<ServerNotListening>()(
  "ServerNotListening",
  { message: Schema.String }
) {}

export const serveApi = Effect.fnUntraced(function* (port: number, options: AppOptions) {
  // The server's job files are its uploads, whatever folder the store's layer was given.
  const services = yield* Effect.context<ApiServices>().pipe(
    Effect.provide(JobFilesNode(options.uploadDir))
  )
  const fork = yield* FiberSet.makeRuntime<ApiServices>()
  const app = makeApp(
    (effect) => Effect.runPromiseExitWith(services)(effect),
    options,
    (effect) => void fork(effect)
  )
  const server = yield* Effect.acquireRelease(
    Effect.callback<ReturnType<typeof serve>, ServerNotListening>((resume) => {
      const server = serve({ fetch: app.fetch, port, hostname: "127.0.0.1" }, () =>
        resume(Effect.succeed(server))
      )
      server.once("error", (error: NodeJS.ErrnoException) =>
        resume(
          Effect.fail(
            new ServerNotListening({
              message:
                error.code === "EADDRINUSE"
                  ? `port ${port} is in use by another program; choose another with --port`
                  : `cannot listen on port ${port}: ${error.message}`
            })
          )
        )
      )
    }),
    (server) => Effect.callback<void>((resume) => void server.close(() => resume(Effect.void)))
  )
  fork(resumeUnfinished)
  const address = server.address()
  return typeof address === "object" && address !== null ? address.port : port
})
