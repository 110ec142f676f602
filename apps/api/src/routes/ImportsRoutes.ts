import { randomUUID } from "node:crypto"
import { rm } from "node:fs/promises"
import { join } from "node:path"
import { jobFileSource } from "@xcontacts/db"
import {
  advanceImportJob,
  BEFORE_FIRST_LINE,
  beginContinueImportJob,
  beginRetryImportJob,
  type CsvSource,
  cancelImportJob,
  createImportJob,
  deleteImportJob,
  type Encoding,
  type ImportJobId,
  ImportJobStore,
  jobReport,
  loadJob
} from "@xcontacts/domain"
import { Cause, Effect, Exit, Schema, Stream } from "effect"
import type { Context, Hono } from "hono"
import { reachesDivision } from "../ApiKeyGrant.ts"
import { ImportJobBody, ImportJobList, ImportProblemPage, jobBody } from "../ApiSchemas.ts"
import { ApiProblem, answerFailure, queryMisfit, route } from "../openapi/Operation.ts"
import type { OperationSpec, RouteRegistry } from "../openapi/RouteRegistry.ts"
import { problem } from "../Problems.ts"
import type { AppOptions, Runner, Spawner } from "../Runner.ts"
import { importSettingsOf, importSettingsParameters } from "./ImportSettingsQuery.ts"
import { flagOf, limitOf, requireDivision, requireProfile } from "./RouteSupport.ts"
import { saveUpload } from "./SaveUpload.ts"

const idParameter = [{ name: "id", in: "path" as const, description: "The job's id" }]
const unauthorized = { 401: { description: "No API key, or a revoked one" } }
const jobResponses = {
  ...unauthorized,
  403: { description: "The key does not reach the job's division" },
  404: { description: "No such job" }
}
const conflict = { 409: { description: "The job is not in a state that allows this" } }

const createSpec: OperationSpec = {
  method: "post",
  path: "/v1/imports",
  operationId: "createImport",
  summary:
    "Upload a CSV file (text/csv, or a multipart `file`) as a new import job, validated in the " +
    "background; the job then waits for continue unless autoContinue=true",
  tag: "imports",
  parameters: [
    ...importSettingsParameters,
    { name: "fileName", in: "query", description: "The file's name, for the job (text/csv)" },
    {
      name: "autoContinue",
      in: "query",
      description: "true: import right after validation instead of waiting for continue"
    }
  ],
  rawBody: {
    contentType: "text/csv",
    description:
      "The CSV file, streamed; a charset in its Content-Type (utf-8, utf-16, utf-16le, " +
      "utf-16be, windows-1252, iso-8859-1) is its encoding unless ?encoding= names one"
  },
  responses: {
    202: { description: "The new job, validating in the background", schema: ImportJobBody },
    ...unauthorized,
    403: { description: "The key does not reach the import's division" },
    404: { description: "No such import profile" },
    413: { description: "The file is over the upload limit" },
    415: {
      description:
        "The body is neither text/csv nor multipart/form-data, or its charset is not one the " +
        "import reads"
    },
    422: {
      description: "A setting is not valid, or the multipart body has no file or several"
    }
  }
}

const reportSpec: OperationSpec = {
  method: "get",
  path: "/v1/imports/{id}/report",
  operationId: "getImportReport",
  summary:
    "The job's report as CSV: the file's columns, then line, outcome, contact_id, " +
    "organization_id and messages, every cell safe for spreadsheets",
  tag: "imports",
  parameters: [
    ...idParameter,
    {
      name: "failedOnly",
      in: "query",
      description: "true: only the failed rows; fixed, that file imports again"
    }
  ],
  responses: {
    200: { description: "The report", contentType: "text/csv" },
    ...jobResponses,
    409: { description: "The job's file is gone or changed" }
  }
}

/** `after` as given, from the top when absent; 422 unless it is a line number (0 or more). */
const afterLineOf = (value: string | undefined): Effect.Effect<number, ApiProblem> =>
  value === undefined
    ? Effect.succeed(BEFORE_FIRST_LINE)
    : /^\d{1,10}$/u.test(value)
      ? Effect.succeed(Number(value))
      : Effect.fail(
          new ApiProblem({
            status: 422,
            type: "invalid-parameter",
            title: "after must be a line number, 0 or more",
            detail: `after=${value.slice(0, 40)}`
          })
        )

