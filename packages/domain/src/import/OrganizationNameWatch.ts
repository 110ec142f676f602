import type { CheckedRow } from "../csv/RowChecker.ts"
import { problemWarning } from "../Problem.ts"

/** Words that name a company's legal form, and articles: a looser comparison leaves them out. */
const ignoredWords = new Set([
  "the",
  "and",
  "inc",
  "incorporated",
  "corp",
  "corporation",
  "co",
  "company",
  "ltd",
  "limited",
  "llc",
  "llp",
  "lp",
  "plc",
  "gmbh",
  "ag",
  "kg",
  "sa",
  "sas",
  "sarl",
  "srl",
  "spa",
  "bv",
  "nv",
  "oy",
  "ab",
  "as",
  "pty",
  "sp",
  "zoo"
])

/**
 * A looser form of an organization's name: accents, punctuation and legal-form words removed, so
 * that `Acme Corp.` and `Acme Corporation` compare equal while their keys stay apart.
 */
export const looseOrganizationName = (name: string): string =>
  name
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .split(" ")
    .filter((word) => word !== "" && !ignoredWords.has(word))
    .join(" ")

/** Organization names a file may hold before the watch stops remembering new ones. */
const remembered = 200_000

interface Seen {
  readonly key: string
  readonly name: string
  readonly line: number
}

/**
 * Watches the organization names of one file imported with `organizationKey: name`: a row whose
 * name differs from an earlier row's only by punctuation or legal form warns
 * `POSSIBLE_DUPLICATE_ORGANIZATION`, naming the earlier spelling and line. The organizations stay
 * apart; the warning tells a person where one spelling would join them. It remembers one entry
 * per distinct loose name, and stops learning new names past 200,000 (organizations are few).
 */
export class OrganizationNameWatch {
  private readonly seen = new Map<string, Seen>()

  /** The row, with the warning added when its organization may duplicate an earlier one. */
  check(row: CheckedRow): CheckedRow {
    const organization = row.organization
    const name = organization?.fields.name
    if (organization === null || typeof name !== "string") return row
    const loose = looseOrganizationName(name)
    if (loose === "") return row
    const earlier = this.seen.get(loose)
    if (earlier === undefined) {
      if (this.seen.size < remembered) {
        this.seen.set(loose, { key: organization.key, name, line: row.line })
      }
      return row
    }
    if (earlier.key === organization.key) return row
    const warning = problemWarning(
      row.line,
      "Organization Name",
      "POSSIBLE_DUPLICATE_ORGANIZATION",
      `"${name}" may be the same organization as "${earlier.name}" on line ${earlier.line}; ` +
        "they are kept apart because their names differ. Write one spelling to join them."
    )
    return { ...row, problems: [...row.problems, warning] }
  }
}
