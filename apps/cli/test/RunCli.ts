import { spawnSync } from "node:child_process"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

const bin = fileURLToPath(new URL("../src/bin.ts", import.meta.url))

/** The shared sample files, beside the repository. */
export const fixture = (path: string) =>
  fileURLToPath(new URL(`../../../../shared/fixtures/${path}`, import.meta.url))

/** A fresh, empty data folder for the embedded store. */
export const freshDataDir = () => mkdtempSync(join(tmpdir(), "xcontacts-cli-"))

export interface CliResult {
  readonly status: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Runs the real `xcontacts` command on the same Node.js as the tests, without DATABASE_URL. */
export const runCli = (
  args: ReadonlyArray<string>,
  env: Record<string, string> = {}
): CliResult => {
  const { DATABASE_URL: _ignored, ...rest } = process.env
  const result = spawnSync(process.execPath, [bin, ...args], {
    encoding: "utf8",
    env: { ...rest, ...env },
    timeout: 120_000,
    // Listings and problems of a large import are megabytes of output.
    maxBuffer: 1 << 30
  })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}

/** Runs `xcontacts` and parses its stdout as JSON. */
export const runCliJson = <A = unknown>(
  args: ReadonlyArray<string>,
  env?: Record<string, string>
) => {
  const result = runCli(args, env)
  try {
    return { ...result, json: JSON.parse(result.stdout) as A }
  } catch {
    throw new Error(
      `stdout is not JSON (exit ${result.status}): ${result.stdout}\n${result.stderr}`
    )
  }
}