/** A job the request's key may read: 404 when unknown, 403 when in another division. */
const reachableJob = Effect.fnUntraced(function* (context: Context, id: string) {
  const job = yield* loadJob(id as ImportJobId)
  yield* requireDivision(context, job.settings.division)
  return job
})

/** Runs a job as far as it goes, logging (not losing) a failure of the store or its file. */
const runJob = (id: ImportJobId, source?: CsvSource) =>
  advanceImportJob(id, source === undefined ? {} : { source }).pipe(
    Effect.tap((job) =>
      Effect.logInfo("import job stopped").pipe(
        Effect.annotateLogs({ jobId: id, state: job.state, rowsTotal: job.counters.rowsTotal })
      )
    ),
    Effect.catchCause((cause) =>
      Effect.logError("import job failed").pipe(
        Effect.annotateLogs({ jobId: id, cause: Cause.pretty(cause) })
      )
    )
  )

/** The encodings a file's charset may name, by the import's names for them. */
const charsetEncodings: Readonly<Record<string, Encoding>> = {
  "utf-8": "utf-8",
  utf8: "utf-8",
  "us-ascii": "utf-8",
  "utf-16": "auto",
  "utf-16le": "utf-16le",
  "utf-16be": "utf-16be",
  "windows-1252": "windows-1252",
  cp1252: "windows-1252",
  "iso-8859-1": "windows-1252",
  latin1: "windows-1252"
}

const unreadableCharset = (context: Context, charset: string) =>
  problem(
    context,
    415,
    "unsupported-media-type",
    "The body's charset is not one the import reads",
    `charset ${charset}: send UTF-8, UTF-16 or Windows-1252, or name the encoding with ?encoding=`
  )

/** The charset parameter of a media type, lower case, or null when it has none. */
const charsetOf = (type: string): string | null =>
  type.match(/;\s*charset\s*=\s*"?([^";\s]+)"?/u)?.[1]?.toLowerCase() ?? null

/**
 * The uploaded file's bytes and name: the body itself, or a multipart form's one `file`; with
 * `files`, how many a form carried when it was not exactly one.
 */
const uploadOf = async (context: Context, multipart: boolean) => {
  if (!multipart) {
    return {
      body: context.req.raw.body,
      name: context.req.query("fileName") ?? null,
      files: 1,
      fields: [],
      type: context.req.header("content-type") ?? ""
    }
  }
  const form = await context.req.raw.formData()
  // Every file part counts, under any field name: one of two is never chosen in silence.
  const files = [...form.values()].filter((part) => part instanceof File)
  // Settings are read from the query only; a form field that looks like one is refused rather
  // than dropped.
  const fields = [...form.entries()]
    .filter(([, part]) => typeof part === "string")
    .map(([key]) => key)
  const file = form.get("file")
  if (files.length !== 1 || !(file instanceof File)) {
    return { body: null, name: null, files: files.length, fields, type: "" }
  }
  return {
    body: file.stream(),
    name: file.name === "" ? null : file.name,
    files: 1,
    fields,
    type: file.type
  }
}

/**
 * `/v1/imports`: upload a file as a job validated in the background, follow it, continue,
 * cancel, retry or delete it, and read its report. A job is reached only by keys that reach its
 * division.
 */
