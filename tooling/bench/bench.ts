/**
 * The import benchmark: generates a realistic file, seeds the legacy contacts it matches, imports
 * it end to end through `importFile` with the real store layers (validation pass, then apply
 * pass), and in the same run loads the same file with a bare COPY into a plain table, so that our
 * rate reads as a fraction of what the database itself can take in.
 *
 *   npm run bench -- [--rows 1000000] [--store pglite|postgres|both] [--out FILE.json]
 *                    [--url postgres://postgres@127.0.0.1:5432/postgres] [--node-flag FLAG ...]
 *                    [--chunk-size N]
 *
 * The figures go to FILE.json (default `tmp/bench-ROWS.json` in the repository).
 * Each measured step runs in a process of its own (`child.ts`), so peak RSS is the import's own.
 * PostgreSQL databases are created as `xc_bench_<pid>` and dropped afterwards.
 */
import { spawnSync } from "node:child_process"
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { loadavg } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { copyTable, writeBenchFiles } from "./BenchCsv.ts"

const options = {
  rows: 1_000_000,
  store: "both",
  out: "",
  url: "",
  nodeFlags: [] as string[],
  chunkSize: 0
}
const args = process.argv.slice(2)
for (let index = 0; index < args.length; index += 2) {
  const [flag, value] = [args[index], args[index + 1] ?? ""]
  if (flag === "--rows") options.rows = Number(value.replaceAll("_", ""))
  else if (flag === "--store") options.store = value
  else if (flag === "--out") options.out = value
  else if (flag === "--url") options.url = value
  else if (flag === "--node-flag") options.nodeFlags.push(value)
  else if (flag === "--chunk-size") options.chunkSize = Number(value)
  else {
    process.stderr.write(`unknown flag ${flag}\n`)
    process.exit(2)
  }
}
if (!Number.isSafeInteger(options.rows) || options.rows < 1) {
  process.stderr.write("--rows takes a positive whole number\n")
  process.exit(2)
}
if (!Number.isSafeInteger(options.chunkSize) || options.chunkSize < 0) {
  process.stderr.write("--chunk-size takes a positive whole number\n")
  process.exit(2)
}
const stores = options.store === "both" ? ["pglite", "postgres"] : [options.store]
const serverUrl =
  options.url || process.env["BENCH_DATABASE_URL"] || "postgres://postgres@127.0.0.1:5432/postgres"
const child = fileURLToPath(new URL("./child.ts", import.meta.url))
// Under the repository's ignored tmp/ rather than the system's, which shared machines sweep.
const scratch = fileURLToPath(new URL("../../tmp/", import.meta.url))
mkdirSync(scratch, { recursive: true })
const work = mkdtempSync(join(scratch, "xc-bench-"))
const log = (message: string) => process.stderr.write(`${message}\n`)
const load = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(" ")

/** The Node flags of the CLI's shebang (`apps/cli/src/bin.ts`): imports run as the CLI runs. */
const cliFlags = (): ReadonlyArray<string> => {
  const bin = readFileSync(
    fileURLToPath(new URL("../../apps/cli/src/bin.ts", import.meta.url)),
    "utf8"
  )
  const shebang = bin.slice(0, bin.indexOf("\n"))
  const flags = /^#!\/usr\/bin\/env -S node(?<flags>.*)$/u.exec(shebang)?.groups?.["flags"] ?? ""
  return flags.split(" ").filter((flag) => flag !== "")
}

const runChild = (argv: ReadonlyArray<string>): Record<string, unknown> => {
  const flags = [...cliFlags(), ...options.nodeFlags]
  const result = spawnSync(process.execPath, [...flags, child, ...argv], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 1 << 26
  })
  if (result.status !== 0) throw new Error(`child ${argv[0]} failed with ${result.status}`)
  return JSON.parse(result.stdout.trim().split("\n").at(-1)!)
}

const psql = (url: string, command: string) => {
  const result = spawnSync("psql", [url, "-q", "-v", "ON_ERROR_STOP=1", "-c", command], {
    stdio: ["ignore", "ignore", "inherit"]
  })
  if (result.status !== 0) throw new Error(`psql failed: ${command}`)
}

