import { describe, expect, it } from "vitest"
import { neutralizeCell, reportHeader, reportRowLine } from "../src/report/ReportCsv.ts"

describe("the report CSV", () => {
  it("prefixes every cell a spreadsheet would evaluate with an apostrophe", () => {
    expect(["=1+2", "+44 20", "-5", "@SUM(1+1)", "\tx", "\rx"].map(neutralizeCell)).toEqual([
      "'=1+2",
      "'+44 20",
      "'-5",
      "'@SUM(1+1)",
      "'\tx",
      "'\rx"
    ])
    expect(neutralizeCell("Ada")).toBe("Ada")
    // An apostrophe of the value's own is doubled, so that it survives a report imported again.
    expect(["'Ohana", "'=1+1"].map(neutralizeCell)).toEqual(["''Ohana", "''=1+1"])
    expect(neutralizeCell("a=b")).toBe("a=b")
  })

  it("keeps every row at the header's width, naming values left out past it", () => {
    const row = {
      line: 4,
      outcome: "failed",
      contactId: null,
      organizationId: null,
      problems: []
    }
    expect(reportRowLine(["C-1", "a", "spill"], 2, row)).toBe(
      "C-1,a,4,failed,,,values past column 2 are not in this report; see line 4 of the file\r\n"
    )
    expect(reportRowLine(["C-1"], 2, row)).toBe("C-1,,4,failed,,,\r\n")
    expect(reportRowLine(["C-1", "a", " "], 2, row)).toBe("C-1,a,4,failed,,,\r\n")
  })

  it("adds line, outcome, ids and messages after the original columns", () => {
    expect(reportHeader(["External ID", "Work Email"])).toBe(
      "External ID,Work Email,line,outcome,contact_id,organization_id,messages\r\n"
    )
    const line = reportRowLine(["C-1", "bad@"], 2, {
      line: 2,
      outcome: "failed",
      contactId: null,
      organizationId: null,
      problems: [
        {
          line: 2,
          column: "Work Email",
          code: "EMAIL_INVALID",
          severity: "error",
          message: '"bad@" is not a valid email address.'
        }
      ]
    })
    expect(line).toBe(
      'C-1,bad@,2,failed,,,"EMAIL_INVALID [Work Email]: ""bad@"" is not a valid email address."\r\n'
    )
  })

  it("pads short rows so the report's columns line up", () => {
    const line = reportRowLine(["C-2"], 3, {
      line: 5,
      outcome: "created",
      contactId: "ct_1",
      organizationId: null,
      problems: []
    })
    expect(line).toBe("C-2,,,5,created,ct_1,,\r\n")
  })
})
