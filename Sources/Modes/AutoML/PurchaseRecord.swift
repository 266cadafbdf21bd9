/// One purchase transaction as an upstream system exports it: who bought, on which day, how
/// many CDs, for how much.
public struct PurchaseRecord: Sendable, Equatable {
    /// The customer's id.
    public var customer: Int32
    /// The day of the purchase, counted since 1970-01-01.
    public var day: Int32
    /// How many items were bought.
    public var items: Int32
    /// What was paid, in cents.
    public var cents: Int64

    /// A purchase.
    public init(customer: Int32, day: Int32, items: Int32, cents: Int64) {
        self.customer = customer
        self.day = day
        self.items = items
        self.cents = cents
    }
}
