import ChannelKPI

// MARK: - Operations: scorecards

extension OpenAPIDocument {
  static var partnerScorecard: V {
    operation(
      "getPartnerScorecard", tag: "Scorecards", summary: "A partner's scorecard",
      description: """
        The scorecard of the partner's type, for the partner: each KPI against its target, the composite \
        score, and the rank among the partners of the type in the program during the period (none when \
        the partner was not).
        """,
      parameters: [partnerId, latestPeriod("of the scorecard")],
      responses: [
        (
          "200",
          json(
            "The scorecard.", ref("Scorecard"),
            [("q4", example("P0007 in 2025-Q4", json: OpenAPIExamples.partnerScorecard))])
        ),
        badPeriod(),
        unknownPartner,
        conflict(
          "No definitions are in force, they have no scorecard for the partner's type, or (without `period`) there is no data.",
          [noScorecardExample]),
      ])
  }

  static var networkScorecard: V {
    operation(
      "getNetworkScorecard", tag: "Scorecards", summary: "The network scorecard",
      description: "The program's scorecard for the whole network.",
      parameters: [latestPeriod("of the scorecard")],
      responses: [
        (
          "200",
          json("The scorecard.", ref("Scorecard"), [("q4", example("2025-Q4", json: OpenAPIExamples.networkScorecard))])
        ),
        badPeriod(),
        conflict(
          "No definitions are in force, they have no network scorecard, or (without `period`) there is no data.",
          [
            (
              "no_definitions",
              example(
                "A database without definitions",
                json: #"""
                  {"error":{"code":"conflict",
                  "message":"no program definitions are in force for 2025-Q4: apply some with channelkpi program apply DIR"}}
                  """#)
            )
          ]),
      ])
  }

  static var typeScorecards: V {
    operation(
      "getTypeScorecards", tag: "Scorecards", summary: "The scorecards of a partner type",
      description: """
        The scorecard of every partner of the type in the program during the period, ranked by composite \
        score (1 is the best; equal scores share a rank; partners without a score last).
        """,
      parameters: [
        pathParameter(
          "type", "The partner type.", ref("Slug").with("examples", ["reseller"]), examples: [("unknown_type", "nope")]),
        latestPeriod("of the scorecards"),
      ],
      responses: [
        (
          "200",
          json(
            "The scorecards.", ref("Scorecards"),
            [("q4", example("Two of the resellers", json: OpenAPIExamples.typeScorecards))])
        ),
        badPeriod(),
        notFound(
          "No partner has this type.",
          [
            (
              "unknown_type",
              example(
                "No such type", json: #"{"error":{"code":"not_found","message":"no partner has the type 'nope'"}}"#)
            )
          ]),
        conflict(
          "No definitions are in force, they have no scorecard for the type, or (without `period`) there is no data.",
          [noScorecardExample]),
      ])
  }
}
