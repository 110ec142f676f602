import { spawn } from "node:child_process"
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import type { Contact, ImportJob } from "@xcontacts/domain"
import { describe, expect, it } from "vitest"
import { freshDataDir, runCli, runCliJson } from "./RunCli.ts"

const bin = fileURLToPath(new URL("../src/bin.ts", import.meta.url))

type JobJson = Pick<ImportJob, "state" | "counters" | "problems" | "problemCount"> & {
  readonly jobId: string
}

type DeletedJson = JobJson & { readonly deleted: boolean; readonly keptFile: string }

/** A file of `count` clean rows in a fresh folder. */
const contactsFile = (count: number) => {
  const file = join(freshDataDir(), "contacts.csv")
  const rows = Array.from({ length: count }, (_, index) => `J-${index + 1},First${index + 1}`)
  writeFileSync(file, `External ID,First Name\n${rows.join("\n")}\n`)
  return file
}

const contactIds = (dataDir: string) =>
  runCliJson<Array<Contact>>(["contacts", "list", "--json", "--data-dir", dataDir])
    .json.map((contact) => contact.externalIds[0]?.externalId)
    .toSorted()

const uploads = (dataDir: string) => readdirSync(join(dataDir, "uploads"))

/** Starts an import and kills it with SIGKILL once `commits` import chunks have committed. */
const importAndKill = (file: string, dataDir: string, commits: number) =>
  new Promise<void>((done, fail) => {
    const { DATABASE_URL: _ignored, ...env } = process.env
    const child = spawn(
      process.execPath,
      [bin, "import", file, "--data-dir", dataDir, "--chunk-size", "10", "--log-level", "debug"],
      { env }
    )
    let stderr = ""
    child.stderr.on("data", (bytes: Buffer) => {
      stderr += bytes.toString()
      if ([...stderr.matchAll(/state: 'importing'/gu)].length >= commits) child.kill("SIGKILL")
    })
    child.on("exit", (_code, signal) =>
      signal === "SIGKILL"
        ? done()
        : fail(new Error(`the import ended before it was killed:\n${stderr}`))
    )
  })

describe("xcontacts jobs continue", () => {
  it("imports a dry run's validated job, checking every row again", () => {
    const dataDir = freshDataDir()
    const dry = runCliJson<JobJson>([
      "import",
      contactsFile(3),
      "--dry-run",
      "--json",
      "--data-dir",
      dataDir
    ])
    expect(dry.status).toBe(0)
    expect(dry.json.state).toBe("validated")
    expect(contactIds(dataDir)).toEqual([])

    const continued = runCliJson<JobJson>([
      "jobs",
      "continue",
      dry.json.jobId,
      "--json",
      "--data-dir",
      dataDir
    ])
    expect(continued.status).toBe(0)
    expect(continued.json.jobId).toBe(dry.json.jobId)
    expect(continued.json.state).toBe("completed")
    expect(continued.json.counters).toEqual(dry.json.counters)
    expect(continued.json.counters.contacts).toEqual({
      created: 3,
      updated: 0,
      merged: 0,
      unchanged: 0
    })
    expect(contactIds(dataDir)).toEqual(["J-1", "J-2", "J-3"])

    const again = runCli(["jobs", "continue", dry.json.jobId, "--json", "--data-dir", dataDir])
    expect(again.status).toBe(1)
    expect(again.stdout).toBe("")
    expect(again.stderr).toBe(
      `error: Import job "${dry.json.jobId}" is completed; it cannot continue now.\n`
    )
    const unknown = runCli(["jobs", "continue", "job_none", "--data-dir", dataDir])
    expect(unknown.status).toBe(2)
    expect(unknown.stderr).toBe(
      'error: There is no import job "job_none". See xcontacts jobs list.\n'
    )
  })

  it("imports a job the server validated and left waiting for continue", async () => {
    const dataDir = freshDataDir()
    const key = runCliJson<{ key: string }>(["--data-dir", dataDir, "keys", "create", "--json"])
    const { DATABASE_URL: _ignored, ...env } = process.env
    const server = spawn(process.execPath, [bin, "--data-dir", dataDir, "serve", "--port", "0"], {
      env,
      stdio: ["ignore", "pipe", "pipe"]
    })
    let stderr = ""
    const url = await new Promise<string>((resolve, reject) => {
      server.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString()
        const found = /(http:\/\/127\.0\.0\.1:\d+)/u.exec(stderr)?.[1]
        if (found !== undefined) resolve(found)
      })
      server.on("exit", () => reject(new Error(`serve ended early: ${stderr}`)))
    })
    const headers = { authorization: `Bearer ${key.json.key}` }
    const created = await fetch(`${url}/v1/imports?source=crm`, {
      method: "POST",
      headers: { ...headers, "content-type": "text/csv" },
      body: "External ID,First Name\nS-1,Ada\nS-2,Oli\n"
    })
    expect(created.status).toBe(202)
    const { id } = (await created.json()) as { id: string }
    let state = ""
    for (let attempt = 0; attempt < 400 && state !== "validated"; attempt++) {
      await new Promise((done) => setTimeout(done, 50))
      const job = await fetch(`${url}/v1/imports/${id}`, { headers })
      state = ((await job.json()) as { state: string }).state
    }
    expect(state).toBe("validated")
    const exited = new Promise<number | null>((resolve) => server.on("exit", resolve))
    server.kill("SIGTERM")
    expect(await exited).toBe(0)

    const continued = runCliJson<JobJson>(["jobs", "continue", id, "--json", "--data-dir", dataDir])
    expect(continued.status).toBe(0)
    expect(continued.json.state).toBe("completed")
    expect(continued.json.counters.rowsImported).toBe(2)
    expect(contactIds(dataDir)).toEqual(["S-1", "S-2"])

    // The upload the server kept goes with its job.
    expect(uploads(dataDir)).toHaveLength(1)
    const deleted = runCliJson<DeletedJson>(["jobs", "delete", id, "--json", "--data-dir", dataDir])
    expect(deleted.status).toBe(0)
    expect(deleted.json.keptFile).toBe("removed")
    expect(uploads(dataDir)).toEqual([])
  })
})

