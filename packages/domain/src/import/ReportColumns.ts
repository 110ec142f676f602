import type { CsvRecord } from "../csv/CsvReader.ts"
import { reportColumns } from "../report/ReportCsv.ts"

const width = reportColumns.length
const neutralized = /^'[=+\-@\t\r']/u

const endsWithReportColumns = (cells: ReadonlyArray<string>): boolean => {
  let end = cells.length
  while (end > 0 && cells[end - 1]!.trim() === "") end--
  if (end < width) return false
  return reportColumns.every((column, index) => cells[end - width + index]!.trim() === column)
}

const reportStart = (cells: ReadonlyArray<string>): number => {
  let end = cells.length
  while (end > 0 && cells[end - 1]!.trim() === "") end--
  return end - width
}

/**
 * A report of a job (docs/adr/0400) imports again: when a header ends with exactly the report's
 * own five columns, those columns are dropped, and cells the report neutralized with an
 * apostrophe get their first character back.
 */
export const reportAware = {
  isReport: endsWithReportColumns,
  headerCells: (cells: ReadonlyArray<string>): ReadonlyArray<string> =>
    endsWithReportColumns(cells) ? cells.slice(0, reportStart(cells)) : cells,
  /** A report row as the original file had it; `header` is the report's header. */
  recordOf: (record: CsvRecord, header: ReadonlyArray<string>): CsvRecord => {
    const start = reportStart(header)
    const cells = [...record.cells.slice(0, start), ...record.cells.slice(start + width)]
    return {
      ...record,
      cells: cells.map((cell) => (neutralized.test(cell) ? cell.slice(1) : cell))
    }
  }
}
