import type { Contact, ImportJob, ImportProfile } from "@xcontacts/domain"
import { describe, expect, it } from "vitest"
import { fixture, freshDataDir, runCli, runCliJson } from "./RunCli.ts"

type JobJson = Pick<ImportJob, "state" | "counters"> & { readonly jobId: string }

describe("import profiles", () => {
  it("saves settings that an import uses, with flags overriding them", () => {
    const dataDir = freshDataDir()
    const created = runCliJson<ImportProfile>([
      "profiles",
      "create",
      "weekly-crm",
      "--source",
      "crm",
      "--country",
      "gb",
      "--json",
      "--data-dir",
      dataDir
    ])
    expect(created.status).toBe(0)
    expect(created.json.settings).toEqual({ source: "crm", country: "GB" })

    const again = runCli(["profiles", "create", "weekly-crm", "--data-dir", dataDir])
    expect(again.status).toBe(2)
    expect(again.stderr).toContain("--replace")

    const job = runCliJson<JobJson>([
      "import",
      fixture("examples/02-three-contacts-one-org.csv"),
      "--profile",
      " weekly-crm ",
      "--division",
      "emea",
      "--json",
      "--data-dir",
      dataDir
    ]).json
    expect(job.counters.contacts.created).toBe(3)

    const contacts = runCliJson<Array<Contact>>([
      "contacts",
      "list",
      "--json",
      "--data-dir",
      dataDir
    ])
    expect(contacts.json.map((contact) => contact.division)).toEqual(["emea", "emea", "emea"])
    expect(contacts.json[0]?.externalIds[0]?.source).toBe("crm")

    const shown = runCliJson<JobJson>(["jobs", "show", job.jobId, "--json", "--data-dir", dataDir])
    expect(shown.json.state).toBe("completed")
    expect(shown.json.counters).toEqual(job.counters)

    // Names are looked up as they are saved: trimmed.
    const deleted = runCli(["profiles", "delete", " weekly-crm ", "--data-dir", dataDir])
    expect(deleted.status).toBe(0)
    expect(deleted.stdout).toBe("deleted import profile weekly-crm\n")
    const listed = runCliJson<Array<ImportProfile>>([
      "profiles",
      "list",
      "--json",
      "--data-dir",
      dataDir
    ])
    expect(listed.json).toEqual([])
  })

  it("refuses an import with a profile that does not exist, writing nothing", () => {
    const dataDir = freshDataDir()
    const result = runCli([
      "import",
      fixture("examples/01-contact-with-org.csv"),
      "--profile",
      "missing",
      "--data-dir",
      dataDir
    ])
    expect(result.status).toBe(2)
    expect(result.stderr).toContain('no import profile "missing"')
    const contacts = runCliJson<Array<Contact>>([
      "contacts",
      "list",
      "--json",
      "--data-dir",
      dataDir
    ])
    expect(contacts.json).toEqual([])
  })

  it("refuses blank names and settings a profile could not use, with a usage error", () => {
    const dataDir = freshDataDir()
    const file = fixture("examples/01-contact-with-org.csv")
    for (const [args, message] of [
      [["profiles", "create", "emptyp", "--source", " "], "--source: a name must not be blank"],
      [["profiles", "create", "a/b"], "a profile name is letters, digits"],
      [["profiles", "create", "small", "--max-file-mb", "0"], "--max-file-mb: the largest file"],
      [["import", file, "--division", ""], "--division: a name must not be blank"],
      [["keys", "create", "--division", "  "], "--division: a name must not be blank"]
    ] as const) {
      const result = runCli([...args, "--data-dir", dataDir])
      expect(result.status, args.join(" ")).toBe(2)
      expect(result.stderr).toContain(message)
    }
    const listed = runCliJson<Array<ImportProfile>>([
      "profiles",
      "list",
      "--json",
      "--data-dir",
      dataDir
    ])
    expect(listed.json).toEqual([])
  })
})