describe("xcontacts jobs delete", () => {
  it("takes the job, its row records and its kept copy; the contacts it imported stay", () => {
    const dataDir = freshDataDir()
    const file = contactsFile(2)
    const imported = runCliJson<JobJson>(["import", file, "--json", "--data-dir", dataDir])
    expect(imported.json.state).toBe("completed")
    const other = runCliJson<JobJson>(["import", file, "--json", "--data-dir", dataDir])
    const { jobId } = imported.json
    expect(uploads(dataDir)).toHaveLength(2)
    expect(runCli(["jobs", "report", jobId, "--data-dir", dataDir]).status).toBe(0)

    const deleted = runCliJson<DeletedJson>([
      "jobs",
      "delete",
      jobId,
      "--json",
      "--data-dir",
      dataDir
    ])
    expect(deleted.status).toBe(0)
    expect(deleted.stderr).toBe("")
    expect(deleted.json).toEqual({ ...imported.json, deleted: true, keptFile: "removed" })
    expect(uploads(dataDir)).toHaveLength(1)

    const jobs = runCliJson<Array<JobJson>>(["jobs", "list", "--json", "--data-dir", dataDir])
    expect(jobs.json.map((job) => job.jobId)).toEqual([other.json.jobId])
    for (const command of ["show", "report", "delete"]) {
      const gone = runCli(["jobs", command, jobId, "--data-dir", dataDir])
      expect(gone.status).toBe(2)
      expect(gone.stdout).toBe("")
    }
    expect(contactIds(dataDir)).toEqual(["J-1", "J-2"])

    const text = runCli(["jobs", "delete", other.json.jobId, "--data-dir", dataDir])
    expect(text.status).toBe(0)
    expect(text.stdout).toBe(
      `job ${other.json.jobId} deleted (it was completed); its kept copy of the file was removed\n`
    )
    expect(uploads(dataDir)).toEqual([])
    expect(contactIds(dataDir)).toEqual(["J-1", "J-2"])

    // A copy someone removed by hand is no failure, and not said to be removed by the delete.
    const third = runCliJson<JobJson>(["import", file, "--json", "--data-dir", dataDir])
    rmSync(join(dataDir, "uploads", uploads(dataDir)[0]!))
    const gone = runCli(["jobs", "delete", third.json.jobId, "--data-dir", dataDir])
    expect(gone.status).toBe(0)
    expect(gone.stdout).toBe(
      `job ${third.json.jobId} deleted (it was completed); ` +
        "its kept copy of the file was already gone\n"
    )
  })

  it("refuses a job a stopped process left importing until it is resumed", async () => {
    const dataDir = freshDataDir()
    await importAndKill(contactsFile(300), dataDir, 3)
    const [left] = runCliJson<Array<JobJson>>([
      "jobs",
      "list",
      "--json",
      "--data-dir",
      dataDir
    ]).json
    expect(left!.state).toBe("importing")

    const refused = runCli(["jobs", "delete", left!.jobId, "--json", "--data-dir", dataDir])
    expect(refused.status).toBe(1)
    expect(refused.stdout).toBe("")
    expect(refused.stderr).toBe(
      `error: Import job "${left!.jobId}" is importing; it cannot be deleted now. If the ` +
        "process that ran it stopped, resume it first (a server resumes its jobs when it " +
        "starts).\n"
    )
    const shown = runCliJson<JobJson>([
      "jobs",
      "show",
      left!.jobId,
      "--json",
      "--data-dir",
      dataDir
    ])
    expect(shown.json.state).toBe("importing")
    expect(uploads(dataDir)).toHaveLength(1)

    const resumed = runCliJson<JobJson>([
      "jobs",
      "resume",
      left!.jobId,
      "--json",
      "--data-dir",
      dataDir
    ])
    expect(resumed.json.state).toBe("completed")
    expect(resumed.json.counters.rowsImported).toBe(300)
    expect(runCli(["jobs", "delete", left!.jobId, "--data-dir", dataDir]).status).toBe(0)
    expect(uploads(dataDir)).toEqual([])
    expect(contactIds(dataDir)).toHaveLength(300)
  })
})

