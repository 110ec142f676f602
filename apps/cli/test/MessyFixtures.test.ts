import { execFile } from "node:child_process"
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"
import { afterAll, assert, beforeAll, describe, it } from "@effect/vitest"

const run = promisify(execFile)
const bin = fileURLToPath(new URL("../src/bin.ts", import.meta.url))
const messy = fileURLToPath(new URL("../../../../shared/fixtures/messy/", import.meta.url))

interface Problem {
  readonly line: number
  readonly column: string | null
  readonly code: string
  readonly severity: string
  readonly message: string
}

interface Summary {
  readonly state: string
  readonly counters: {
    readonly rowsTotal: number
    readonly rowsImported: number
    readonly rowsFailed: number
    readonly rowsBlank: number
    readonly contacts: Record<string, number>
    readonly organizations: Record<string, number>
  }
  readonly problems: ReadonlyArray<Problem>
}

interface Phone {
  readonly raw: string
  readonly e164: string | null
  readonly extension: string | null
}

interface Contact {
  readonly externalIds: ReadonlyArray<{ readonly externalId: string }>
  readonly firstName: string | null
  readonly lastName: string | null
  readonly workEmail: string | null
  readonly workPhone: Phone | null
  readonly organizationId: string | null
}

interface Organization {
  readonly id: string
  readonly name: string | null
}

const dataDirs: Array<string> = []
// A new data folder runs initdb and the migrations, which costs seconds; every scenario starts
// from a copy of one store set up once, which is the same empty store.
const template = mkdtempSync(join(tmpdir(), "xcontacts-messy-template-"))
dataDirs.push(template)
afterAll(() => {
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true })
})

/** Runs the real `xcontacts` bin; a non-zero exit code is part of the answer, not a failure. */
const xcontacts = async (args: ReadonlyArray<string>): Promise<string> => {
  try {
    return (await run(process.execPath, [bin, ...args], { maxBuffer: 64 * 1024 * 1024 })).stdout
  } catch (error) {
    const stdout = (error as { stdout?: string }).stdout
    if (stdout) return stdout
    throw error
  }
}

/** A store of its own for one scenario, and the commands a user would type against it. */
const store = () => {
  const dataDir = mkdtempSync(join(tmpdir(), "xcontacts-messy-"))
  dataDirs.push(dataDir)
  cpSync(template, dataDir, { recursive: true })
  return {
    dataDir,
    importFile: async (file: string, ...options: ReadonlyArray<string>): Promise<Summary> =>
      JSON.parse(
        await xcontacts([
          "import",
          join(messy, file),
          "--json",
          "--org-key",
          "name",
          "--data-dir",
          dataDir,
          ...options
        ])
      ),
    contacts: async (): Promise<Map<string, Contact>> => {
      const list: Array<Contact> = JSON.parse(
        await xcontacts(["contacts", "list", "--json", "--data-dir", dataDir])
      )
      return new Map(list.map((contact) => [contact.externalIds[0]!.externalId, contact]))
    },
    organizations: async (): Promise<Array<Organization>> =>
      JSON.parse(await xcontacts(["organizations", "list", "--json", "--data-dir", dataDir]))
  }
}

const created = (summary: Summary) => summary.counters.contacts["created"]
const codesAt = (summary: Summary, code: string) =>
  summary.problems.filter((problem) => problem.code === code).map((problem) => problem.line)
const errors = (summary: Summary) =>
  summary.problems.filter((problem) => problem.severity === "error")
const e164Of = (contacts: Map<string, Contact>, id: string) => contacts.get(id)?.workPhone?.e164

beforeAll(async () => {
  await xcontacts(["contacts", "list", "--json", "--data-dir", template])
})

