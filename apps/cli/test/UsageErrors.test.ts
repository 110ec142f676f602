import { createServer } from "node:net"
import { describe, expect, it } from "vitest"
import { freshDataDir, runCli } from "./RunCli.ts"

describe("a usage error", () => {
  it("prints its help and message on stderr, never on stdout, with --json too, and exits 2", () => {
    const dataDir = freshDataDir()
    const cases = [
      { args: ["jobs", "show", "--json"], error: "Missing required argument: job-id" },
      { args: ["jobs", "delete", "--json"], error: "Missing required argument: job-id" },
      {
        args: ["jobs", "list", "--json", "--bogus"],
        error: "Unrecognized flag: --bogus in command xcontacts jobs list"
      },
      { args: ["import", "--json"], error: "Missing required argument: file" },
      {
        args: ["import", "contacts.csv", "--chunk-size", "0"],
        error: "--chunk-size must be 1 or more, not 0"
      },
      { args: ["contacts", "list", "--limit", "0"], error: "--limit must be 1 or more, not 0" },
      { args: ["jobs", "list", "--limit", "-1"], error: "--limit must be 1 or more, not -1" },
      { args: ["serve", "--port", "99999"], error: "--port must be from 0 to 65535, not 99999" },
      {
        args: ["import", "contacts.csv", "--map", "Given=First Name", "--map", "given=Last Name"],
        error: '--map: "given" is mapped twice ("Given=…" and "given=Last Name")'
      }
    ]
    for (const { args, error } of cases) {
      const result = runCli([...args, "--data-dir", dataDir])
      expect(result.status).toBe(2)
      expect(result.stdout).toBe("")
      expect(result.stderr).toContain("USAGE")
      expect(result.stderr).toContain(error)
    }
    const help = runCli(["jobs", "--help"])
    expect(help.status).toBe(0)
    expect(help.stdout).toContain("xcontacts jobs <subcommand>")
    expect(help.stderr).toBe("")
  })
})

describe("xcontacts serve", () => {
  it("says the port is taken, without a stack trace, and exits 1", async () => {
    const taken = createServer()
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve))
    const { port } = taken.address() as { port: number }
    try {
      const result = runCli(["serve", "--port", String(port), "--data-dir", freshDataDir()])
      expect(result.status).toBe(1)
      expect(result.stdout).toBe("")
      expect(result.stderr.trim()).toBe(
        `error: port ${port} is in use by another program; choose another with --port`
      )
    } finally {
      taken.close()
    }
  })
})

describe("contacts find with only blank values", () => {
  it("asks for a value, with exit 2, instead of finding nothing", () => {
    for (const flag of ["--email", "--phone", "--external-id"]) {
      const result = runCli(["contacts", "find", flag, "   ", "--data-dir", freshDataDir()])
      expect(result.status).toBe(2)
      expect(result.stdout).toBe("")
      expect(result.stderr).toContain("give --email, --phone or --external-id")
    }
  })
})

describe("a DATABASE_URL that is no PostgreSQL URL", () => {
  it("is named as the problem, with exit 2, instead of a failed host lookup", () => {
    const result = runCli(["contacts", "list", "--data-dir", freshDataDir()], {
      DATABASE_URL: "not a url"
    })
    expect(result.status).toBe(2)
    expect(result.stdout).toBe("")
    expect(result.stderr).toContain("DATABASE_URL is not a PostgreSQL URL")
  })
})
