/** A CSV file that can be read from the start as often as needed (validation, then import). */
export interface CsvSource {
  readonly name: string | null
  readonly open: () => AsyncIterable<Uint8Array>
}
