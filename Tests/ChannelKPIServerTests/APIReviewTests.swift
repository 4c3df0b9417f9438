import Foundation
import Testing

/// `GET` and `POST /api/v1/reviews`.
@Suite struct APIReviewTests {
  @Test func recordsAndListsReviews() async throws {
    try await withServer { server in
      #expect(try await server.getJSON("/api/v1/reviews") == .object(["reviews": .array([])]))
      let r = try await server.post(
        "/api/v1/reviews",
        #"""
        {"partner":"P1","kpi":"win_rate","period":"2025-Q1","reviewer":"Ann","finding":"Lost D3 on price.",
        "action":"Pricing workshop."}
        """#)
      #expect(r.status == 201)
      #expect(r.contentType == "application/json; charset=utf-8")
      let first: JSONNode = .object([
        "id": .number(1), "date": .string(Fixture.today), "reviewer": .string("Ann"), "partner": .string("P1"),
        "kpi": .string("win_rate"), "period": .string("2025-Q1"), "finding": .string("Lost D3 on price."),
        "action": .string("Pricing workshop."), "shared": .bool(false), "acknowledged_by": .null,
        "acknowledged_at": .null, "replies": .array([]),
      ])
      #expect(r.json() == first)
      // A KPI alone, with a date; null is absent.
      let second = try await server.post(
        "/api/v1/reviews",
        #"{"kpi":"revenue","reviewer":"Bob","finding":"Flat.","action":"None.","date":"2025-07-01","partner":null}"#)
      #expect(second.status == 201)
      let secondJSON = second.json()
      #expect(secondJSON["id"] == .number(2))
      #expect(secondJSON["partner"] == .null)
      #expect(secondJSON["period"] == .null)
      // By date: the second review is dated earlier.
      let list = try await server.getJSON("/api/v1/reviews")["reviews"]?.array ?? []
      #expect(list.map { $0["id"] } == [.number(2), .number(1)])
      #expect(list.last == first)
    }
  }

  @Test func rejectsIncompleteReviews() async throws {
    try await withServer { server in
      expectProblems(
        try await server.post("/api/v1/reviews", "{}"),
        [
          ("/finding", "is required"), ("/action", "is required"),
          ("/partner", "give a partner, a kpi, or both"),
        ])
      expectProblems(
        try await server.post(
          "/api/v1/reviews",
          #"""
          {"partner":"P9","kpi":"revnue","period":"2025-Q5","date":"2025-02-30","reviewer":"  ","finding":7,
          "action":"x"}
          """#),
        [
          ("/reviewer", "must be a non-empty string"), ("/finding", "must be a non-empty string"),
          ("/partner", "no partner 'P9'"), ("/kpi", "unknown KPI 'revnue'"), ("/period", "'2025-Q5' is not a period"),
          ("/date", "'2025-02-30' is not a date"),
        ])
      expectProblems(try await server.post("/api/v1/reviews", "[]"), [("", "the body must be an object")])
      expectError(
        try await server.post("/api/v1/reviews", "{"), 400, code: "bad_request",
        message: "the body is not valid JSON: it ends before the JSON is complete at line 1, column 2")
      expectError(
        try await server.post("/api/v1/reviews", #"{"kpi":"revenue"}"#, contentType: "text/plain"), 415,
        code: "unsupported_media_type", message: "not text/plain")
      #expect(try await server.getJSON("/api/v1/reviews") == .object(["reviews": .array([])]))
    }
  }
}
