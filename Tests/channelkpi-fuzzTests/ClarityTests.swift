import Foundation
import Testing

@testable import ChannelKPIServer
@testable import ChannelKPIStore
@testable import channelkpi_fuzz

@Suite("The clarity rule: every rejection says why and where")
struct ClarityTests {
  let text = Array("deal_id,amount\nD1,12\nD2,x\n".utf8)

  @Test func aCSVProblemAtItsLineAndFieldIsClear() {
    let p = ImportProblem(file: "deals.csv", line: 3, column: 2, field: "amount", message: "must be a decimal number")
    #expect(Clarity.check(p, file: "deals.csv", shape: Clarity.Shape(text)) == nil)
  }

  @Test func aCSVProblemWithoutALineIsNot() {
    let p = ImportProblem(file: "deals.csv", line: 0, column: nil, field: nil, message: "is bad")
    #expect(
      Clarity.check(p, file: "deals.csv", shape: Clarity.Shape(text)) == "line 0 is not in the file: deals.csv: is bad")
  }

  @Test func aCSVProblemPastTheLastFieldIsNot() {
    // Three commas in the whole file: no row can have a fifth field.
    let p = ImportProblem(file: "deals.csv", line: 2, column: 5, field: nil, message: "is bad")
    #expect(
      Clarity.check(p, file: "deals.csv", shape: Clarity.Shape(text))
        == "field 5 is not in the file: deals.csv:2:5: is bad")
  }

  @Test func aYAMLErrorMustPointIntoTheFile() {
    let yaml = Array("kpis:\n  - id: x\n".utf8)  // 2 lines, the longest 9 bytes
    let shape = Clarity.Shape(yaml)
    #expect(shape.breaks == 2 && shape.longestLine == 9)
    let inside = DefinitionFileError(file: "kpis.yaml", line: 2, column: 9, message: "needs a name")
    #expect(Clarity.check(inside, file: "kpis.yaml", shape: shape) == nil)
    let nowhere = DefinitionFileError(file: "kpis.yaml", line: 0, column: 0, message: "needs a name")
    #expect(Clarity.check(nowhere, file: "kpis.yaml", shape: shape) == "no line (line 0): kpis.yaml: needs a name")
    let past = DefinitionFileError(file: "kpis.yaml", line: 2, column: 40, message: "needs a name")
    #expect(
      Clarity.check(past, file: "kpis.yaml", shape: shape)
        == "column 40 is past every line (longest 9): kpis.yaml:2:40: needs a name")
  }

  @Test func aMessageMustHaveWordsAndNoInternalDump() {
    #expect(Clarity.why("  ") == "the message is empty")
    #expect(Clarity.why("12:3") == "the message has no words: 12:3")
    #expect(
      Clarity.why("Optional(\"x\") is bad") == "the message shows an internal error (Optional(): Optional(\"x\") is bad"
    )
    #expect(Clarity.why("must be a decimal number") == nil)
  }

  @Test func aJSONProblemMustPointIntoTheBody() {
    let body = Data(#"{"records": [{"amount": "x"}]}"#.utf8)
    let good = APIError.unprocessable([APIProblem(path: "/records/0/amount", message: "must be a number")])
    #expect(JSONTarget.judge(good, body: body) == .rejected)
    let bad = APIError.unprocessable([APIProblem(path: "/records/3/amount", message: "must be a number")])
    #expect(
      JSONTarget.judge(bad, body: body)
        == .unclear([
          "'/records/3/amount' does not lead into the body (stops at '3'): /records/3/amount: must be a number"
        ]))
  }

  @Test func aPointerIsReadByScalars() {
    // "/" and a member name starting with a combining mark make one Character: still a pointer.
    #expect(Clarity.pointer("/\u{301}records", in: ["\u{301}records": 1]) == nil)
    #expect(Clarity.pointer("records", in: ["records": 1]) == "'records' is not a JSON pointer")
  }

  @Test func aBodyThatDoesNotParseMustSayWhere() {
    let body = Data("{".utf8)
    #expect(
      JSONTarget.judge(.badRequest("the body is not valid JSON", parameter: nil), body: body)
        == .unclear(["a body that does not parse, without the line and column: the body is not valid JSON"]))
    #expect(
      JSONTarget.judge(
        .badRequest("the body is not valid JSON: it ends at line 1, column 2", parameter: nil), body: body)
        == .rejected)
  }
}
