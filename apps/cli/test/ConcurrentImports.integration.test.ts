import { spawn } from "node:child_process"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { delimiter, join } from "node:path"
import { fileURLToPath } from "node:url"
import { assert, describe, it } from "@effect/vitest"
import { scratchDatabase, skipReason, testDatabaseUrl } from "@xcontacts/db/testing"
import type { Contact, ImportCounters, Organization } from "@xcontacts/domain"
import { Effect } from "effect"

const binFolder = fileURLToPath(new URL("../../../node_modules/.bin", import.meta.url))

const rowsPerFile = 20_000
const overlap = 15_000
const organizationCount = 40

/**
 * File A holds C-00000 … C-19999, file B C-05000 … C-24999: 15,000 External IDs in both. Each file
 * lists the shared ones first, B in reverse, so the processes create from both ends of the range
 * and then update each other's contacts.
 */
const firstIndexOf = { A: 0, B: rowsPerFile - overlap } as const
type FileName = keyof typeof firstIndexOf

const externalIdOf = (index: number) => `C-${String(index).padStart(5, "0")}`
const organizationKeyOf = (index: number) => `ORG-${index % organizationCount}`

/** What file `file` says about the contact at `index`: every cell differs between the files. */
const rowOf = (file: FileName, index: number) => ({
  firstName: `${file === "A" ? "Ada" : "Bea"}${index}`,
  lastName: `${file}-file`,
  title: `${file} title ${index}`,
  workEmail: `${file.toLowerCase()}${index}@${file.toLowerCase()}.example`
})

const writeFile = (folder: string, file: FileName): string => {
  const lines = [
    "External ID,First Name,Last Name,Title,Work Email," +
      "External Organization External ID,Organization Name"
  ]
  const own = file === "A" ? [0, firstIndexOf.B] : [rowsPerFile, firstIndexOf.B + rowsPerFile]
  const shared = Array.from({ length: overlap }, (_, offset) => firstIndexOf.B + offset)
  const indexes = [
    ...(file === "A" ? shared : shared.reverse()),
    ...Array.from({ length: own[1]! - own[0]! }, (_, offset) => own[0]! + offset)
  ]
  for (const index of indexes) {
    const row = rowOf(file, index)
    const key = organizationKeyOf(index)
    lines.push(
      [
        externalIdOf(index),
        row.firstName,
        row.lastName,
        row.title,
        row.workEmail,
        key,
        `Company ${key}`
      ].join(",")
    )
  }
  const path = join(folder, `${file}.csv`)
  writeFileSync(path, `${lines.join("\n")}\n`)
  return path
}

/** Runs the real `xcontacts` bin on Node 24 against `url`; yields its exit code and stdout. */
const xcontacts = (url: string, args: ReadonlyArray<string>) =>
  Effect.callback<{ readonly code: number | null; readonly stdout: string }, Error>((resume) => {
    const child = spawn(join(binFolder, "xcontacts"), args, {
      env: {
        ...process.env,
        DATABASE_URL: url,
        PATH: `${binFolder}${delimiter}${process.env.PATH ?? ""}`
      },
      stdio: ["ignore", "pipe", "pipe"]
    })
    const out: Array<Buffer> = []
    const err: Array<Buffer> = []
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk))
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk))
    child.on("error", (error) => resume(Effect.fail(error)))
    child.on("close", (code) => {
      const stderr = Buffer.concat(err).toString("utf8")
      if (code !== 0) process.stderr.write(stderr)
      resume(Effect.succeed({ code, stdout: Buffer.concat(out).toString("utf8") }))
    })
  })

interface JobSummary {
  readonly state: string
  readonly counters: ImportCounters
}

