import {
  type Contact,
  type ContactFields,
  type ContactId,
  emptyContactFields,
  MAX_EXTERNAL_IDS
} from "../Contact.ts"
import type { CheckedRow, RejectedRow } from "../csv/RowChecker.ts"
import type { CountersDraft, ImportJobId } from "../ImportJob.ts"
import type { ImportSettings } from "../ImportSettings.ts"
import {
  emptyOrganizationFields,
  type Organization,
  type OrganizationFields,
  type OrganizationId,
  organizationKeyFromName
} from "../Organization.ts"
import { type Problem, problemError, problemWarning } from "../Problem.ts"
import type {
  ChunkWrites,
  ContactMerge,
  ImportFound,
  ImportLookup,
  OrganizationEffect,
  Recalled,
  RecordTarget,
  RowRecord
} from "../ports/ImportStore.ts"
import { settingHint } from "../SettingHint.ts"
import { isEmptyValue, mergeFields } from "./FieldMerge.ts"
import { byAge, foldContacts, type Holder, matchLegacy, rowMatchKeys } from "./LegacyMatch.ts"

/** What happened to one row. */
export type RowOutcomeKind = RowRecord["outcome"]

export type RowOutcome = RowRecord
const strength: Record<OrganizationEffect, number> = { unchanged: 0, updated: 1, created: 2 }

/**
 * What the planner remembers of the file while it plans one chunk: the records the chunk has
 * already touched (so later rows see earlier ones), the line where each External ID first
 * appeared, and how each organization has been counted. It lives for one chunk only: what earlier
 * chunks wrote is in the store (the job's stage, for validation), and `firstLineByExternalId` and
 * `organizationEffects` are recalled from the job's row records before each chunk (see
 * `recallInto`, docs/adr/0400 and 0402).
 */
export interface InFileState {
  readonly contacts: Map<string, Contact>
  readonly organizations: Map<string, Organization>
  readonly firstLineByExternalId: Map<string, number>
  readonly organizationEffects: Map<string, OrganizationEffect>
  /** Legacy contacts claimed by this chunk: contact id to the External ID that claimed it. */
  readonly claimed: Map<string, string>
  /** Contacts folded into another by `merge-all` in this chunk. */
  readonly absorbed: Set<string>
  /**
   * Contacts this chunk created, updated or merged, by `email:<key>` and `phone:<e164>` of each
   * version it wrote; `written` holds the last version, which decides whether a key still holds.
   */
  readonly holders: Map<string, Array<Holder>>
  /** The last version of each contact this chunk wrote, by contact id. */
  readonly written: Map<string, Contact>
}

export const emptyInFileState = (): InFileState => ({
  contacts: new Map(),
  organizations: new Map(),
  firstLineByExternalId: new Map(),
  organizationEffects: new Map(),
  claimed: new Map(),
  absorbed: new Set(),
  holders: new Map(),
  written: new Map()
})

/** Forgets the last chunk: the store (or the job's stage) now holds what it wrote. */
export const forgetChunk = (state: InFileState) => {
  state.firstLineByExternalId.clear()
  state.organizationEffects.clear()
  state.contacts.clear()
  state.organizations.clear()
  state.claimed.clear()
  state.absorbed.clear()
  state.holders.clear()
  state.written.clear()
}

/** Adds what earlier chunks of the job decided to the chunk's state. */
export const recallInto = (state: InFileState, recalled: Recalled) => {
  for (const [externalId, line] of recalled.firstLines) {
    state.firstLineByExternalId.set(externalId, line)
  }
  for (const [key, effect] of recalled.organizationEffects) {
    state.organizationEffects.set(key, effect)
  }
}

const organizationNameRequired = (line: number, key: string): Problem =>
  problemError(
    line,
    null,
    "ORGANIZATION_NAME_REQUIRED",
    `Organization "${key}" does not exist yet and the row gives no Organization Name to ` +
      "create it with."
  )

/**
 * The keys a chunk needs looked up before it can be planned: those of its checked rows, and the
 * organization keys of rejected rows that name an organization without its name.
 */
