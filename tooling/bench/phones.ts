/**
 * What reading the benchmark's phones costs, alone: `normalizePhone` (libphonenumber's parse and
 * validity check, and ours around it) over the phones of N rows of the benchmark's file, each row
 * as `BenchCsv.ts` writes it (a work phone, and a mobile on every third row). Prints the CPU time
 * per row and the most rows per second that this part of one pass alone allows on every core of
 * this machine, against which the rate target of issue #8 can be read (docs/performance.md).
 *
 *   npm run bench:phones -- [ROWS]
 */
import { availableParallelism } from "node:os"
import { normalizePhone, parsePhoneCountry } from "@xcontacts/domain"
import { phoneOf } from "./BenchCsv.ts"

const rows = Number(process.argv[2] ?? 200_000)
const country = parsePhoneCountry("US")!
const phones: Array<string> = []
for (let person = 0; person < rows; person++) {
  phones.push(phoneOf(person, person).written)
  if (person % 3 === 0) phones.push(phoneOf(person + 5_000_000, person + 1).written)
}
const cores = availableParallelism()
// The first round warms the JIT up; the last is the figure.
for (const round of ["warm-up", "measured"]) {
  const started = process.cpuUsage()
  let valid = 0
  for (const phone of phones) if (normalizePhone(phone, country).phone?.e164) valid++
  const used = process.cpuUsage(started)
  const perRow = (used.user + used.system) / rows
  process.stdout.write(
    `${round}: ${rows} rows, ${phones.length} phones (${valid} valid): ` +
      `${perRow.toFixed(1)} µs of CPU per row; one pass of phone reading alone allows at most ` +
      `${Math.round((cores * 1_000_000) / perRow).toLocaleString("en")} rows/s on ${cores} cores\n`
  )
}