export const importsRoutes = (
  app: Hono,
  registry: RouteRegistry,
  run: Runner,
  spawn: Spawner,
  options: AppOptions
) => {
  registry.add(createSpec)
  app.post("/v1/imports", async (context) => {
    const type = (context.req.header("content-type") ?? "").toLowerCase()
    const multipart = type.startsWith("multipart/form-data")
    if (!type.startsWith("text/csv") && !multipart) {
      return problem(
        context,
        415,
        "unsupported-media-type",
        "Send the file as text/csv or as a multipart file"
      )
    }
    const misfit = queryMisfit(context, createSpec)
    if (misfit !== null) return answerFailure(context, run, Cause.fail(misfit))
    const query = (name: string) => context.req.query(name)
    const queries = (name: string) => context.req.queries(name) ?? []
    const settings = await run(
      Effect.tap(
        importSettingsOf(query, queries, (profile) => requireProfile(context, profile)),
        (resolved) => requireDivision(context, resolved.division)
      )
    )
    if (Exit.isFailure(settings)) return answerFailure(context, run, settings.cause)
    const autoContinue = await run(flagOf("autoContinue", query("autoContinue")))
    if (Exit.isFailure(autoContinue)) return answerFailure(context, run, autoContinue.cause)

    const path = join(options.uploadDir, `${randomUUID()}.csv`)
    let stored: Awaited<ReturnType<typeof saveUpload>>
    let name: string | null
    // The file says what its bytes are: the charset of the body's (or the form's file part's)
    // media type is its encoding, over the profile's, unless the query names one.
    let charsetEncoding: Encoding | undefined
    try {
      const upload = await uploadOf(context, multipart)
      if (upload.files > 1) {
        return problem(
          context,
          422,
          "several-files",
          `The request has ${upload.files} files; send one file per import`
        )
      }
      if (upload.body === null) {
        return problem(context, 422, "no-file", "The request has no file")
      }
      if (upload.fields.length > 0) {
        const field = upload.fields[0]!
        return problem(
          context,
          422,
          "invalid-parameter",
          "The form has a field other than its file",
          `"${field}" is not read: a form carries only the file; give settings in the query ` +
            `string (?${encodeURIComponent(field)}=…)`
        )
      }
      const charset = query("encoding") === undefined ? charsetOf(upload.type) : null
      if (charset !== null) {
        charsetEncoding = charsetEncodings[charset]
        if (charsetEncoding === undefined) return unreadableCharset(context, charset)
      }
      name = upload.name
      stored = await saveUpload(upload.body, path)
    } catch {
      // Past the body limit, the limit's middleware answers 413 instead.
      return problem(context, 400, "upload-failed", "The upload did not complete")
    }

    const source: CsvSource = jobFileSource(stored, name)
    const created = await run(
      createImportJob({
        file: source,
        stored,
        settings:
          charsetEncoding === undefined
            ? settings.value
            : { ...settings.value, encoding: charsetEncoding },
        autoContinue: autoContinue.value
      })
    )
    if (Exit.isFailure(created)) {
      await rm(path, { force: true })
      return answerFailure(context, run, created.cause)
    }
    spawn(runJob(created.value.id, source))
    context.header("location", `/v1/imports/${created.value.id}`)
    return context.json(Schema.encodeSync(ImportJobBody)(jobBody(created.value)) as object, 202)
  })

  route(
    app,
    registry,
    run,
    {
      method: "get",
      path: "/v1/imports",
      operationId: "listImports",
      summary: "List import jobs, newest first, of the divisions the key reaches",
      tag: "imports",
      parameters: [{ name: "limit", in: "query", description: "At most N jobs, 1 to 1000" }],
      responses: { 200: { description: "The jobs", schema: ImportJobList }, ...unauthorized }
    },
    ({ context, query }) =>
      Effect.gen(function* () {
        const limit = yield* limitOf(query("limit"))
        const limited = context.var.apiKey?.divisions.length ?? 0
        const jobs = yield* ImportJobStore.use((store) => store.list(limited ? 10_000 : limit))
        const data = jobs
          .filter((job) => reachesDivision(context, job.settings.division))
          .slice(0, limit)
        return { status: 200, value: { data: data.map(jobBody) } }
      })
  )

  route(
    app,
    registry,
    run,
    {
      method: "get",
      path: "/v1/imports/{id}",
      operationId: "getImport",
      summary: "Read an import job: state, counters, progress, its first problems and their number",
      tag: "imports",
      parameters: idParameter,
      responses: { 200: { description: "The job", schema: ImportJobBody }, ...jobResponses }
    },
    ({ context, param }) =>
      Effect.map(reachableJob(context, param("id")), (job) => ({
        status: 200,
        value: jobBody(job)
      }))
  )

  route(
    app,
    registry,
    run,
    {
      method: "delete",
      path: "/v1/imports/{id}",
      operationId: "deleteImport",
      summary:
        "Delete a job that no process runs (validated and waiting, completed, failed or " +
        "cancelled) with its problems, row records and upload; the contacts and organizations " +
        "it imported stay",
      tag: "imports",
      parameters: idParameter,
      responses: {
        204: { description: "Deleted" },
        ...jobResponses,
        409: {
          description:
            "A process runs the job (created, validating, importing, or validated with " +
            "autoContinue): cancel it, or wait until it ends"
        }
      }
    },
    ({ context, param }) =>
      Effect.gen(function* () {
        const { id } = yield* reachableJob(context, param("id"))
        yield* deleteImportJob(id)
        return { status: 204 }
      })
  )

  route(
    app,
    registry,
    run,
    {
      method: "get",
      path: "/v1/imports/{id}/problems",
      operationId: "listImportProblems",
      summary:
        "Page through a job's problems in line order: whole lines, so a page may hold a few " +
        "more than limit; the next page starts after the last line of this one",
      tag: "imports",
      parameters: [
        ...idParameter,
        {
          name: "after",
          in: "query",
          description:
            "Only problems on lines after this one (nextAfter of the previous page); absent: " +
            "from the top, with problems of the file as a whole on line 0"
        },
        { name: "limit", in: "query", description: "Page size, 1 to 1000 (default 100)" }
      ],
      responses: {
        200: { description: "The problems", schema: ImportProblemPage },
        ...jobResponses,
        422: { description: "after or limit is not valid" }
      }
    },
    ({ context, param, query }) =>
      Effect.gen(function* () {
        const limit = yield* limitOf(query("limit"))
        const after = yield* afterLineOf(query("after"))
        const { id } = yield* reachableJob(context, param("id"))
        const store = yield* ImportJobStore
        const data = yield* store.problems(id, after, limit)
        const last = data.at(-1)?.line ?? after
        const more = data.length >= limit && (yield* store.problems(id, last, 1)).length > 0
        return { status: 200, value: { data, nextAfter: more ? last : null } }
      })
  )

  route(
    app,
    registry,
    run,
    {
      method: "post",
      path: "/v1/imports/{id}/continue",
      operationId: "continueImport",
      summary: "Import a validated job in the background, checking every row again",
      tag: "imports",
      parameters: idParameter,
      responses: {
        202: { description: "The job, importing", schema: ImportJobBody },
        ...jobResponses,
        ...conflict
      }
    },
    ({ context, param }) =>
      Effect.gen(function* () {
        const { id } = yield* reachableJob(context, param("id"))
        const job = yield* beginContinueImportJob(id)
        yield* Effect.sync(() => spawn(runJob(id)))
        return { status: 202, value: jobBody(job) }
      })
  )

  route(
    app,
    registry,
    run,
    {
      method: "post",
      path: "/v1/imports/{id}/cancel",
      operationId: "cancelImport",
      summary: "Cancel a job that has not begun to import; it writes nothing",
      tag: "imports",
      parameters: idParameter,
      responses: {
        200: { description: "The job, cancelled", schema: ImportJobBody },
        ...jobResponses,
        ...conflict
      }
    },
    ({ context, param }) =>
      Effect.gen(function* () {
        const { id } = yield* reachableJob(context, param("id"))
        return { status: 200, value: jobBody(yield* cancelImportJob(id)) }
      })
  )

  route(
    app,
    registry,
    run,
    {
      method: "post",
      path: "/v1/imports/{id}/retry",
      operationId: "retryImport",
      summary: "Run a failed job again in the background, from its checkpoint if it had one",
      tag: "imports",
      parameters: idParameter,
      responses: {
        202: { description: "The job, running again", schema: ImportJobBody },
        ...jobResponses,
        ...conflict
      }
    },
    ({ context, param }) =>
      Effect.gen(function* () {
        const { id } = yield* reachableJob(context, param("id"))
        const job = yield* beginRetryImportJob(id)
        yield* Effect.sync(() => spawn(runJob(id)))
        return { status: 202, value: jobBody(job) }
      })
  )

  registry.add(reportSpec)
  app.get("/v1/imports/:id/report", async (context) => {
    const id = context.req.param("id")
    const exit = await run(
      Effect.gen(function* () {
        const misfit = queryMisfit(context, reportSpec)
        if (misfit !== null) return yield* misfit
        const failedOnly = yield* flagOf("failedOnly", context.req.query("failedOnly"))
        yield* reachableJob(context, id)
        const report = yield* jobReport(id as ImportJobId, { failedOnly })
        return yield* Stream.toReadableStreamEffect(Stream.encodeText(report))
      })
    )
    if (Exit.isFailure(exit)) return answerFailure(context, run, exit.cause)
    return new Response(exit.value, {
      status: 200,
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="${id}-report.csv"`
      }
    })
  })
}
