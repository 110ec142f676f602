import { spawn, spawnSync } from "node:child_process"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import type { Contact, ImportJob, Organization } from "@xcontacts/domain"
import { describe, expect, it } from "vitest"
import { freshDataDir, runCliJson } from "./RunCli.ts"

const bin = fileURLToPath(new URL("../src/bin.ts", import.meta.url))
// 200,000 rows in chunks of 1,000, as the issue asks (about four minutes here);
// XCONTACTS_KILL_TEST_ROWS=20000 runs a quicker one while working on it.
const rows = Number(process.env.XCONTACTS_KILL_TEST_ROWS ?? 200_000)
const chunkSize = 1000

/** Runs the CLI to its end, however long a large import takes, and parses its JSON. */
const runLong = <A>(args: ReadonlyArray<string>): A => {
  const { DATABASE_URL: _ignored, ...env } = process.env
  const result = spawnSync(process.execPath, [bin, ...args], {
    encoding: "utf8",
    env,
    timeout: 600_000,
    maxBuffer: 1 << 30
  })
  // Exit 3 says that some rows failed, which this file has on purpose.
  if (result.status !== 0 && result.status !== 3) {
    throw new Error(
      `xcontacts ${args.join(" ")} ended with ${result.status ?? result.signal}:\n` +
        result.stderr.slice(-4_000)
    )
  }
  return JSON.parse(result.stdout) as A
}

/**
 * A deterministic contacts file: shared organizations (with changing industries, so rows
 * update them), repeated External IDs, legacy-style email matches between rows, bad emails.
 */
const generate = (count: number): string => {
  const lines = [
    "External ID,First Name,Last Name,Work Email,Work Phone,External Organization External ID," +
      "Organization Name,Industry"
  ]
  for (let index = 1; index <= count; index++) {
    const repeat = index % 97 === 0
    const id = repeat ? `X-${index - 50}` : `X-${index}`
    const email = index % 53 === 0 ? "not-an-email" : `person${index % 150_000}@example.org`
    const org = index % 7 === 0 ? "" : `ORG-${index % 400}`
    const name = org === "" ? "" : `Company ${index % 400}`
    const industry = org === "" ? "" : `Industry ${Math.floor(index / 10_000)}`
    const phone = index % 5 === 0 ? `+44 20 7946 ${String(index % 10_000).padStart(4, "0")}` : ""
    lines.push(
      [id, `First${index}`, `Last${index % 1000}`, email, phone, org, name, industry].join(",")
    )
  }
  return `${lines.join("\n")}\n`
}

/** The store as a user sees it, without random ids and times. */
const storeOf = (dataDir: string) => {
  const organizations = runLong<Array<Organization>>([
    "organizations",
    "list",
    "--json",
    "--data-dir",
    dataDir
  ])
  const keyOf = new Map<string, string | undefined>(
    organizations.map((org) => [org.id, org.externalIds[0]?.externalId])
  )
  const contacts = runLong<Array<Contact>>(["contacts", "list", "--json", "--data-dir", dataDir])
    .map(({ id: _id, createdAt: _c, updatedAt: _u, organizationId, ...contact }) => ({
      ...contact,
      organization: organizationId === null ? null : keyOf.get(organizationId)
    }))
    .toSorted((a, b) => (a.externalIds[0]!.externalId < b.externalIds[0]!.externalId ? -1 : 1))
  return {
    contacts,
    organizations: organizations
      .map(({ id: _id, createdAt: _c, updatedAt: _u, ...organization }) => organization)
      .toSorted((a, b) => (a.externalIds[0]!.externalId < b.externalIds[0]!.externalId ? -1 : 1))
  }
}

/** Starts an import and kills it with SIGKILL after `commits` import chunks have committed. */
const importAndKill = (file: string, dataDir: string, commits: number) =>
  new Promise<{ committedRows: number; seconds: number }>((done, fail) => {
    const started = Date.now()
    const child = spawn(process.execPath, [
      bin,
      "import",
      file,
      "--data-dir",
      dataDir,
      "--chunk-size",
      String(chunkSize),
      "--log-level",
      "debug"
    ])
    let seen = 0
    let stderr = ""
    child.stderr.on("data", (bytes: Buffer) => {
      stderr += bytes.toString()
      const committed = [...stderr.matchAll(/state: 'importing',\s+rows: (\d+)/gu)]
      if (committed.length >= commits && seen === 0) {
        seen = Number(committed.at(-1)![1])
        child.kill("SIGKILL")
      }
    })
    child.on("exit", (_code, signal) =>
      signal === "SIGKILL"
        ? done({ committedRows: seen, seconds: (Date.now() - started) / 1000 })
        : fail(new Error(`the import ended before it was killed:\n${stderr}`))
    )
  })

type JobJson = Pick<ImportJob, "state" | "counters"> & { readonly jobId: string }

describe("a killed import", () => {
  it(`resumes from its checkpoint and ends as an uninterrupted import (${rows} rows)`, async () => {
    const file = join(freshDataDir(), "contacts.csv")
    writeFileSync(file, generate(rows))

    const whole = freshDataDir()
    const started = Date.now()
    const direct = {
      json: runLong<JobJson>([
        "import",
        file,
        "--json",
        "--data-dir",
        whole,
        "--chunk-size",
        String(chunkSize)
      ])
    }
    expect(direct.json.state).toBe("completed")
    const directSeconds = (Date.now() - started) / 1000

    const killed = freshDataDir()
    const { committedRows, seconds } = await importAndKill(
      file,
      killed,
      Math.floor(rows / chunkSize / 2)
    )
    expect(committedRows).toBeGreaterThan(0)
    expect(committedRows).toBeLessThan(rows)
    const [left] = runCliJson<Array<JobJson>>(["jobs", "list", "--json", "--data-dir", killed]).json
    expect(left!.state).toBe("importing")
    expect(left!.counters.rowsTotal).toBeGreaterThan(0)
    expect(left!.counters.rowsTotal).toBeLessThan(direct.json.counters.rowsTotal)

    const job = runLong<JobJson>(["jobs", "resume", left!.jobId, "--json", "--data-dir", killed])
    expect(job.state).toBe("completed")
    expect(job.counters).toEqual(direct.json.counters)
    expect(job.counters.rowsTotal).toBe(rows)
    expect(job.counters.contacts.updated).toBeGreaterThan(0)
    expect(job.counters.rowsFailed).toBeGreaterThan(0)

    const expected = storeOf(whole)
    const actual = storeOf(killed)
    expect(actual.contacts.length).toBe(expected.contacts.length)
    expect(actual.organizations).toEqual(expected.organizations)
    expect(actual.contacts).toEqual(expected.contacts)
    process.stderr.write(
      `killed after ${committedRows} of ${rows} rows (${seconds}s in); ` +
        `uninterrupted import ${directSeconds}s\n`
    )
  }, 900_000)
})