describe("xcontacts jobs retry", () => {
  it("fails a stopped job whose kept copy changed, and retries it once the copy is back", async () => {
    const dataDir = freshDataDir()
    await importAndKill(contactsFile(300), dataDir, 3)
    const [left] = runCliJson<Array<JobJson>>([
      "jobs",
      "list",
      "--json",
      "--data-dir",
      dataDir
    ]).json
    expect(left!.state).toBe("importing")
    // A stopped job's counts are of the rows read so far, and say how far that is.
    const listed = runCli(["jobs", "list", "--data-dir", dataDir]).stdout
    expect(listed).toMatch(/\t\d+\/\d+ imported, 0 failed so far \(\d+% of the file\)\n$/u)
    const stopped = runCli(["jobs", "show", left!.jobId, "--data-dir", dataDir]).stdout
    expect(stopped).toMatch(/^rows: \d+ read so far \(\d+% of the file\), /mu)
    const copy = join(dataDir, "uploads", uploads(dataDir)[0]!)
    const original = readFileSync(copy)
    writeFileSync(copy, original.toString().replace("First299", "Changed"))

    const failed = runCliJson<JobJson>([
      "jobs",
      "resume",
      left!.jobId,
      "--json",
      "--data-dir",
      dataDir
    ])
    expect(failed.status).toBe(4)
    expect(failed.json.state).toBe("failed")
    expect(failed.json.problems.map((problem) => problem.code)).toContain("FILE_CHANGED")
    // A problem of the whole file is shown as the file's, not as "line 0".
    const shown = runCli(["jobs", "show", left!.jobId, "--data-dir", dataDir])
    expect(shown.stdout).toContain("file: error FILE_CHANGED: The job's file cannot be used: ")
    expect(shown.stdout).not.toContain("line 0")
    const committed = failed.json.counters.rowsImported
    expect(committed).toBeGreaterThan(0)
    expect(contactIds(dataDir)).toHaveLength(committed)

    writeFileSync(copy, original)
    const retried = runCliJson<JobJson>([
      "jobs",
      "retry",
      left!.jobId,
      "--json",
      "--data-dir",
      dataDir
    ])
    expect(retried.status).toBe(0)
    expect(retried.json.state).toBe("completed")
    expect(retried.json.counters.rowsImported).toBe(300)
    // The problem that ended the failed run is gone with it: the retry read the file to its end.
    expect(retried.json.problems).toEqual([])
    expect(retried.json.problemCount).toBe(0)
    expect(contactIds(dataDir)).toHaveLength(300)
  })
})
