import {
  type Contact,
  type ContactFields,
  contactE164s,
  contactEmailFields,
  contactEmailKeys,
  contactPhoneFields
} from "../Contact.ts"
import { emailKey } from "../Email.ts"
import type { MatchCriterion } from "../ImportSettings.ts"

/** The values of a row that take part in matching, per criterion: lowercase emails, E.164s. */
export type MatchKeys = Readonly<Record<MatchCriterion, ReadonlyArray<string>>>

/** The matching keys a row's contact fields carry; blank cells and invalid phones carry none. */
export const rowMatchKeys = (fields: Partial<ContactFields>): MatchKeys => ({
  email: contactEmailFields.flatMap((field) => {
    const email = fields[field]
    return email ? [emailKey(email)] : []
  }),
  phone: contactPhoneFields.flatMap((field) => {
    const e164 = fields[field]?.e164
    return e164 ? [e164] : []
  })
})

const contactKeys = (contact: Contact): MatchKeys => ({
  email: contactEmailKeys(contact),
  phone: contactE164s(contact)
})

/** A contact that a row matches but that already holds an External ID in the import's source. */
export interface Holder {
  readonly contactId: string
  readonly externalId: string
}

/** What matching found for a row whose External ID is new in the source. */
export interface LegacyMatch {
  /** Legacy contacts that match, first by criteria order, then oldest first. */
  readonly legacy: ReadonlyArray<Contact>
  /** Contacts that match but are already claimed by another External ID of the source. */
  readonly holders: ReadonlyArray<Holder>
}

/** Oldest first: by creation time, then by id so that equal times still give one order. */
export const byAge = (a: Contact, b: Contact): number =>
  a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : 1

/** A chunk's candidates by matching key, and each one's place in oldest-first order. */
interface CandidateIndex {
  readonly byKey: Record<MatchCriterion, Map<string, Array<Contact>>>
  readonly rank: Map<Contact, number>
}

/**
 * Every row of a chunk is matched against the same candidates: their keys are computed and
 * indexed once per chunk instead of once per row and candidate.
 */
const indexes = new WeakMap<ReadonlyArray<Contact>, CandidateIndex>()

const candidateIndex = (candidates: ReadonlyArray<Contact>): CandidateIndex => {
  const known = indexes.get(candidates)
  if (known !== undefined) return known
  const index: CandidateIndex = { byKey: { email: new Map(), phone: new Map() }, rank: new Map() }
  for (const [position, contact] of candidates.toSorted(byAge).entries()) {
    index.rank.set(contact, position)
    const keys = contactKeys(contact)
    for (const criterion of ["email", "phone"] as const) {
      for (const key of new Set(keys[criterion])) {
        const holders = index.byKey[criterion].get(key)
        if (holders === undefined) index.byKey[criterion].set(key, [contact])
        else holders.push(contact)
      }
    }
  }
  indexes.set(candidates, index)
  return index
}

/**
 * Finds the contacts a row matches. A candidate that holds an External ID in `source`, in the
 * store or through a claim earlier in the file, is a holder and never matched; candidates merged
 * into another in this file are skipped. `fileHolders` adds the contacts the chunk wrote. A
 * contact the chunk wrote is judged by its last version (`writtenInFile`): one that lost the key
 * no longer matches by it, as a later chunk's lookup would not find it, so that the outcome and
 * the warnings of a row do not depend on where the chunks end. Holders are named in the order of
 * their External IDs, which does not depend on the chunks either.
 */
export const matchLegacy = (options: {
  readonly keys: MatchKeys
  readonly criteria: ReadonlyArray<MatchCriterion>
  readonly source: string
  readonly candidates: ReadonlyArray<Contact>
  readonly claimedInFile: ReadonlyMap<string, string>
  readonly absorbedInFile: ReadonlySet<string>
  readonly writtenInFile: ReadonlyMap<string, Contact>
  readonly fileHolders: (criterion: MatchCriterion, key: string) => ReadonlyArray<Holder>
}): LegacyMatch => {
  const legacy = new Map<string, Contact>()
  const holders = new Map<string, Holder>()
  const index = candidateIndex(options.candidates)
  /** Whether the chunk's last version of a contact has the key; undefined if it wrote none. */
  const writtenHas = (id: string, criterion: MatchCriterion, key: string) => {
    const written = options.writtenInFile.get(id)
    return written === undefined ? undefined : contactKeys(written)[criterion].includes(key)
  }
  for (const criterion of options.criteria) {
    const wanted = new Set(options.keys[criterion])
    if (wanted.size === 0) continue
    const matched = new Set<Contact>()
    for (const key of wanted) {
      for (const contact of index.byKey[criterion].get(key) ?? []) {
        const absorbed = options.absorbedInFile.has(contact.id)
        if (!absorbed && writtenHas(contact.id, criterion, key) !== false) {
          matched.add(contact)
        }
      }
    }
    const oldestFirst = [...matched].sort((a, b) => index.rank.get(a)! - index.rank.get(b)!)
    for (const stored of oldestFirst) {
      const contact = options.writtenInFile.get(stored.id) ?? stored
      const held =
        contact.externalIds.find((id) => id.source === options.source)?.externalId ??
        options.claimedInFile.get(contact.id)
      if (held === undefined) {
        if (!legacy.has(contact.id)) legacy.set(contact.id, contact)
      } else if (!holders.has(contact.id)) {
        holders.set(contact.id, { contactId: contact.id, externalId: held })
      }
    }
    for (const key of wanted) {
      for (const holder of options.fileHolders(criterion, key)) {
        const stillHolds = writtenHas(holder.contactId, criterion, key) === true
        if (stillHolds && !holders.has(holder.contactId)) holders.set(holder.contactId, holder)
      }
    }
  }
  return {
    legacy: [...legacy.values()],
    holders: [...holders.values()].sort((a, b) =>
      a.externalId < b.externalId ? -1 : a.externalId > b.externalId ? 1 : 0
    )
  }
}

/**
 * Folds the contacts of `merge-all` into the oldest: the survivor keeps its values, its blanks are
 * filled from the absorbed contacts, oldest first, and it takes over their External IDs and
 * organization link. The row's values are applied after, so the file wins conflicts.
 */
export const foldContacts = (survivor: Contact, absorbed: ReadonlyArray<Contact>): Contact => {
  const folded: Record<string, unknown> = { ...survivor }
  for (const other of absorbed) {
    for (const [field, value] of Object.entries(other)) {
      if (field === "custom" || field === "externalIds") continue
      if (folded[field] === null && value !== null) folded[field] = value
    }
  }
  return {
    ...(folded as Contact),
    custom: Object.assign(
      {},
      ...absorbed.toReversed().map((other) => other.custom),
      survivor.custom
    ),
    externalIds: [...survivor.externalIds, ...absorbed.flatMap((other) => other.externalIds)]
  }
}
