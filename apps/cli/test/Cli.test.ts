import type { Contact, ImportJob, Organization } from "@xcontacts/domain"

type JobJson = Pick<ImportJob, "state" | "counters" | "problems">

import { describe, expect, it } from "vitest"
import { fixture, freshDataDir, runCli, runCliJson } from "./RunCli.ts"

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
    const contacts = runCliJson<Array<Contact>>([
      "contacts",
      "list",
      "--json",
      "--data-dir",
      dataDir
    ])
    expect(contacts.json).toEqual([])
  })
})
