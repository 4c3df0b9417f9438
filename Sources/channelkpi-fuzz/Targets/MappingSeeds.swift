/// Mappings and exports the mapping target starts from when the run has no `mappings/` folder
/// (and beside it when it has): between them they use every option of a mapping file.
enum MappingSeeds {
  static let mappings = [
    """
    description: A CRM's partner list, German locale
    table: partners
    date_format: D.M.YYYY
    fields:
      partner_id: {columns: [Account ID, Branch], join: "-", prefix: "P-", case: upper}
      name: Company
      type:
        column: Partner Type
        map: {Reseller: reseller, Managed Service Provider: msp, Referral: referral}
        otherwise: ~
        default: reseller
      region: {column: Region, case: lower, suffix: ""}
      country: {column: Country, split: ";"}
      tier: {value: registered}
      joined_on: Since
      left_on: {column: Until, only_if: {type: [reseller, msp]}}
      manager: Owner
    """,
    """
    description: A help desk's tickets
    table: support_tickets
    datetime_format: "MMM D, YYYY h:mm a"
    timezone: America/New_York
    money: {currency_symbols: true, thousands: ".", decimal: ",", round: true}
    skip_rows_without: [partner_id]
    ends_at_blank_line: true
    fields:
      ticket_id: Ticket
      partner_id: Partner
      customer_id: {column: Customer, default: ~}
      opened_at: Opened
      resolved_at: {column: Resolved, date_format: "YYYY-MM-DD'T'HH:mm[:ss][.SSS]Z", timezone: UTC}
      satisfaction: CSAT
    """,
  ]

  static let exports = [
    (
      "crm-partners.csv",
      """
      Account ID,Branch,Company,Partner Type,Region,Country,Since,Until,Owner
      a17,1,Northwind,Reseller,EMEA,DE;AT,1.2.2024,,Dana Lee
      b22,,"Fabrikam, Inc.",Managed Service Provider,emea,FR,15.11.2023,31.12.2025,Sam Ortiz

      """
    ),
    (
      "helpdesk-tickets.csv",
      """
      Ticket,Partner,Customer,Opened,Resolved,CSAT
      T-1,P0001,C-9,"Mar 5, 2025 9:15 AM",2025-03-05T16:20:00Z,5
      T-2,,C-3,"Mar 6, 2025 12:01 PM",,

      Exported by the help desk
      """
    ),
  ]
}
