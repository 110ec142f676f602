import {
  chmodSync,
  copyFileSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync
} from "node:fs"
import { dirname, join } from "node:path"
import type { Contact, ImportJob, Organization } from "@xcontacts/domain"
import { describe, expect, it } from "vitest"
import { fixture, freshDataDir, runCli, runCliJson } from "./RunCli.ts"

type JobJson = Pick<ImportJob, "state" | "counters" | "problems" | "problemCount"> & {
  readonly jobId: string
}

describe("xcontacts import", () => {
  it("creates three contacts and one organization, then reports them unchanged", () => {
    const dataDir = freshDataDir()
    const file = fixture("examples/02-three-contacts-one-org.csv")

    const first = runCliJson<JobJson>(["import", file, "--json", "--data-dir", dataDir])
    expect(first.status).toBe(0)
    expect(first.json.state).toBe("completed")
    expect(first.json.counters.contacts).toEqual({
      created: 3,
      updated: 0,
      merged: 0,
      unchanged: 0
    })
    expect(first.json.counters.organizations).toEqual({ created: 1, updated: 0, unchanged: 0 })
    expect(first.json.problems).toEqual([])
    expect(first.json.problemCount).toBe(0)

    const second = runCliJson<JobJson>(["import", file, "--json", "--data-dir", dataDir])
    expect(second.json.counters.contacts).toEqual({
      created: 0,
      updated: 0,
      merged: 0,
      unchanged: 3
    })

    const contacts = runCliJson<Array<Contact>>([
      "contacts",
      "list",
      "--json",
      "--data-dir",
      dataDir
    ]).json
    expect(contacts.map((c) => c.externalIds[0]?.externalId).sort()).toEqual(["K-1", "K-2", "K-3"])
    expect(new Set(contacts.map((c) => c.organizationId)).size).toBe(1)
    const organizations = runCliJson<Array<Organization>>([
      "organizations",
      "list",
      "--json",
      "--data-dir",
      dataDir
    ]).json
    expect(organizations).toHaveLength(1)
    expect(organizations[0]?.id).toBe(contacts[0]?.organizationId)
    expect(organizations[0]?.name).toBe("Paper Street Supplies")
  })

  it("keeps its own copy of the file, so a report outlives the original", () => {
    const dataDir = freshDataDir()
    const file = join(freshDataDir(), "weekly.csv")
    writeFileSync(file, "External ID,First Name,Work Email\nW-1,Ada,ada@example.com\n")
    const imported = runCliJson<JobJson>(["import", file, "--json", "--data-dir", dataDir])
    expect(imported.json.state).toBe("completed")
    // Next week's export replaces the file, then it is deleted.
    writeFileSync(file, "External ID,First Name\nW-2,Oli\n")
    rmSync(file)
    expect(readdirSync(join(dataDir, "uploads"))).toHaveLength(1)
    const report = runCli(["jobs", "report", imported.json.jobId, "--data-dir", dataDir])
    expect(report.status).toBe(0)
    expect(report.stderr).toBe("")
    const lines = report.stdout.trim().split(/\r?\n/u)
    expect(lines).toHaveLength(2)
    expect(lines[1]).toMatch(/^W-1,Ada,ada@example\.com,2,created,ct_/u)
  })

  it("keeps the embedded database's folder private, also one an older version left open", () => {
    const dataDir = join(freshDataDir(), "made", "here")
    const file = fixture("examples/01-contact-with-org.csv")
    expect(runCli(["import", file, "--data-dir", dataDir]).status).toBe(0)
    const mode = (path: string) => statSync(path).mode & 0o777
    expect(mode(dataDir)).toBe(0o700)
    expect(mode(join(dataDir, "pgdata"))).toBe(0o700)
    chmodSync(join(dataDir, "pgdata"), 0o755)
    expect(runCli(["contacts", "list", "--data-dir", dataDir]).status).toBe(0)
    expect(mode(join(dataDir, "pgdata"))).toBe(0o700)
  })

  it("reads the data folder from XCONTACTS_DATA_DIR", () => {
    const dataDir = freshDataDir()
    const file = fixture("examples/01-contact-with-org.csv")
    const result = runCliJson<JobJson>(["import", file, "--json"], { XCONTACTS_DATA_DIR: dataDir })
    expect(result.json.counters.contacts.created).toBe(1)
    const listed = runCliJson<Array<Contact>>([
      "contacts",
      "list",
      "--json",
      "--data-dir",
      dataDir
    ]).json
    expect(listed[0]?.externalIds).toEqual([{ source: "default", externalId: "P-100" }])
  })

  it("exits 2 on a usage error and names the problem", () => {
    const result = runCli(["import", fixture("examples/template.csv"), "--merge", "sometimes"])
    expect(result.status).toBe(2)
    expect(result.stderr + result.stdout).toContain("--merge")
  })

  it("fails the file, exit 4, when --map names a header it does not have; writes nothing", () => {
    const dataDir = freshDataDir()
    const file = join(freshDataDir(), "mobiles.csv")
    writeFileSync(file, "External ID,First Name,Mobile Nr\nM-1,Ada,+44 7700 900123\n")
    const result = runCliJson<JobJson>([
      "import",
      file,
      "--map",
      "Mobile No=Cell Phone",
      "--json",
      "--data-dir",
      dataDir
    ])
    expect(result.status).toBe(4)
    expect(result.json.state).toBe("failed")
    expect(
      result.json.problems.map((problem) => [problem.line, problem.column, problem.code])
    ).toEqual([
      [1, null, "MAPPED_HEADER_MISSING"],
      [1, null, "UNKNOWN_COLUMN"]
    ])
    expect(result.json.problems[0]?.message).toContain('names the header "Mobile No"')
    expect(result.json.problems[1]?.message).toContain('"Mobile Nr"')
    const text = runCli(["import", file, "--map", "Mobile No=Cell Phone", "--data-dir", dataDir])
    expect(text.status).toBe(4)
    expect(text.stdout + text.stderr).toContain("MAPPED_HEADER_MISSING")
    const contacts = runCliJson<Array<Contact>>([
      "contacts",
      "list",
      "--json",
      "--data-dir",
      dataDir
    ])
    expect(contacts.json).toEqual([])
  })

  it("refuses a bad country, an unknown --map target and an unwritable report up front", () => {
    const dataDir = freshDataDir()
    const file = fixture("examples/01-contact-with-org.csv")
    const country = runCli(["import", file, "--country", "XX", "--data-dir", dataDir])
    expect(country.status).toBe(2)
    expect(country.stderr + country.stdout).toContain('"XX" is not a country')
    const map = runCli(["import", file, "--map", "x=Not A Field", "--data-dir", dataDir])
    expect(map.status).toBe(2)
    expect(map.stderr + map.stdout).toContain('"Not A Field" is not a column')
    const report = runCli(["import", file, "--report", "/nonexistent/r.csv", "--data-dir", dataDir])
    expect(report.status).toBe(2)
    expect(report.stdout).toBe("")
    expect(report.stderr).toContain("its folder does not exist")
    const copy = join(freshDataDir(), "own-report.csv")
    copyFileSync(file, copy)
    const before = readFileSync(copy, "utf8")
    for (const target of [copy, `${dirname(copy)}/./own-report.csv`]) {
      const itself = runCli(["import", copy, "--report", target, "--data-dir", dataDir])
      expect(itself.status).toBe(2)
      expect(itself.stdout).toBe("")
      expect(itself.stderr).toContain("it is the file being imported")
    }
    expect(readFileSync(copy, "utf8")).toBe(before)
    const contacts = runCliJson<Array<Contact>>([
      "contacts",
      "list",
      "--json",
      "--data-dir",
      dataDir
    ])
    expect(contacts.json).toEqual([])
    for (const command of [
      ["contacts", "get"],
      ["organizations", "get"],
      ["organizations", "members"]
    ]) {
      const unknown = runCli([...command, "ct_missing", "--json", "--data-dir", dataDir])
      expect(unknown.status).toBe(2)
      expect(unknown.stdout).toBe("")
      expect(unknown.stderr).toContain("has the id ct_missing")
    }
  })
})

