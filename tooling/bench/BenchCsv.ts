/**
 * The benchmark's file: a realistic import of N rows, deterministic (a fixed seed), streamed to
 * disk. Besides the CSV it writes the legacy contacts to seed before the import (contacts
 * without an External ID whose email or phone one of the file's rows carries), as a CSV that
 * `COPY contacts (…) FROM` reads.
 *
 * Per 100 rows: 10 repeat an External ID of an earlier row, 5 match a seeded legacy contact, 1 is
 * bad (an invalid email or employee count, or contact data without an External ID). Every row
 * names one of 20,000 organizations; each has one or two phones in mixed formats (E.164,
 * national, `00` prefix, with an extension) and one or two emails.
 */
import { once } from "node:events"
import { createWriteStream, type WriteStream } from "node:fs"

/** The file's columns, as a CRM export would head them. */
export const benchHeader = [
  "External ID",
  "First Name",
  "Last Name",
  "Title",
  "Work Email",
  "Personal Email",
  "Work Phone",
  "Mobile",
  "Organization External ID",
  "Organization Name",
  "Industry",
  "Employee Count",
  "City",
  "Country"
] as const

/** The columns of `contacts` the legacy seed file fills, in its order. */
export const legacyColumns =
  "id, division, first_name, last_name, work_email, work_phone, email_keys, phone_keys, " +
  "created_at, updated_at"

/** A plain table with one text column per CSV column: what a bare COPY loads. */
export const copyTable = `create table bench_copy (${benchHeader
  .map((_, index) => `c${index} text`)
  .join(", ")})`

export interface BenchFiles {
  readonly rows: number
  readonly legacyContacts: number
  readonly bytes: number
}

const organizationCount = 20_000
const firstNames = ["Alma", "José", "Zoë", "Łukasz", "Mira", "Kai", "Ivy", "Farid", "Chloé", "Jon"]
const lastNames = ["Reyes", "Núñez", "Åström", "Wróbel", "Okafor", "Müller", "O'Brien", "Patel"]
const titles = ["Head of Repairs", "Buyer", "CFO", "Account Manager", "", "Engineer, Field"]
const industries = ["Retail", "Logistics", "Software", "Healthcare", ""]
const cities = ["Berlin", "Leeds", "Austin", "Lyon", "Kraków"]

