import type { Encoding } from "../ImportSettings.ts"

/** A concrete encoding the reader decodes with, once `auto` has looked at the byte order mark. */
export type ResolvedEncoding = Exclude<Encoding, "auto">

/**
 * The bytes are not valid in the chosen encoding (or hold U+FFFD, the mark of an earlier broken
 * conversion). Everything before the bad bytes was already handed out as text.
 */
export interface DecodeFailure {
  readonly _tag: "DecodeFailure"
  readonly encoding: ResolvedEncoding
  /** The text before the bad bytes held NUL characters: the file is most likely not text. */
  readonly afterNul: boolean
  /**
   * The file starts with the byte order mark of another encoding than the one asked for: it
   * says what it is, and reading it as something else would put the mark's bytes in the header.
   */
  readonly markedAs: ResolvedEncoding | null
}

const boms: ReadonlyArray<readonly [ResolvedEncoding, ReadonlyArray<number>]> = [
  ["utf-8", [0xef, 0xbb, 0xbf]],
  ["utf-16le", [0xff, 0xfe]],
  ["utf-16be", [0xfe, 0xff]]
]

const startsWith = (bytes: Uint8Array, prefix: ReadonlyArray<number>): boolean =>
  bytes.length >= prefix.length && prefix.every((byte, index) => bytes[index] === byte)

/**
 * Chooses the encoding: a byte order mark decides under `auto` (UTF-8 without one); an explicit
 * encoding is used, its own mark dropped. Returns the encoding, the mark's length, and the
 * encoding of a mark that contradicts an explicit one (the file cannot be read then).
 */
export const sniffEncoding = (
  head: Uint8Array,
  requested: Encoding
): {
  readonly encoding: ResolvedEncoding
  readonly bomLength: number
  readonly markedAs: ResolvedEncoding | null
} => {
  const found = boms.find(([, bom]) => startsWith(head, bom))
  if (requested === "auto") {
    return found
      ? { encoding: found[0], bomLength: found[1].length, markedAs: null }
      : { encoding: "utf-8", bomLength: 0, markedAs: null }
  }
  if (found !== undefined && found[0] !== requested) {
    return { encoding: requested, bomLength: 0, markedAs: found[0] }
  }
  return { encoding: requested, bomLength: found?.[1].length ?? 0, markedAs: null }
}

/**
 * The bytes 0x81, 0x8D, 0x8F, 0x90 and 0x9D have no character in Windows-1252; the WHATWG
 * decoder passes them through as C1 control characters, which no export means to write.
 */
const unassigned1252 = /[\u0081\u008d\u008f\u0090\u009d]/u

/** Where the decoded text first shows bytes the encoding does not allow, or -1. */
const firstInvalid = (text: string, encoding: ResolvedEncoding): number => {
  const replaced = text.indexOf("\ufffd")
  if (encoding !== "windows-1252") return replaced
  const unassigned = text.search(unassigned1252)
  if (unassigned === -1) return replaced
  return replaced === -1 ? unassigned : Math.min(replaced, unassigned)
}

/** How many leading bytes decode on their own, so that no character is cut between chunks. */
const completeLength = (bytes: Uint8Array, encoding: ResolvedEncoding): number => {
  const length = bytes.length
  if (encoding === "windows-1252") return length
  if (encoding === "utf-16le" || encoding === "utf-16be") {
    let end = length - (length % 2)
    if (end >= 2) {
      const unit =
        encoding === "utf-16le"
          ? bytes[end - 2]! | (bytes[end - 1]! << 8)
          : (bytes[end - 2]! << 8) | bytes[end - 1]!
      if (unit >= 0xd800 && unit <= 0xdbff) end -= 2
    }
    return end
  }
  for (let back = 1; back <= Math.min(4, length); back++) {
    const byte = bytes[length - back]!
    if ((byte & 0xc0) === 0x80) continue
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1
    return needed > back ? length - back : length
  }
  return length
}

const concat = (a: Uint8Array, b: Uint8Array): Uint8Array => {
  if (a.length === 0) return b
  const joined = new Uint8Array(a.length + b.length)
  joined.set(a, 0)
  joined.set(b, a.length)
  return joined
}

/**
 * Decodes a byte stream into text pieces, strictly: at the first byte that is not valid in the
 * encoding, the valid text before it comes out and then one `DecodeFailure`, and decoding stops.
 * Never yields a replacement character. Memory holds one chunk at a time.
 */
export async function* decodeText(
  bytes: AsyncIterable<Uint8Array>,
  requested: Encoding
): AsyncGenerator<string | DecodeFailure, void, undefined> {
  let carry: Uint8Array = new Uint8Array(0)
  let encoding: ResolvedEncoding | null = null
  let strict: { decode: (input: Uint8Array) => string } | null = null
  let sawNul = false

  const decode = function* (
    piece: Uint8Array,
    enc: ResolvedEncoding,
    decoder: { decode: (input: Uint8Array) => string }
  ): Generator<string | DecodeFailure, boolean> {
    let text: string
    try {
      text = decoder.decode(piece)
    } catch {
      text = new TextDecoder(enc, { ignoreBOM: true }).decode(piece)
    }
    const bad = firstInvalid(text, enc)
    const good = bad === -1 ? text : text.slice(0, bad)
    sawNul ||= good.includes("\u0000")
    if (bad === -1) {
      if (text.length > 0) yield text
      return true
    }
    if (bad > 0) yield good
    yield { _tag: "DecodeFailure", encoding: enc, afterNul: sawNul, markedAs: null }
    return false
  }

  for await (const chunk of bytes) {
    carry = concat(carry, chunk)
    if (encoding === null) {
      if (carry.length < 3) continue
      const sniffed = sniffEncoding(carry, requested)
      encoding = sniffed.encoding
      if (sniffed.markedAs !== null) {
        yield { _tag: "DecodeFailure", encoding, afterNul: false, markedAs: sniffed.markedAs }
        return
      }
      strict = new TextDecoder(encoding, { fatal: true, ignoreBOM: true })
      carry = carry.subarray(sniffed.bomLength)
    }
    const end = completeLength(carry, encoding)
    if (!(yield* decode(carry.subarray(0, end), encoding, strict!))) return
    carry = carry.slice(end)
  }
  if (encoding === null) {
    const sniffed = sniffEncoding(carry, requested)
    encoding = sniffed.encoding
    if (sniffed.markedAs !== null) {
      yield { _tag: "DecodeFailure", encoding, afterNul: false, markedAs: sniffed.markedAs }
      return
    }
    strict = new TextDecoder(encoding, { fatal: true, ignoreBOM: true })
    carry = carry.subarray(sniffed.bomLength)
  }
  if (carry.length > 0) yield* decode(carry, encoding, strict!)
}