describe.concurrent("importing the messy fixtures through the CLI", { timeout: 300_000 }, () => {
  it("01: a UTF-8 BOM never reaches a header, and a second import changes nothing", async () => {
    const at = store()
    const first = await at.importFile("01-utf8-bom-header.csv")
    assert.strictEqual(first.state, "completed")
    assert.strictEqual(created(first), 2)
    assert.strictEqual(first.counters.organizations["created"], 2)
    assert.deepStrictEqual(codesAt(first, "PHONE_NOT_E164"), [2, 3])
    assert.deepStrictEqual(codesAt(first, "UNKNOWN_COLUMN"), [])
    const second = await at.importFile("01-utf8-bom-header.csv")
    assert.strictEqual(second.counters.contacts["unchanged"], 2)
    assert.strictEqual(created(second), 0)
    const contacts = await at.contacts()
    assert.strictEqual(contacts.size, 2)
    assert.strictEqual(e164Of(contacts, "C-0101"), "+12025550101")
    assert.strictEqual(e164Of(contacts, "C-0102"), "+12025550102")
    assert.strictEqual((await at.organizations()).length, 2)
  })

  it("03: reads UTF-16 LE with tabs and stores the accents, never a NUL", async () => {
    const at = store()
    const summary = await at.importFile("03-utf16le-excel-unicode-text.csv")
    assert.strictEqual(created(summary), 3)
    const contacts = await at.contacts()
    const names = [...contacts.values()].map((c) => `${c.firstName} ${c.lastName}`).sort()
    assert.deepStrictEqual(names, ["José Núñez", "Zoë Åström", "Łukasz Wróbel"])
    assert.deepStrictEqual(
      [...contacts.values()].map((contact) => contact.workPhone?.e164).sort(),
      ["+12025550105", "+442079460019", "+48221234567"]
    )
    const organizations = await at.organizations()
    assert.deepStrictEqual(organizations.map((organization) => organization.name).sort(), [
      "Núñez & Hijos",
      "Wróbel Sp. z o.o.",
      "Åström Design AB"
    ])
    assert.notInclude(JSON.stringify([...contacts.values(), ...organizations]), "\\u0000")
  })

  it("04: rejects Windows-1252 bytes read as UTF-8 on line 2 and suggests the encoding", async () => {
    const at = store()
    // The report, asked for on the same command, ends where the reading did: a header only.
    const report = join(at.dataDir, "report.csv")
    const summary = await at.importFile("04-windows-1252-accents.csv", "--report", report)
    assert.strictEqual(summary.state, "failed")
    assert.strictEqual(
      readFileSync(report, "utf8"),
      "external_id,first_name,last_name,email,phone,organization," +
        "line,outcome,contact_id,organization_id,messages\r\n"
    )
    assert.deepStrictEqual(
      summary.problems.map((problem) => [problem.code, problem.line]),
      [["ENCODING_INVALID", 2]]
    )
    assert.include(summary.problems[0]!.message, "--encoding windows-1252")
    assert.strictEqual((await at.contacts()).size, 0)
    assert.strictEqual((await at.organizations()).length, 0)
  })

  it("04: reads Windows-1252 when asked, curly quotes included", async () => {
    const at = store()
    const summary = await at.importFile("04-windows-1252-accents.csv", "--encoding", "windows-1252")
    assert.strictEqual(created(summary), 3)
    const contacts = await at.contacts()
    assert.strictEqual(contacts.get("C-0401")?.firstName, "José")
    assert.strictEqual(contacts.get("C-0401")?.lastName, "Müller")
    assert.strictEqual(e164Of(contacts, "C-0401"), "+493012345678")
    assert.strictEqual(contacts.get("C-0402")?.firstName, "Chloé")
    assert.strictEqual(contacts.get("C-0402")?.lastName, "Lefèvre")
    assert.strictEqual(e164Of(contacts, "C-0402"), "+33199001234")
    assert.strictEqual(contacts.get("C-0403")?.firstName, "Zoë")
    assert.strictEqual(contacts.get("C-0403")?.lastName, "O\u2019Brien")
    assert.strictEqual(e164Of(contacts, "C-0403"), "+12025550106")
    const names = (await at.organizations()).map((organization) => organization.name)
    assert.include(names, "\u201cQuoted\u201d Ventures")
  })

  it("05: detects semicolons and keeps the commas inside organization names", async () => {
    const at = store()
    const summary = await at.importFile("05-semicolon-excel-eu.csv", "--country", "DE")
    assert.strictEqual(created(summary), 3)
    const contacts = await at.contacts()
    assert.strictEqual(e164Of(contacts, "C-0501"), "+493012345678")
    assert.strictEqual(e164Of(contacts, "C-0502"), "+33199001235")
    assert.strictEqual(e164Of(contacts, "C-0503"), "+4915123456789")
    const names = (await at.organizations()).map((organization) => organization.name)
    assert.include(names, "Meier, Schulz & Partner")
    assert.include(names, "Dubois, Martin et Fils")
  })

  it("08: rejects a quoted field that opens on line 2 and never closes", async () => {
    const at = store()
    const summary = await at.importFile("08-unclosed-quote-swallows-rows.csv")
    assert.strictEqual(summary.state, "failed")
    assert.deepStrictEqual(
      summary.problems.map((problem) => [problem.code, problem.line]),
      [["QUOTE_NOT_CLOSED", 2]]
    )
    assert.strictEqual((await at.contacts()).size, 0)
    assert.strictEqual((await at.organizations()).length, 0)
  })

  it("09: counts a line break inside quotes, so the bad email is reported on line 4", async () => {
    const at = store()
    const summary = await at.importFile("09-embedded-newlines-crlf.csv")
    assert.strictEqual(created(summary), 2)
    assert.strictEqual(summary.counters.rowsFailed, 1)
    assert.deepStrictEqual(
      errors(summary).map((problem) => [problem.code, problem.line]),
      [["EMAIL_INVALID", 4]]
    )
    assert.deepStrictEqual(codesAt(summary, "UNKNOWN_COLUMN"), [1])
    const contacts = await at.contacts()
    assert.deepStrictEqual([...contacts.keys()].sort(), ["C-0901", "C-0903"])
  })

  it("12: ignores the empty trailing header and fails only the shifted row", async () => {
    const at = store()
    const summary = await at.importFile("12-ragged-rows-trailing-delimiter.csv")
    assert.strictEqual(created(summary), 3)
    assert.strictEqual(summary.counters.rowsFailed, 1)
    assert.deepStrictEqual(codesAt(summary, "ROW_SHORT"), [3])
    assert.deepStrictEqual(
      errors(summary).map((problem) => [problem.code, problem.line]),
      [["COLUMN_COUNT_MISMATCH", 5]]
    )
    const contacts = await at.contacts()
    assert.strictEqual(e164Of(contacts, "C-1201"), "+12025550125")
    assert.strictEqual(contacts.get("C-1202")?.workPhone, null)
    assert.strictEqual(contacts.get("C-1202")?.organizationId, null)
    assert.isTrue(contacts.has("C-1203"))
    assert.isFalse(contacts.has("C-1204"))
    assert.isFalse([...contacts.values()].some((contact) => contact.workEmail === "16"))
  })

  it("13: skips and counts blank and comma-only rows without errors", async () => {
    const at = store()
    const summary = await at.importFile("13-blank-and-comma-only-rows.csv")
    assert.strictEqual(created(summary), 2)
    assert.strictEqual(summary.counters.rowsBlank, 6)
    assert.strictEqual(summary.counters.rowsFailed, 0)
    assert.deepStrictEqual(errors(summary), [])
    assert.deepStrictEqual([...(await at.contacts()).keys()].sort(), ["C-1301", "C-1302"])
  })

  it("16: keeps phones in scientific notation as written and never guesses", async () => {
    const at = store()
    const summary = await at.importFile(
      "16-excel-scientific-notation-phones.csv",
      "--country",
      "GB"
    )
    assert.strictEqual(created(summary), 4)
    assert.deepStrictEqual(codesAt(summary, "PHONE_SCIENTIFIC_NOTATION"), [2, 3, 5])
    const contacts = await at.contacts()
    assert.strictEqual(e164Of(contacts, "C-1603"), "+447400123458")
    for (const id of ["C-1601", "C-1602", "C-1604"]) assert.isNull(e164Of(contacts, id))
    assert.strictEqual(contacts.get("C-1601")?.workPhone?.raw, "4.47401E+11")
    const everything = JSON.stringify([...contacts.values(), ...(await at.organizations())])
    for (const guess of ["+447401000000", "+447400000000", "+12025600000"]) {
      assert.notInclude(everything, guess)
    }
  })

  it("18: reads national numbers in the default country and trusts only valid ones", async () => {
    const at = store()
    const summary = await at.importFile("18-phone-no-country-code-default.csv")
    assert.strictEqual(created(summary), 6)
    assert.deepStrictEqual(codesAt(summary, "PHONE_INVALID"), [4, 6, 7])
    const contacts = await at.contacts()
    assert.strictEqual(e164Of(contacts, "C-1801"), "+12025550135")
    assert.strictEqual(e164Of(contacts, "C-1802"), "+15145550199")
    assert.strictEqual(e164Of(contacts, "C-1804"), "+442079460022")
    for (const id of ["C-1803", "C-1805", "C-1806"]) assert.isNull(e164Of(contacts, id))
    const everything = JSON.stringify([...contacts.values()])
    assert.notInclude(everything, "+102079460021")
    assert.notInclude(everything, "+1442079460023")
  })

  it("20: splits off extensions in every written form", async () => {
    const at = store()
    const summary = await at.importFile("20-phone-extensions.csv")
    assert.strictEqual(created(summary), 6)
    const contacts = await at.contacts()
    const phones = [...contacts.entries()]
      .map(([id, contact]) => [id, contact.workPhone?.e164, contact.workPhone?.extension])
      .sort()
    assert.deepStrictEqual(phones, [
      ["C-2001", "+12025550138", "123"],
      ["C-2002", "+12025550139", "5"],
      ["C-2003", "+12025550140", "7"],
      ["C-2004", "+442079460026", "22"],
      ["C-2005", "+12025550141", "4411"],
      ["C-2006", "+12025550142", "9"]
    ])
  })

  it("25: applies a repeated External ID in file order and names the first line", async () => {
    const at = store()
    const summary = await at.importFile("25-duplicate-external-id-in-file.csv")
    assert.strictEqual(summary.counters.rowsImported, 3)
    assert.strictEqual(created(summary), 2)
    assert.strictEqual(summary.counters.contacts["updated"], 1)
    const duplicate = summary.problems.filter((p) => p.code === "DUPLICATE_EXTERNAL_ID_IN_FILE")
    assert.deepStrictEqual(
      duplicate.map((problem) => problem.line),
      [4]
    )
    assert.include(duplicate[0]!.message, "line 2")
    const contacts = await at.contacts()
    assert.strictEqual(contacts.size, 2)
    const ivy = contacts.get("C-2501")
    assert.strictEqual(`${ivy?.firstName} ${ivy?.lastName}`, "Ivy Nguyen-Hale")
    assert.strictEqual(ivy?.workEmail, "ivy.hale@example.com")
    assert.strictEqual(ivy?.workPhone?.e164, "+12025550150")
  })

  it("26: a re-import changes nothing, and a changed phone updates one contact", async () => {
    const at = store()
    const first = await at.importFile("26-reimport-idempotency.csv")
    assert.strictEqual(created(first), 3)
    assert.strictEqual(first.counters.organizations["created"], 3)
    const contacts = await at.contacts()
    assert.strictEqual(e164Of(contacts, "C-2601"), "+493012345680")
    assert.strictEqual(e164Of(contacts, "C-2602"), "+12025550151")
    assert.strictEqual(e164Of(contacts, "C-2603"), "+81312345678")
    const second = await at.importFile("26-reimport-idempotency.csv")
    assert.strictEqual(second.counters.contacts["unchanged"], 3)
    const third = await at.importFile("26b-reimport-one-change.csv")
    assert.strictEqual(third.counters.contacts["updated"], 1)
    assert.strictEqual(third.counters.contacts["unchanged"], 2)
    const after = await at.contacts()
    assert.strictEqual(after.size, 3)
    assert.strictEqual(e164Of(after, "C-2602"), "+12025550152")
    assert.strictEqual((await at.organizations()).length, 3)
  })

  it("29: stores formula-like cells verbatim and fails only the bad email", async () => {
    const at = store()
    const summary = await at.importFile("29-formula-injection-cells.csv")
    assert.strictEqual(created(summary), 3)
    assert.strictEqual(summary.counters.rowsFailed, 1)
    assert.deepStrictEqual(
      errors(summary).map((problem) => [problem.code, problem.line]),
      [["EMAIL_INVALID", 2]]
    )
    assert.deepStrictEqual(codesAt(summary, "PHONE_INVALID"), [4])
    const contacts = await at.contacts()
    assert.isFalse(contacts.has("C-2901"))
    assert.strictEqual(contacts.get("C-2902")?.firstName, "@SUM(1+1)")
    const organizations = await at.organizations()
    const linked = organizations.find((o) => o.id === contacts.get("C-2902")?.organizationId)
    assert.strictEqual(linked?.name, "=1+2")
  })
})
