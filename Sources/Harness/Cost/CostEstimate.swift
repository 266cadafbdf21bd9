import Foundation
import JSON

/// A dry run's estimated bill: each resource's quantity at its list price, and the total.
public struct CostEstimate: Sendable, Equatable {
    /// One billed resource.
    public struct Line: Sendable, Equatable {
        /// What is billed, e.g. `object_storage.write_requests`.
        public var resource: String
        /// How much of it, in `unit`s.
        public var quantity: Double
        /// The unit, e.g. `requests`.
        public var unit: String
        /// USD per `unit`.
        public var unitPriceUSD: Double
        /// quantity × unit price.
        public var usd: Double { quantity * unitPriceUSD }
    }

    /// The sheet the prices come from.
    public var prices: PriceSheet
    /// The billed resources, in a fixed order.
    public var lines: [Line]

    /// Seconds in the month storage is billed by (30 days).
    static let secondsPerMonth = 30.0 * 86_400
    /// Bytes in the GB storage is billed by (2³⁰).
    static let bytesPerGB = 1_073_741_824.0

    /// The bill for `usage` at `prices`: requests, storage, queue requests, then the always-on
    /// capacity when the usage has any; `computeSeconds` (vCPU-seconds measured on this machine)
    /// adds a compute line when given.
    public init(usage: CloudUsage, prices: PriceSheet, computeSeconds: Double? = nil) {
        self.prices = prices
        lines = [
            Line(resource: "object_storage.write_requests", quantity: Double(usage.writeRequests), unit: "requests",
                 unitPriceUSD: prices.writeRequestsPer1000 / 1000),
            Line(resource: "object_storage.read_requests", quantity: Double(usage.readRequests), unit: "requests",
                 unitPriceUSD: prices.readRequestsPer1000 / 1000),
            Line(resource: "object_storage.stored", quantity: usage.storageByteSeconds / Self.bytesPerGB / Self.secondsPerMonth,
                 unit: "GB-months", unitPriceUSD: prices.storageGBMonth),
            Line(resource: "queue.requests", quantity: Double(usage.queueRequests), unit: "64 KiB requests",
                 unitPriceUSD: prices.queueRequestsPerMillion / 1_000_000),
        ]
        if let provisioned = usage.provisionedVCPUSeconds {
            lines.append(Line(resource: "compute.always_on", quantity: provisioned, unit: "vCPU-seconds (virtual time)",
                              unitPriceUSD: prices.vcpuSecond))
        }
        if let computeSeconds {
            lines.append(Line(resource: "compute", quantity: computeSeconds, unit: "vCPU-seconds (measured)", unitPriceUSD: prices.vcpuSecond))
        }
    }

    /// The sum of every line, in USD.
    public var totalUSD: Double { lines.reduce(0) { $0 + $1.usd } }

    /// The estimate as capture records: one per line, then the total and the sheet. Quantities
    /// and amounts are rounded to 12 significant digits, so the golden reads plainly.
    public var records: [JSONValue] {
        lines.map { line in
            ["resource": .string(line.resource), "quantity": .number(Self.rounded(line.quantity)), "unit": .string(line.unit),
             "unit_price_usd": .number(Self.rounded(line.unitPriceUSD)), "usd": .number(Self.rounded(line.usd))]
        } + [["total_usd": .number(Self.rounded(totalUSD)), "prices": .string(prices.name), "as_of": .string(prices.asOf)]]
    }

    /// `$0.000123 (AWS us-east-1 list prices of 2025-01-15): object_storage.write_requests $…, …`.
    public var summary: String {
        let parts = lines.map { "\($0.resource) \(Self.dollars($0.usd))" }.joined(separator: ", ")
        return "\(Self.dollars(totalUSD)) (\(prices.name) list prices of \(prices.asOf)): \(parts)"
    }

    /// Dollars to the cent, with more decimals for smaller amounts so that three significant
    /// digits show (`$1.94`, `$0.0000661`).
    static func dollars(_ value: Double) -> String {
        guard value != 0 else { return "$0" }
        var digits = 2
        while digits < 12 && value * pow10(digits) < 100 { digits += 1 }
        return "$" + String(format: "%.\(digits)f", value)
    }

    private static func pow10(_ exponent: Int) -> Double { (0..<exponent).reduce(1.0) { value, _ in value * 10 } }

    private static func rounded(_ value: Double) -> Double {
        guard value != 0, value.isFinite else { return value }
        return Double(String(format: "%.12g", value)) ?? value
    }
}
