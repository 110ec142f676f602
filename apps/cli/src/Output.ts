import {
  type Contact,
  type ContactMergeRecord,
  contactPhoneFields,
  type DeletedImportJob,
  type ImportJob,
  type Organization,
  type Phone,
  type Problem,
  previewEndLine,
  wouldBe
} from "@xcontacts/domain"

/** The stable `--json` shape of a problem. */
export const problemJson = ({ line, column, code, severity, message }: Problem) => ({
  line,
  column,
  code,
  severity,
  message
})

/**
 * The stable `--json` shape of an import job (spec §9): `problems` is the job's preview (its
 * first problems by line), `problemCount` the number of all; `jobs problems` pages the rest.
 */
export const jobSummary = (job: ImportJob) => ({
  jobId: job.id,
  state: job.state,
  fileName: job.fileName,
  wouldBe: wouldBe(job),
  counters: job.counters,
  problems: job.problems.map(problemJson),
  problemCount: job.problemCount
})

/**
 * The stable `--json` shape of a deleted job: the job as it was when deleted, `deleted`, and
 * what became of its kept file (`removed`, already `gone`, `left` on disk, or `none` kept).
 */
export const deletedJobSummary = ({ job, keptFile }: DeletedImportJob) => ({
  ...jobSummary(job),
  deleted: true,
  keptFile
})

const keptFileText = {
  removed: "its kept copy of the file was removed",
  gone: "its kept copy of the file was already gone",
  left: "its file was left in place (the warning on stderr says why)",
  none: "it kept no file"
} as const

/** A person's line for a deleted job. */
export const deletedJobText = ({ job, keptFile }: DeletedImportJob): string =>
  `job ${job.id} deleted (it was ${job.state}); ${keptFileText[keptFile]}`

/** A person's line for one problem. */
export const problemText = (problem: Problem): string => {
  const column = problem.column === null ? "" : ` [${problem.column}]`
  // Line 0 is the file as a whole: a problem no line of it is to blame for (it is gone, too large).
  const where = problem.line === 0 ? "file" : `line ${problem.line}`
  return `${where}${column}: ${problem.severity} ${problem.code}: ${problem.message}`
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`

/**
 * How far an unfinished job has read its file, as "so far (61% of the file)": its counters are
 * of the rows read, not of the file, which a stopped job would otherwise seem to have finished.
 */
export const soFar = (job: ImportJob): string => {
  if (job.state !== "validating" && job.state !== "importing") return ""
  const size = job.file?.size ?? 0
  const share =
    size > 0
      ? ` (${Math.floor((100 * Math.min(job.progress.bytesRead, size)) / size)}% of the file)`
      : ""
  return ` so far${share}`
}

/** A person's summary of an import job. */
export const jobText = (job: ImportJob): string => {
  const { counters } = job
  const read = soFar(job)
  const lines = [
    `job ${job.id}: ${job.state}${wouldBe(job) ? " (counts are what an import would do)" : ""}`,
    `rows: ${counters.rowsTotal} ${read === "" ? "total" : `read${read}`}, ` +
      `${counters.rowsImported} ${wouldBe(job) ? "valid" : "imported"}, ` +
      `${counters.rowsFailed} failed, ` +
      `${counters.rowsBlank} blank, ${plural(counters.warnings, "warning")}`,
    `contacts: ${counters.contacts.created} created, ${counters.contacts.updated} updated, ` +
      `${counters.contacts.merged} merged, ${counters.contacts.unchanged} unchanged`,
    `organizations: ${counters.organizations.created} created, ` +
      `${counters.organizations.updated} updated, ` +
      `${counters.organizations.unchanged} unchanged`
  ]
  for (const problem of job.problems) lines.push(problemText(problem))
  const end = previewEndLine(job)
  if (end !== null) {
    // The preview may end with the file's problem that stopped the job, which paging shows
    // again in its place: what is left to page is everything after the preview's whole lines.
    const more = job.problemCount - job.problems.filter((problem) => problem.line <= end).length
    lines.push(
      `… ${plural(more, "more problem")} after line ${end} (${job.problemCount} in all); ` +
        `page through them with: xcontacts jobs problems ${job.id} --after ${end}`
    )
  }
  return lines.join("\n")
}

const phoneText = (phone: Phone | null) =>
  phone === null ? "" : `${phone.e164 ?? phone.raw}${phone.extension ? ` x${phone.extension}` : ""}`

/** One line per contact for people; `--json` prints the records themselves. */
export const contactLine = (contact: Contact): string =>
  [
    contact.id,
    contact.externalIds.map((id) => `${id.source}:${id.externalId}`).join(","),
    [contact.firstName, contact.lastName].filter(Boolean).join(" "),
    contact.workEmail ?? contact.personalEmail ?? contact.otherEmail ?? "",
    phoneText(contact.workPhone ?? contact.cellPhone ?? contact.homePhone ?? contact.otherPhone),
    contact.organizationId ?? ""
  ].join("\t")

export const organizationLine = (organization: Organization): string =>
  [
    organization.id,
    organization.externalIds.map((id) => `${id.source}:${id.externalId}`).join(","),
    organization.name ?? ""
  ].join("\t")

/** A person's view of one contact, with the merges it took part in. */
export const contactDetail = (
  contact: Contact,
  mergedInto: string | null,
  merges: ReadonlyArray<ContactMergeRecord>
): string => {
  const phones = contactPhoneFields
    .filter((field) => contact[field] !== null)
    .map((field) => `${field} ${phoneText(contact[field])} (written "${contact[field]!.raw}")`)
  const lines = [
    `contact ${contact.id} (division ${contact.division})`,
    `name: ${[contact.firstName, contact.lastName].filter(Boolean).join(" ")}`,
    `external ids: ${contact.externalIds.map((id) => `${id.source}:${id.externalId}`).join(", ")}`,
    `emails: ${[contact.workEmail, contact.personalEmail, contact.otherEmail]
      .filter(Boolean)
      .join(", ")}`,
    `phones: ${phones.join(", ")}`,
    `organization: ${contact.organizationId ?? ""}`
  ]
  if (mergedInto !== null) lines.push(`merged into: ${mergedInto}`)
  for (const merge of merges) {
    const moved = merge.movedExternalIds.map((id) => `${id.source}:${id.externalId}`).join(", ")
    lines.push(
      `merge: ${merge.absorbedId} into ${merge.survivorId} (job ${merge.jobId ?? "-"} line ` +
        `${merge.line}, moved ${moved || "no External IDs"})`
    )
  }
  return lines.join("\n")
}