export const lookupFor = (
  rows: ReadonlyArray<CheckedRow | RejectedRow>,
  settings: ImportSettings,
  jobId: ImportJobId
): ImportLookup => {
  const externalIds = new Set<string>()
  const organizationKeys = new Set<string>()
  const emails = new Set<string>()
  const phones = new Set<string>()
  for (const row of rows) {
    if (row._tag === "Rejected") {
      if (row.organizationWithoutName !== undefined) {
        organizationKeys.add(row.organizationWithoutName)
      }
      continue
    }
    if (row.organization) organizationKeys.add(row.organization.key)
    if (!row.contact) continue
    externalIds.add(row.contact.externalId)
    const keys = rowMatchKeys(row.contact.fields)
    if (settings.match.includes("email")) for (const key of keys.email) emails.add(key)
    if (settings.match.includes("phone")) for (const key of keys.phone) phones.add(key)
  }
  return {
    jobId,
    source: settings.source,
    division: settings.division,
    externalIds: [...externalIds],
    organizationKeys: [...organizationKeys],
    emails: [...emails],
    phones: [...phones]
  }
}

export interface PlanContext {
  readonly settings: ImportSettings
  readonly now: string
  readonly newId: (kind: "contact" | "organization") => string
  /**
   * Whether a record stamped `updatedAt` was last written by someone else while this pass ran
   * (another import of the division between two chunks, or an edit): its values are then not
   * what an earlier row of the file left. Absent, every stamp counts as the pass's own.
   */
  readonly writtenElsewhere?: (updatedAt: string) => boolean
}

export interface ChunkPlan {
  readonly contacts: Map<string, Contact>
  readonly contactExternalIds: Array<{ contactId: string; externalId: string }>
  readonly merges: Array<ContactMerge>
  readonly organizations: Map<string, Organization>
  readonly organizationExternalIds: Array<{ organizationId: string; externalId: string }>
  readonly outcomes: Array<RowOutcome>
}

/**
 * Decides, for each row of a chunk in file order, what to write and what outcome the row has.
 * A rejected row fails whatever happens, but whether its organization exists depends on the rows
 * before it, so it takes its place in the order too. Pure: it reads only what `resolve` found
 * and the in-file state, which it updates.
 */
export const planChunk = (
  rows: ReadonlyArray<CheckedRow | RejectedRow>,
  found: ImportFound,
  state: InFileState,
  counters: CountersDraft,
  context: PlanContext
): ChunkPlan => {
  const plan: ChunkPlan = {
    contacts: new Map(),
    contactExternalIds: [],
    merges: [],
    organizations: new Map(),
    organizationExternalIds: [],
    outcomes: []
  }
  for (const row of rows) {
    plan.outcomes.push(
      row._tag === "Checked"
        ? planRow(row, found, state, counters, context, plan)
        : planRejected(row, found, state)
    )
  }
  return plan
}

/** A rejected row's record: its problems, with `ORGANIZATION_NAME_REQUIRED` where it applies. */
const planRejected = (row: RejectedRow, found: ImportFound, state: InFileState): RowOutcome => {
  const key = row.organizationWithoutName
  const missing =
    key !== undefined && !state.organizations.has(key) && !found.organizations.has(key)
  return failedRow(
    row.line,
    missing ? [...row.problems, organizationNameRequired(row.line, key)] : row.problems
  )
}

