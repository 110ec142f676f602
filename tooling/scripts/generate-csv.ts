/**
 * Writes a realistic contacts CSV of N rows for load tests: quoted names with commas, line
 * breaks inside quotes, national and international phones with extensions, blank rows and a few
 * bad values. Deterministic (a fixed seed), streamed to disk with back-pressure.
 *
 *   npm run generate:csv -- 1000000 /tmp/contacts-1m.csv
 */

import { once } from "node:events"
import { createWriteStream } from "node:fs"

const [countArgument, output] = process.argv.slice(2)
const count = Number(countArgument)
if (!Number.isSafeInteger(count) || count < 1 || output === undefined) {
  process.stderr.write("usage: generate-csv ROWS OUTPUT.csv\n")
  process.exit(2)
}

let seed = 20_240_601
const random = (): number => {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648
  return seed / 2_147_483_648
}
const pick = <A>(values: ReadonlyArray<A>): A => values[Math.floor(random() * values.length)]!
const digits = (length: number): string =>
  Array.from({ length }, () => Math.floor(random() * 10)).join("")

const firstNames = ["Alma", "José", "Zoë", "Łukasz", "Mira", "Kai", "Ivy", "Farid", "Chloé", "Jon"]
const lastNames = ["Reyes", "Núñez", "Åström", "Wróbel", "Okafor", "Müller", "O'Brien", "Patel"]
const companies = [
  "Harbour Lights Ltd",
  '"Meier, Schulz & Partner"',
  "Paper Street Supplies",
  "Bluefin Inc",
  '"Dubois, Martin et Fils"',
  "Ito KK",
  ""
]
const phone = (): string => {
  switch (Math.floor(random() * 6)) {
    case 0:
      return `(202) 555-${digits(4)}`
    case 1:
      return `+44 20 7946 ${digits(4)}`
    case 2:
      return `+1 202-555-${digits(4)} x${digits(3)}`
    case 3:
      return `+49 30 ${digits(8)}`
    case 4:
      return "n/a"
    default:
      return `202.555.${digits(4)}`
  }
}

const header =
  "External ID,First Name,Last Name,Email,Phone,Mobile,Company,Industry,Employee Count," +
  "Tags,Survey Opt Out,City,Notes\r\n"

const row = (index: number): string => {
  if (index % 5000 === 4999) return ",,,,,,,,,,,,\r\n"
  const first = pick(firstNames)
  const last = pick(lastNames)
  const email =
    index % 1000 === 7 ? "not-an-email" : `${first}.${last}.${index}@example.com`.toLowerCase()
  const company = pick(companies)
  const notes = index % 97 === 0 ? '"Call after 5pm\r\nPrefers ""SMS"""' : ""
  return (
    `C-${index},${first},${last},${email},${phone()},${phone()},${company},` +
    `${company === "" ? "" : pick(["Retail", "Logistics"])},${Math.floor(random() * 5000)},` +
    `vip;${pick(["eu", "us", "apac"])},${pick(["yes", "no", ""])},${pick(["Berlin", "Leeds"])},` +
    `${notes}\r\n`
  )
}

const out = createWriteStream(output)
if (!out.write(header)) await once(out, "drain")
let batch = ""
for (let index = 0; index < count; index++) {
  batch += row(index)
  if (batch.length > 1 << 16) {
    if (!out.write(batch)) await once(out, "drain")
    batch = ""
  }
}
out.end(batch)
await once(out, "finish")
process.stderr.write(`wrote ${count} rows to ${output}\n`)