const databaseUrl = (name: string): string => {
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return url.toString()
}

interface StoreFigures {
  readonly store: string
  readonly rows: number
  readonly importSeconds: number
  /** Of `importSeconds`, up to the import pass's first progress: validation and one chunk. */
  readonly validationSeconds: number
  readonly importRowsPerSecond: number
  readonly copySeconds: number
  readonly copyRowsPerSecond: number
  readonly ratio: number
  readonly peakRssMb: number
  readonly state: unknown
  readonly counters: unknown
  readonly loadBefore: string
  readonly loadAfter: string
}

const benchStore = (store: string, csv: string, legacy: string): StoreFigures => {
  const loadBefore = load()
  let target: string
  let copySeconds: number
  const database = `xc_bench_${process.pid}_${store}`
  if (store === "postgres") {
    psql(serverUrl, `drop database if exists ${database}`)
    psql(serverUrl, `create database ${database}`)
    target = databaseUrl(database)
  } else target = join(work, "pglite-data")
  try {
    log(`${store}: seeding legacy contacts`)
    runChild(["seed", store, target, legacy])
    log(`${store}: importing ${options.rows} rows (load ${load()})`)
    const chunkSize = options.chunkSize > 0 ? [String(options.chunkSize)] : []
    const imported = runChild(["import", store, target, csv, ...chunkSize])
    log(`${store}: bare COPY (load ${load()})`)
    if (store === "postgres") {
      psql(target, copyTable)
      const started = performance.now()
      psql(target, `\\copy bench_copy from '${csv}' with (format csv, header true)`)
      copySeconds = (performance.now() - started) / 1000
    } else {
      const copyDir = join(work, "pglite-copy")
      copySeconds = Number(runChild(["copy", store, copyDir, csv])["seconds"])
      rmSync(copyDir, { recursive: true, force: true })
    }
    const importSeconds = Number(imported["seconds"])
    return {
      store,
      rows: options.rows,
      importSeconds,
      validationSeconds: Number(imported["validationSeconds"]),
      importRowsPerSecond: Math.round(options.rows / importSeconds),
      copySeconds,
      copyRowsPerSecond: Math.round(options.rows / copySeconds),
      ratio: copySeconds / importSeconds,
      peakRssMb: Number(imported["peakRssMb"]),
      state: imported["state"],
      counters: imported["counters"],
      loadBefore,
      loadAfter: load()
    }
  } finally {
    if (store === "postgres") psql(serverUrl, `drop database if exists ${database}`)
    else rmSync(target, { recursive: true, force: true })
  }
}

const csv = join(work, "bench.csv")
const legacy = join(work, "legacy.csv")
try {
  log(`generating ${options.rows} rows in ${work}`)
  const files = await writeBenchFiles(options.rows, csv, legacy)
  const figures = stores.map((store) => benchStore(store, csv, legacy))
  const table = [
    "store     rows       import rows/s  COPY rows/s  ratio  peak RSS MB  load (1/5/15 min)",
    ...figures.map((row) =>
      [
        row.store.padEnd(9),
        String(row.rows).padEnd(10),
        String(row.importRowsPerSecond).padStart(13),
        ` ${String(row.copyRowsPerSecond).padStart(11)}`,
        ` ${row.ratio.toFixed(3).padStart(5)}`,
        ` ${row.peakRssMb.toFixed(0).padStart(11)}`,
        ` ${row.loadAfter}`
      ].join(" ")
    )
  ]
  process.stdout.write(`${table.join("\n")}\n`)
  const out = options.out || join(scratch, `bench-${options.rows}.json`)
  const result = {
    date: new Date().toISOString(),
    node: process.version,
    nodeFlags: [...cliFlags(), ...options.nodeFlags],
    chunkSize: options.chunkSize || "default",
    files,
    figures
  }
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`)
  log(`figures written to ${out}`)
} finally {
  rmSync(work, { recursive: true, force: true })
}