/** 150 rows whose phones are written with spaces (`PHONE_NOT_E164`), and an unknown column. */
const manyWarnings = () => {
  const rows = Array.from(
    { length: 150 },
    (_, index) => `W-${index},+44 20 7946 ${String(index).padStart(4, "0")},x`
  )
  const file = join(freshDataDir(), "many-warnings.csv")
  writeFileSync(file, `External ID,Work Phone,notes\n${rows.join("\n")}\n`)
  return file
}

/** The file's 151 problems as `line:CODE`: the header's, then one per row on lines 2 to 151. */
const allProblems = [
  "1:UNKNOWN_COLUMN",
  ...Array.from({ length: 150 }, (_, index) => `${index + 2}:PHONE_NOT_E164`)
]

type ProblemJson = { readonly line: number; readonly code: string }
const codes = (problems: ReadonlyArray<ProblemJson>) =>
  problems.map((problem) => `${problem.line}:${problem.code}`)

describe("xcontacts jobs problems", () => {
  it("pages through every problem of a job that carries only its first 100", () => {
    const dataDir = freshDataDir()
    const imported = runCliJson<JobJson>([
      "import",
      manyWarnings(),
      "--json",
      "--data-dir",
      dataDir
    ])
    expect(imported.status).toBe(0)
    expect(imported.json.problemCount).toBe(151)
    expect(codes(imported.json.problems)).toEqual(allProblems.slice(0, 100))
    const job = imported.json.jobId

    const shown = runCli(["jobs", "show", job, "--data-dir", dataDir])
    expect(shown.stdout.split("\n").filter((line) => line.startsWith("line "))).toHaveLength(100)
    expect(shown.stdout).toContain(
      `… 51 more problems after line 100 (151 in all); page through them with: ` +
        `xcontacts jobs problems ${job} --after 100`
    )

    const all = runCliJson<Array<ProblemJson>>([
      "jobs",
      "problems",
      job,
      "--json",
      "--data-dir",
      dataDir
    ])
    expect(codes(all.json)).toEqual(allProblems)
    const page = runCliJson<Array<ProblemJson>>([
      "jobs",
      "problems",
      job,
      "--after",
      "100",
      "--limit",
      "20",
      "--json",
      "--data-dir",
      dataDir
    ])
    expect(codes(page.json)).toEqual(allProblems.slice(100, 120))
    expect(page.stderr).toContain(
      `More problems follow: xcontacts jobs problems ${job} --after 120`
    )
    const text = runCli(["jobs", "problems", job, "--after", "150", "--data-dir", dataDir])
    expect(text.stdout).toBe(
      'line 151 [Work Phone]: warning PHONE_NOT_E164: "+44 20 7946 0149" was normalized to ' +
        "+442079460149.\n"
    )
    expect(runCli(["jobs", "problems", job, "--limit", "0", "--data-dir", dataDir]).status).toBe(2)
    expect(runCli(["jobs", "problems", "job_none", "--data-dir", dataDir]).status).toBe(2)
  })

  it("jobs cancel prints the preview, not every problem", () => {
    const dataDir = freshDataDir()
    const validated = runCliJson<JobJson>([
      "import",
      manyWarnings(),
      "--dry-run",
      "--json",
      "--data-dir",
      dataDir
    ])
    expect(validated.json.state).toBe("validated")
    const cancelled = runCli(["jobs", "cancel", validated.json.jobId, "--data-dir", dataDir])
    expect(cancelled.status).toBe(0)
    expect(cancelled.stdout).toContain(`job ${validated.json.jobId}: cancelled`)
    expect(cancelled.stdout.split("\n").filter((line) => line.startsWith("line "))).toHaveLength(
      100
    )
    expect(cancelled.stdout).toContain("… 51 more problems after line 100 (151 in all)")
  })
})