const planRow = (
  row: CheckedRow,
  found: ImportFound,
  state: InFileState,
  counters: CountersDraft,
  context: PlanContext,
  plan: ChunkPlan
): RowOutcome => {
  const { settings, now } = context
  const problems: Array<Problem> = [...row.problems]

  let organization: Organization | null = null
  let organizationEffect: OrganizationEffect | null = null
  let organizationIsNew = false
  if (row.organization) {
    const key = row.organization.key
    const stored = state.organizations.get(key) ?? found.organizations.get(key)
    if (stored === undefined) {
      if (!row.organization.fields.name) {
        problems.push(organizationNameRequired(row.line, key))
        return fail(row, problems, counters, null)
      }
      const fields = mergeFields(emptyOrganizationFields, row.organization.fields, "ignore").fields
      organization = {
        id: context.newId("organization") as OrganizationId,
        division: settings.division,
        externalIds: [{ source: settings.source, externalId: key }],
        ...fields,
        createdAt: now,
        updatedAt: now
      }
      organizationEffect = "created"
      organizationIsNew = true
    } else {
      const merged = mergeFields<OrganizationFields>(
        stored,
        organizationPatch(key, row.organization.fields, settings),
        settings.blank
      )
      organization =
        merged.changed.length > 0 ? { ...stored, ...merged.fields, updatedAt: now } : stored
      organizationEffect = merged.changed.length > 0 ? "updated" : "unchanged"
      // Filling in what the organization did not have yet is no disagreement; changing or
      // clearing a value it had is.
      const differing = merged.changed.filter(
        (field) => !isEmptyValue((stored as unknown as Record<string, unknown>)[field])
      )
      // The disagreement is with an earlier row of this file: one of this chunk, or of an
      // earlier chunk when no one else has written the organization since.
      const earlierRow =
        state.organizations.has(key) ||
        (state.organizationEffects.has(key) &&
          !(context.writtenElsewhere?.(stored.updatedAt) ?? false))
      if (differing.length > 0 && earlierRow) {
        problems.push(
          problemWarning(
            row.line,
            null,
            "ORGANIZATION_FIELDS_DIFFER",
            `Organization "${key}" was given other values on an earlier row ` +
              `(${differing.join(", ")}); ` +
              "this row's values win."
          )
        )
      }
    }
  }

  let decision: ContactDecision | null = null
  if (row.contact) {
    decision = planContact(row.line, row.contact, organization, found, state, context, problems)
    if (decision === null) return fail(row, problems, counters, row.contact.externalId)
  }

  if (organization !== null && row.organization) {
    const key = row.organization.key
    if (organizationEffect !== "unchanged") plan.organizations.set(organization.id, organization)
    if (organizationIsNew)
      plan.organizationExternalIds.push({ organizationId: organization.id, externalId: key })
    state.organizations.set(key, organization)
    countOrganization(key, organizationEffect!, state, counters)
  }
  if (decision !== null && row.contact) {
    recordContact(row.line, row.contact.externalId, decision, state, plan, settings)
    countContact(decision.outcome, counters)
  }

  counters.rowsImported++
  counters.warnings += problems.length
  return {
    line: row.line,
    outcome: decision?.outcome ?? organizationEffect ?? "unchanged",
    contactId: decision?.contact.id ?? null,
    organizationId: organization?.id ?? null,
    externalId: row.contact?.externalId ?? null,
    organizationKey: row.organization?.key ?? null,
    organizationEffect,
    problems
  }
}

/** What a row does to its contact, before anything of the row is recorded. */
interface ContactDecision {
  readonly contact: Contact
  readonly outcome: "created" | "updated" | "merged" | "unchanged"
  /** The row's External ID is new to the contact and must be written. */
  readonly attach: boolean
  /** Legacy contacts that `merge-all` folds into `contact`. */
  readonly absorbed: ReadonlyArray<Contact>
}

/**
 * Spec §6 for one row's contact: its External ID first, then legacy matching by the criteria in
 * order, then a new contact. Returns null when the row fails; the reason is added to `problems`.
 */
