/// One purchase of a purchase log (see `PurchaseLog`).
public struct Purchase: Sendable, Equatable {
    /// The customer's number: `00001` in the file is 1.
    public let customer: Int32
    /// The day of the purchase in days since 1970-01-01 (`CivilCalendar.date(days:)` gives the date).
    public let day: Int32
    /// How many CDs were bought: at least 1.
    public let cds: Int32
    /// What was paid, in cents: 0 or more.
    public let cents: Int64

    /// A purchase; see the properties.
    public init(customer: Int32, day: Int32, cds: Int32, cents: Int64) {
        self.customer = customer
        self.day = day
        self.cds = cds
        self.cents = cents
    }
}
