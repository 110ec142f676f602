import { type Contact, type ContactFields, type ContactId, emptyContactFields } from "../Contact.ts"
import type { CheckedRow } from "../csv/RowChecker.ts"
import type { CountersDraft } from "../ImportJob.ts"
import type { ImportSettings } from "../ImportSettings.ts"
import {
  emptyOrganizationFields,
  type Organization,
  type OrganizationFields,
  type OrganizationId
} from "../Organization.ts"
import { type Problem, problemError, problemWarning } from "../Problem.ts"
import type { ChunkWrites, ImportFound, ImportLookup } from "../ports/ImportStore.ts"
import { mergeFields } from "./FieldMerge.ts"

/** What happened to one row. */
export type RowOutcomeKind = "created" | "updated" | "merged" | "unchanged" | "failed"

export interface RowOutcome {
  readonly line: number
  readonly outcome: RowOutcomeKind
  readonly contactId: string | null
  readonly organizationId: string | null
  readonly problems: ReadonlyArray<Problem>
}

type OrganizationEffect = "created" | "updated" | "unchanged"
const strength: Record<OrganizationEffect, number> = { unchanged: 0, updated: 1, created: 2 }

/**
 * What the planner remembers across the chunks of one file: the records this file has already
 * touched (so later rows see earlier ones, also in a dry run where nothing is written), the line
 * where each External ID first appeared, and how each organization has been counted.
 */
export interface InFileState {
  readonly contacts: Map<string, Contact>
  readonly organizations: Map<string, Organization>
  readonly firstLineByExternalId: Map<string, number>
  readonly organizationEffects: Map<string, OrganizationEffect>
}

export const emptyInFileState = (): InFileState => ({
  contacts: new Map(),
  organizations: new Map(),
  firstLineByExternalId: new Map(),
  organizationEffects: new Map()
})

/** The keys a chunk needs looked up before it can be planned. */
export const lookupFor = (
  rows: ReadonlyArray<CheckedRow>,
  settings: ImportSettings
): ImportLookup => {
  const externalIds = new Set<string>()
  const organizationKeys = new Set<string>()
  for (const row of rows) {
    if (row.contact) externalIds.add(row.contact.externalId)
    if (row.organization) organizationKeys.add(row.organization.key)
  }
  return {
    source: settings.source,
    division: settings.division,
    externalIds: [...externalIds],
    organizationKeys: [...organizationKeys],
    emails: [],
    phones: []
  }
}

export interface PlanContext {
  readonly settings: ImportSettings
  readonly now: string
  readonly newId: (kind: "contact" | "organization") => string
}

export interface ChunkPlan {
  readonly contacts: Map<string, Contact>
  readonly contactExternalIds: Array<{ contactId: string; externalId: string }>
  readonly organizations: Map<string, Organization>
  readonly organizationExternalIds: Array<{ organizationId: string; externalId: string }>
  readonly outcomes: Array<RowOutcome>
}

/**
 * Decides, for each checked row of a chunk in file order, what to write and what outcome the row
 * has. Pure: it reads only what `resolve` found and the in-file state, which it updates.
 */