describe("xcontacts contacts create and organizations create", () => {
  it("refuse a blank name and values longer than the import takes, writing nothing", () => {
    const dataDir = freshDataDir()
    const blank = runCli(["organizations", "create", "--name", "   ", "--data-dir", dataDir])
    expect(blank.status).toBe(2)
    expect(blank.stderr).toContain("--name is blank")

    const longName = runCli([
      "organizations",
      "create",
      "--name",
      "n".repeat(1001),
      "--data-dir",
      dataDir
    ])
    expect(longName.status).toBe(2)
    expect(longName.stderr).toContain("--name is 1001 characters long; it takes at most 1000")

    const longEmail = runCli([
      "contacts",
      "create",
      "--first-name",
      "Ada",
      "--email",
      `${"a".repeat(250)}@example.com`,
      "--data-dir",
      dataDir
    ])
    expect(longEmail.status).toBe(2)
    expect(longEmail.stderr).toContain("--email is 262 characters long; it takes at most 256")

    const atLimit = runCliJson<Contact>([
      "contacts",
      "create",
      "--first-name",
      "f".repeat(1000),
      "--json",
      "--data-dir",
      dataDir
    ])
    expect(atLimit.status).toBe(0)
    expect(atLimit.json.firstName).toHaveLength(1000)
    const contacts = runCliJson<Array<Contact>>([
      "contacts",
      "list",
      "--json",
      "--data-dir",
      dataDir
    ])
    expect(contacts.json.map((contact) => contact.firstName?.length)).toEqual([1000])
    const organizations = runCliJson<Array<Organization>>([
      "organizations",
      "list",
      "--json",
      "--data-dir",
      dataDir
    ])
    expect(organizations.json).toEqual([])
  })

  it("refuse an External ID with a control character, which no file could match", () => {
    const dataDir = freshDataDir()
    const created = runCliJson<Organization>([
      "organizations",
      "create",
      "--name",
      "Tabs Ltd",
      "--json",
      "--data-dir",
      dataDir
    ])
    const add = (key: string) =>
      runCli(["organizations", "add-external-id", created.json.id, key, "--data-dir", dataDir])
    const refused = add("ORG\t10")
    expect(refused.status).toBe(2)
    expect(refused.stderr).toContain("this one has U+0009 at position 4")
    const badSource = runCli([
      "organizations",
      "add-external-id",
      created.json.id,
      "ORG-11",
      "--source",
      "c\trm",
      "--data-dir",
      dataDir
    ])
    expect(badSource.status).toBe(2)
    expect(badSource.stderr).toContain("--source: a name holds no control characters")
    expect(add(" ORG-10 ").status).toBe(0)
    const found = runCliJson<Organization>([
      "organizations",
      "get",
      created.json.id,
      "--json",
      "--data-dir",
      dataDir
    ])
    expect(found.json).toMatchObject({ externalIds: [{ source: "default", externalId: "ORG-10" }] })
  })
})