const planContact = (
  line: number,
  input: NonNullable<CheckedRow["contact"]>,
  organization: Organization | null,
  found: ImportFound,
  state: InFileState,
  context: PlanContext,
  problems: Array<Problem>
): ContactDecision | null => {
  const { settings, now } = context
  const externalId = input.externalId
  const firstLine = state.firstLineByExternalId.get(externalId)
  if (firstLine === undefined) state.firstLineByExternalId.set(externalId, line)
  else {
    problems.push(
      problemWarning(
        line,
        null,
        "DUPLICATE_EXTERNAL_ID_IN_FILE",
        `External ID "${externalId}" already appeared on line ${firstLine}; ` +
          "this row is applied after it."
      )
    )
  }
  const link = organization === null ? {} : { organizationId: organization.id }

  const stored = state.contacts.get(externalId) ?? found.contacts.get(externalId)
  if (stored !== undefined) {
    const merged = mergeFields<ContactFields>(stored, input.fields, settings.blank)
    const relinks = organization !== null && stored.organizationId !== organization.id
    const changes = merged.changed.length > 0 || relinks
    return {
      contact: changes ? { ...stored, ...merged.fields, ...link, updatedAt: now } : stored,
      outcome: changes ? "updated" : "unchanged",
      attach: false,
      absorbed: []
    }
  }

  const match = matchLegacy({
    keys: rowMatchKeys(input.fields),
    criteria: settings.match,
    source: settings.source,
    candidates: found.candidates,
    claimedInFile: state.claimed,
    absorbedInFile: state.absorbed,
    writtenInFile: state.written,
    fileHolders: (criterion, key) => state.holders.get(`${criterion}:${key}`) ?? []
  })
  if (match.legacy.length === 0) {
    if (match.holders.length > 0) problems.push(alreadyClaimed(line, match.holders, settings))
    const fields = mergeFields<ContactFields>(emptyContactFields, input.fields, "ignore").fields
    const contact: Contact = {
      id: context.newId("contact") as ContactId,
      division: settings.division,
      externalIds: [{ source: settings.source, externalId }],
      ...fields,
      organizationId: organization?.id ?? null,
      createdAt: now,
      updatedAt: now
    }
    return { contact, outcome: "created", attach: true, absorbed: [] }
  }

  if (match.legacy.length > 1) {
    const ids = match.legacy.map((contact) => contact.id).join(", ")
    const rejected = settings.merge === "reject"
    const what = rejected
      ? "the row is rejected (merge mode reject)"
      : settings.merge === "merge-all"
        ? "all were merged into the oldest"
        : `the first, ${match.legacy[0]!.id}, was updated`
    const problem = rejected ? problemError : problemWarning
    problems.push(
      problem(
        line,
        null,
        "AMBIGUOUS_MATCH",
        `${match.legacy.length} legacy contacts match this row (${ids}); ${what}.`
      )
    )
    if (rejected) return null
  }
  const oldestFirst = match.legacy.toSorted(byAge)
  const [survivor, absorbed] =
    settings.merge === "merge-all"
      ? [oldestFirst[0]!, oldestFirst.slice(1)]
      : [match.legacy[0]!, []]
  const base = absorbed.length > 0 ? foldContacts(survivor, absorbed) : survivor
  if (base.externalIds.length >= MAX_EXTERNAL_IDS) {
    problems.push(
      problemError(
        line,
        null,
        "TOO_MANY_EXTERNAL_IDS",
        `The matching contact ${survivor.id} would hold more than ${MAX_EXTERNAL_IDS} External ` +
          `IDs with "${externalId}"; remove one or import with ${settingHint("--match", "match", "")} ` +
          "to create a new contact."
      )
    )
    return null
  }
  const merged = mergeFields<ContactFields>(base, input.fields, settings.blank)
  const contact: Contact = {
    ...base,
    ...merged.fields,
    ...link,
    externalIds: [...base.externalIds, { source: settings.source, externalId }],
    updatedAt: now
  }
  return { contact, outcome: "merged", attach: true, absorbed }
}

const alreadyClaimed = (
  line: number,
  holders: ReadonlyArray<Holder>,
  settings: ImportSettings
): Problem => {
  const named = holders
    .map((holder) => `${holder.contactId} (External ID "${holder.externalId}")`)
    .join(", ")
  return problemWarning(
    line,
    null,
    "IDENTITY_ALREADY_CLAIMED",
    `This row matches ${named}, already claimed in source "${settings.source}"; ` +
      "a new contact was created."
  )
}