export const planChunk = (
  rows: ReadonlyArray<CheckedRow>,
  found: ImportFound,
  state: InFileState,
  counters: CountersDraft,
  context: PlanContext
): ChunkPlan => {
  const plan: ChunkPlan = {
    contacts: new Map(),
    contactExternalIds: [],
    organizations: new Map(),
    organizationExternalIds: [],
    outcomes: []
  }
  for (const row of rows) {
    plan.outcomes.push(planRow(row, found, state, counters, context, plan))
  }
  return plan
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
        problems.push(
          problemError(
            row.line,
            null,
            "ORGANIZATION_NAME_REQUIRED",
            `Organization "${key}" does not exist yet and the row gives no Organization Name to create it with.`
          )
        )
        return fail(row, problems, counters)
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
        row.organization.fields,
        settings.blank
      )
      organization =
        merged.changed.length > 0 ? { ...stored, ...merged.fields, updatedAt: now } : stored
      organizationEffect = merged.changed.length > 0 ? "updated" : "unchanged"
      if (merged.changed.length > 0 && state.organizationEffects.has(key)) {
        problems.push(
          problemWarning(
            row.line,
            null,
            "ORGANIZATION_FIELDS_DIFFER",
            `Organization "${key}" was given other values on an earlier row (${merged.changed.join(", ")}); ` +
              "this row's values win."
          )
        )
      }
    }
  }

  let contact: Contact | null = null
  let outcome: RowOutcomeKind = organizationEffect ?? "unchanged"
  let contactIsNew = false
  if (row.contact) {
    const externalId = row.contact.externalId
    const firstLine = state.firstLineByExternalId.get(externalId)
    if (firstLine !== undefined) {
      problems.push(
        problemWarning(
          row.line,
          null,
          "DUPLICATE_EXTERNAL_ID_IN_FILE",
          `External ID "${externalId}" already appeared on line ${firstLine}; this row is applied after it.`
        )
      )
    }
    const stored = state.contacts.get(externalId) ?? found.contacts.get(externalId)
    const link = organization === null ? {} : { organizationId: organization.id }
    if (stored === undefined) {
      const fields = mergeFields<ContactFields>(
        emptyContactFields,
        row.contact.fields,
        "ignore"
      ).fields
      contact = {
        id: context.newId("contact") as ContactId,
        division: settings.division,
        externalIds: [{ source: settings.source, externalId }],
        ...fields,
        organizationId: organization?.id ?? null,
        createdAt: now,
        updatedAt: now
      }
      outcome = "created"
      contactIsNew = true
    } else {
      const merged = mergeFields<ContactFields>(stored, row.contact.fields, settings.blank)
      const relinks = organization !== null && stored.organizationId !== organization.id
      const changes = merged.changed.length > 0 || relinks
      contact = changes ? { ...stored, ...merged.fields, ...link, updatedAt: now } : stored
      outcome = changes ? "updated" : "unchanged"
    }
    if (firstLine === undefined) state.firstLineByExternalId.set(externalId, row.line)
  }

  if (organization !== null && row.organization) {
    const key = row.organization.key
    if (organizationEffect !== "unchanged") plan.organizations.set(organization.id, organization)
    if (organizationIsNew)
      plan.organizationExternalIds.push({ organizationId: organization.id, externalId: key })
    state.organizations.set(key, organization)
    countOrganization(key, organizationEffect!, state, counters)
  }
  if (contact !== null && row.contact) {
    if (outcome !== "unchanged") plan.contacts.set(contact.id, contact)
    if (contactIsNew)
      plan.contactExternalIds.push({ contactId: contact.id, externalId: row.contact.externalId })
    state.contacts.set(row.contact.externalId, contact)
    countContact(outcome, counters)
  }

  counters.rowsImported++
  counters.warnings += problems.length
  return {
    line: row.line,
    outcome,
    contactId: contact?.id ?? null,
    organizationId: organization?.id ?? null,
    problems
  }
}

const fail = (
  row: CheckedRow,
  problems: ReadonlyArray<Problem>,
  counters: CountersDraft
): RowOutcome => {
  counters.rowsFailed++
  counters.warnings += problems.filter((problem) => problem.severity === "warning").length
  return { line: row.line, outcome: "failed", contactId: null, organizationId: null, problems }
}

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

/** The store writes of a plan, ready for `ImportStore.commit`. */
export const chunkWrites = (
  plan: ChunkPlan,
  settings: ImportSettings,
  job: ChunkWrites["job"],
  problems: ReadonlyArray<Problem>
): ChunkWrites => ({
  source: settings.source,
  division: settings.division,
  contacts: [...plan.contacts.values()],
  contactExternalIds: plan.contactExternalIds,
  organizations: [...plan.organizations.values()],
  organizationExternalIds: plan.organizationExternalIds,
  job,
  problems
})