const concurrentImports = () =>
  it.effect(
    "two processes importing overlapping files at once leave one contact per External ID",
    () =>
      Effect.gen(function* () {
        const { url } = yield* scratchDatabase
        const folder = mkdtempSync(join(tmpdir(), "xcontacts-concurrent-"))
        yield* Effect.addFinalizer(() =>
          Effect.sync(() => rmSync(folder, { recursive: true, force: true }))
        )
        const files = { A: writeFile(folder, "A"), B: writeFile(folder, "B") }

        // Both start on an empty database, so they also race to migrate it. Their copies of the
        // files go to uploads/ in the data folder, which DATABASE_URL leaves for files alone.
        const [a, b] = yield* Effect.all(
          [
            xcontacts(url, ["import", files.A, "--json", "--data-dir", folder]),
            xcontacts(url, ["import", files.B, "--json", "--data-dir", folder])
          ],
          { concurrency: "unbounded" }
        )
        assert.strictEqual(a.code, 0)
        assert.strictEqual(b.code, 0)
        const jobs = [JSON.parse(a.stdout) as JobSummary, JSON.parse(b.stdout) as JobSummary]
        assert.deepStrictEqual(
          jobs.map((job) => [job.state, job.counters.rowsImported, job.counters.rowsFailed]),
          [
            ["completed", rowsPerFile, 0],
            ["completed", rowsPerFile, 0]
          ]
        )

        const sum = (pick: (counters: ImportCounters) => number) =>
          jobs.reduce((total, job) => total + pick(job.counters), 0)
        const union = 2 * rowsPerFile - overlap
        // Whichever process commits an External ID second finds the first one's contact, whose
        // values all differ from its own row: an update, never a second creation.
        assert.deepStrictEqual(
          {
            created: sum((counters) => counters.contacts.created),
            updated: sum((counters) => counters.contacts.updated),
            merged: sum((counters) => counters.contacts.merged),
            unchanged: sum((counters) => counters.contacts.unchanged),
            organizationsCreated: sum((counters) => counters.organizations.created)
          },
          {
            created: union,
            updated: overlap,
            merged: 0,
            unchanged: 0,
            organizationsCreated: organizationCount
          }
        )

        const listed = yield* xcontacts(url, ["contacts", "list", "--json"])
        const contacts = JSON.parse(listed.stdout) as ReadonlyArray<Contact>
        const organizationsListed = yield* xcontacts(url, ["organizations", "list", "--json"])
        const organizations = JSON.parse(organizationsListed.stdout) as ReadonlyArray<Organization>
        assert.strictEqual(contacts.length, union)
        assert.strictEqual(organizations.length, organizationCount)
        const organizationKeyById = new Map<string, string | undefined>(
          organizations.map((organization) => [
            organization.id,
            organization.externalIds[0]?.externalId
          ])
        )

        const seen = new Set<string>()
        const winners = { A: 0, B: 0 }
        for (const contact of contacts) {
          assert.strictEqual(contact.externalIds.length, 1)
          const externalId = contact.externalIds[0]!.externalId
          assert.isFalse(seen.has(externalId), `${externalId} is held by two contacts`)
          seen.add(externalId)
          const index = Number(externalId.slice(2))
          const held = {
            firstName: contact.firstName,
            lastName: contact.lastName,
            title: contact.title,
            workEmail: contact.workEmail
          }
          const candidates = (["A", "B"] as const).filter(
            (file) => index >= firstIndexOf[file] && index < firstIndexOf[file] + rowsPerFile
          )
          const winner = candidates.find((file) =>
            Object.entries(rowOf(file, index)).every(
              ([field, value]) => held[field as keyof typeof held] === value
            )
          )
          assert.isDefined(winner, `${externalId} holds a mix of both files`)
          winners[winner!]++
          assert.strictEqual(
            organizationKeyById.get(contact.organizationId ?? ""),
            organizationKeyOf(index)
          )
        }
        assert.strictEqual(seen.size, union)
        assert.strictEqual(winners.A + winners.B, union)
        process.stderr.write(
          `concurrent imports: ${union} contacts, ${winners.A} hold file A's values, ` +
            `${winners.B} file B's; counters ${JSON.stringify(jobs.map((job) => job.counters))}\n`
        )
      }).pipe(Effect.scoped),
    { timeout: 300_000 }
  )

if (testDatabaseUrl === undefined) describe.skip("concurrent imports", () => it.skip(skipReason))
else describe("concurrent imports on PostgreSQL", concurrentImports)
