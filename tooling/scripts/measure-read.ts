/**
 * Reads and validates a CSV file the way an import's validation does up to the planner (reader,
 * header map, row checker), writes nothing, and prints rows per second and peak RSS.
 *
 *   npm run measure:read -- /tmp/contacts-1m.csv [--country US]
 */
import { createReadStream } from "node:fs"
import { checkRow, defaultImportSettings, mapHeader, readCsvRecords } from "@xcontacts/domain"

const [file, ...rest] = process.argv.slice(2)
if (file === undefined) {
  process.stderr.write("usage: measure-read FILE.csv\n")
  process.exit(2)
}
const settings = {
  ...defaultImportSettings,
  organizationKey: "name" as const,
  country: rest[0] === "--country" ? (rest[1] ?? "US") : "US"
}

let peakRss = process.memoryUsage.rss()
const sample = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss())
}, 50)

const started = performance.now()
const tally = { rows: 0, checked: 0, rejected: 0, blank: 0, problems: 0 }
let header: ReturnType<typeof mapHeader> | null = null
for await (const record of readCsvRecords(createReadStream(file, { highWaterMark: 1 << 16 }), {
  encoding: settings.encoding,
  delimiter: settings.delimiter
})) {
  if (header === null) {
    header = mapHeader(record.cells, record.line, settings)
    continue
  }
  const row = checkRow(record, header, settings)
  tally.rows++
  if (row._tag === "Blank") tally.blank++
  else {
    if (row._tag === "Checked") tally.checked++
    else tally.rejected++
    tally.problems += row.problems.length
  }
  if ((tally.rows & 0xffff) === 0) peakRss = Math.max(peakRss, process.memoryUsage.rss())
}
const seconds = (performance.now() - started) / 1000
clearInterval(sample)
peakRss = Math.max(peakRss, process.memoryUsage.rss())

process.stdout.write(
  `${JSON.stringify({
    file,
    ...tally,
    seconds: Number(seconds.toFixed(2)),
    rowsPerSecond: Math.round(tally.rows / seconds),
    peakRssMb: Number((peakRss / 1024 / 1024).toFixed(1))
  })}\n`
)