/** Adds a decided contact to the chunk's writes and to what the rest of the file sees. */
const recordContact = (
  line: number,
  externalId: string,
  decision: ContactDecision,
  state: InFileState,
  plan: ChunkPlan,
  settings: ImportSettings
) => {
  const { contact } = decision
  if (decision.outcome !== "unchanged") plan.contacts.set(contact.id, contact)
  if (decision.attach) plan.contactExternalIds.push({ contactId: contact.id, externalId })
  for (const other of decision.absorbed) {
    plan.merges.push({ survivorId: contact.id, absorbedId: other.id, line })
    state.absorbed.add(other.id)
  }
  if (decision.outcome === "merged") state.claimed.set(contact.id, externalId)
  if (decision.outcome !== "unchanged") {
    // Every contact the row wrote holds the External ID now, as the next chunk's lookup would
    // find it by its keys; a key it has since lost is filtered out by its `written` version.
    state.written.set(contact.id, contact)
    const keys = rowMatchKeys(contact)
    for (const criterion of settings.match) {
      for (const key of keys[criterion]) {
        const holderKey = `${criterion}:${key}`
        const holders = state.holders.get(holderKey) ?? []
        if (!holders.some((holder) => holder.contactId === contact.id)) {
          holders.push({ contactId: contact.id, externalId })
        }
        state.holders.set(holderKey, holders)
      }
    }
  }
  state.contacts.set(externalId, contact)
}

/**
 * What a row may change on an existing organization. Keyed by name, the key already says the names
 * agree, and the stored name stays the first spelling (`ACME CORP` never renames `Acme Corp`). A
 * blank name changes nothing.
 */
const organizationPatch = (
  key: string,
  fields: Partial<OrganizationFields>,
  settings: ImportSettings
): Partial<OrganizationFields> => {
  const { name, ...rest } = fields
  // An organization always keeps a name: a blank cell never clears it, even with blank clear,
  // as no organization can be created without one.
  if (name === null || name === "") return rest
  const named = settings.organizationKey === "name" && typeof name === "string"
  if (!named || organizationKeyFromName(name) !== key) return fields
  return rest
}

const fail = (
  row: CheckedRow,
  problems: ReadonlyArray<Problem>,
  counters: CountersDraft,
  externalId: string | null
): RowOutcome => {
  counters.rowsFailed++
  counters.warnings += problems.filter((problem) => problem.severity === "warning").length
  return failedRow(row.line, problems, externalId)
}

/**
 * The record of a row that wrote nothing; `externalId` is set when the row's External ID counts
 * as seen in the file.
 */
export const failedRow = (
  line: number,
  problems: ReadonlyArray<Problem>,
  externalId: string | null = null
): RowRecord => ({
  line,
  outcome: "failed",
  contactId: null,
  organizationId: null,
  externalId,
  organizationKey: null,
  organizationEffect: null,
  problems
})

const countContact = (outcome: RowOutcomeKind, counters: CountersDraft) => {
  if (outcome === "failed") return
  counters.contacts[outcome]++
}

/** An organization is counted once per file, by the strongest thing the file did to it. */
const countOrganization = (
  key: string,
  effect: OrganizationEffect,
  state: InFileState,
  counters: CountersDraft
) => {
  const earlier = state.organizationEffects.get(key)
  if (earlier !== undefined && strength[earlier] >= strength[effect]) return
  if (earlier !== undefined) counters.organizations[earlier]--
  counters.organizations[effect]++
  state.organizationEffects.set(key, effect)
}

/** The store writes of a plan, its rows' records included, ready for `ImportStore.commit`. */
export const chunkWrites = (
  plan: ChunkPlan,
  target: RecordTarget,
  settings: ImportSettings,
  job: ChunkWrites["job"],
  problems: ReadonlyArray<Problem>
): ChunkWrites => ({
  target,
  source: settings.source,
  division: settings.division,
  contacts: [...plan.contacts.values()],
  contactExternalIds: plan.contactExternalIds,
  merges: plan.merges,
  organizations: [...plan.organizations.values()],
  organizationExternalIds: plan.organizationExternalIds,
  job,
  problems,
  rows: plan.outcomes
})
