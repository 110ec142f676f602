import { invisibleCharacters } from "./Email.ts"

/**
 * How a phone cell reads before any number library sees it: a placeholder, spreadsheet
 * scientific notation, several numbers, or one number with an extension and perhaps words.
 */
export type PhoneText =
  | { readonly _tag: "Placeholder" }
  | { readonly _tag: "ScientificNotation" }
  | { readonly _tag: "MultipleNumbers" }
  | { readonly _tag: "NoNumber" }
  | {
      readonly _tag: "Number"
      /** Only digits, spaces, `+`, `(`, `)`, `-`, `.` and `/`: never letters. */
      readonly number: string
      readonly extension: string | null
      /** Words around the number (`mobile`, `Tel:`), which are dropped with a warning. */
      readonly extraText: string | null
    }

const placeholders: ReadonlySet<string> = new Set([
  "n/a",
  "na",
  "n.a.",
  "none",
  "-",
  "--",
  "---",
  "unknown",
  "null",
  "nil",
  "tbd",
  "?",
  "."
])

const scientific = /^[+-]?\d+(?:[.,]\d+)?e[+-]?\d+$/iu

/** `x 123`, `ext. 5`, `extension 4411`, `;ext=5`, `#22` and pause digits `,,,9` at the end. */
const extension =
  /^(.*?\d[\s).]*)(?:;\s*ext\s*=\s*|\s*,?\s*(?:ext(?:ension)?\.?|x|#)\s*[:.]?\s*|\s*[,;]+\s*)(\d{1,7})\s*$/iu

const separators = /\s*(?:[/;,|\n]|\bor\b|\band\b|&)\s*/iu

/** A label before the number (`Tel:`, `Mobile -`), then the number, then whatever follows. */
const shape = /^(?:([\p{L} .]+?)\s*[:-]\s*)?([+(]*\d[\d\s().\-/+]*)(.*)$/su

const digitCount = (text: string): number => text.replace(/\D/gu, "").length

const decimalDigit = /\p{Nd}/u

/**
 * A decimal digit of another script (Arabic-Indic `٢`, Devanagari `२`) as an ASCII digit. Unicode
 * keeps each script's digits in runs of ten from zero, so the digit's value is its distance from
 * the start of its run of decimal digits, modulo ten (some runs, such as the mathematical
 * digits, follow one another).
 */
const asciiDigit = (digit: string): string => {
  const point = digit.codePointAt(0)!
  let start = point
  while (decimalDigit.test(String.fromCodePoint(start - 1))) start--
  return String((point - start) % 10)
}

/**
 * A cell read as typed: full-width digits and signs as ASCII (NFKC), every horizontal space (the
 * narrow no-break space of French formats included) as a space, every dash (a word processor's
 * hyphen, an en dash, a minus sign) as a hyphen, digits of other scripts as ASCII digits,
 * invisible characters gone.
 */
const asTyped = (raw: string): string =>
  raw
    .normalize("NFKC")
    .replace(invisibleCharacters, "")
    .replace(/[\p{Zs}\t]/gu, " ")
    .replace(/[\p{Pd}\u2212]/gu, "-")
    .replace(/(?![0-9])\p{Nd}/gu, asciiDigit)

/** Splits a phone cell into what it holds. Never translates letters into digits. */
export const readPhoneText = (raw: string): PhoneText => {
  const text = asTyped(raw).trim()
  if (placeholders.has(text.toLowerCase())) return { _tag: "Placeholder" }
  if (scientific.test(text)) return { _tag: "ScientificNotation" }

  const split = text.match(extension)
  const main = split ? split[1]!.trim() : text
  const ext = split ? split[2]! : null

  const numbers = main.split(separators).filter((part) => digitCount(part) >= 6)
  if (numbers.length >= 2) return { _tag: "MultipleNumbers" }

  const parts = main.match(shape)
  if (!parts) return { _tag: "NoNumber" }
  const label = parts[1]?.trim() ?? ""
  const written = parts[2]!
  const end = written.search(/\d[^\d]*$/u) + 1
  const after = written.slice(end) + parts[3]!
  // Dashes and dots trailing the number (`202-555-0120 -`) are the cell's leftovers, not words.
  const rest = after.trim().replace(/^[-.\s]+$/u, "")
  if (rest !== "" && (!/^[\s(]/u.test(after) || !/\p{L}/u.test(rest))) return { _tag: "NoNumber" }
  const words = [label, rest].filter((word) => word !== "").join(" ")
  return {
    _tag: "Number",
    number: written.slice(0, end).trim(),
    extension: ext,
    extraText: words === "" ? null : words
  }
}