const quote = (value: string): string =>
  /[",\r\n]/u.test(value) ? `"${value.replaceAll('"', '""')}"` : value

const ascii = (value: string): string =>
  value
    .normalize("NFD")
    .replace(/[^\x20-\x7e]/gu, "")
    .replace(/'/gu, "")

const pad = (value: number, length: number): string => String(value).padStart(length, "0")

/** Seven distinct digits per row, so that phones match only where the benchmark means them to. */
const subscriber = (index: number): string => pad(index % 10_000_000, 7)

/** One valid number of the row, written in one of six ways; `e164` is what it normalizes to. */
export const phoneOf = (index: number, variant: number): { written: string; e164: string } => {
  const digits = subscriber(index)
  // An exchange starts with 2–9: the leading 0 and 1 move to other area codes instead.
  const lead = digits[0]!
  const area = lead === "0" ? "646" : lead === "1" ? "917" : "212"
  const exchange = `${lead < "2" ? "8" : lead}${digits.slice(1, 3)}`
  const line = digits.slice(3)
  const us = `+1${area}${exchange}${line}`
  switch (variant % 6) {
    case 0:
      return { written: us, e164: us }
    case 1:
      return { written: `(${area}) ${exchange}-${line}`, e164: us }
    case 2:
      return { written: `${area}.${exchange}.${line}`, e164: us }
    case 3:
      return { written: `+1 ${area}-${exchange}-${line} x${pad(index % 1000, 3)}`, e164: us }
    case 4:
      return {
        written: `+44 20 7${digits.slice(0, 3)} ${digits.slice(3)}`,
        e164: `+44207${digits}`
      }
    default:
      return { written: `0049 30 ${exchange}${line}0`, e164: `+4930${exchange}${line}0` }
  }
}

/** The row that an External ID repeats: one a few hundred lines back. */
const repeatedIndex = (index: number): number => Math.max(0, index - 1 - ((index * 7919) % 900))

const organizationOf = (index: number): number => (index * 2_654_435_761) % organizationCount

const write = async (out: WriteStream, text: string): Promise<void> => {
  if (!out.write(text)) await once(out, "drain")
}

/**
 * Writes `rows` data rows to `csvPath` and the legacy contacts they match to `legacyPath`.
 * Repeats and bad rows never match a legacy contact, so the seeded count is exact.
 */
export const writeBenchFiles = async (
  rows: number,
  csvPath: string,
  legacyPath: string
): Promise<BenchFiles> => {
  const csv = createWriteStream(csvPath)
  const legacy = createWriteStream(legacyPath)
  let bytes = 0
  let legacyContacts = 0
  let csvBatch = `${benchHeader.join(",")}\r\n`
  let legacyBatch = ""
  for (let index = 0; index < rows; index++) {
    const kind = index % 100
    const repeat = kind % 10 === 9 && index > 0
    const person = repeat ? repeatedIndex(index) : index
    const first = firstNames[person % firstNames.length]!
    const last = lastNames[(person >> 3) % lastNames.length]!
    const workEmail = ascii(`${first}.${last}.${person}@example.com`.toLowerCase())
    const personalEmail = person % 2 === 0 ? `p${person}@mail.example.net` : ""
    const work = phoneOf(person, person)
    const mobile = person % 3 === 0 ? phoneOf(person + 5_000_000, person + 1) : null
    const organization = organizationOf(person)
    let externalId = `C-${pad(person, 8)}`
    let email = workEmail
    let employees = String((organization * 37) % 5000)
    if (kind === 50) {
      const bad = Math.floor(index / 100) % 3
      if (bad === 0) email = `${first}.${last}.${person}.example.com`
      else if (bad === 1) employees = "12 people"
      else externalId = ""
    }
    const title = repeat ? "Director" : titles[person % titles.length]!
    const cells = [
      externalId,
      first,
      last,
      title,
      email,
      personalEmail,
      work.written,
      mobile?.written ?? "",
      `ORG-${pad(organization, 5)}`,
      `Company ${organization}, Ltd`,
      industries[organization % industries.length]!,
      employees,
      cities[person % cities.length]!,
      "US"
    ]
    csvBatch += `${cells.map(quote).join(",")}\r\n`

    if (kind % 20 === 3) {
      legacyContacts++
      const byEmail = index % 40 === 3
      const legacyRow = [
        `ct_legacy_${index}`,
        "unassigned",
        first,
        last,
        byEmail ? workEmail.toUpperCase() : "",
        byEmail ? "" : phoneJson(work.e164),
        byEmail ? `{${workEmail}}` : "{}",
        byEmail ? "{}" : `{${work.e164}}`,
        "2020-01-01T00:00:00Z",
        "2020-01-01T00:00:00Z"
      ]
      legacyBatch += `${legacyRow.map(quote).join(",")}\n`
    }
    if (csvBatch.length > 1 << 16) {
      bytes += Buffer.byteLength(csvBatch)
      await write(csv, csvBatch)
      csvBatch = ""
    }
    if (legacyBatch.length > 1 << 16) {
      await write(legacy, legacyBatch)
      legacyBatch = ""
    }
  }
  bytes += Buffer.byteLength(csvBatch)
  csv.end(csvBatch)
  legacy.end(legacyBatch)
  await Promise.all([once(csv, "finish"), once(legacy, "finish")])
  return { rows, legacyContacts, bytes }
}

const phoneJson = (e164: string): string =>
  JSON.stringify({ raw: e164, e164, display: e164, country: null, extension: null })
