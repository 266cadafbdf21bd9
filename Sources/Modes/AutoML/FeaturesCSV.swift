import Foundation
import JSON

/// A week's feature object: `customer_id` then the `CustomerFeatures` columns, one row per
/// eligible customer (ascending), each number in its shortest form that reads back as the same
/// double — so a batch job reading it with the week's model scores exactly what the loop scored.
enum FeaturesCSV {
    static let header = (["customer_id"] + CustomerFeatures.columns).joined(separator: ",")

    /// The CSV bytes of `snapshot`'s features.
    static func write(_ snapshot: WeekSnapshot) -> Data {
        let columns = CustomerFeatures.columns.count
        var bytes = Array((header + "\n").utf8)
        bytes.reserveCapacity(48 * snapshot.count + header.utf8.count + 1)
        for (row, customer) in snapshot.customers.enumerated() {
            bytes.append(contentsOf: String(customer).utf8)
            for column in 0..<columns {
                bytes.append(UInt8(ascii: ","))
                CanonicalNumber.append(snapshot.features.numericValue(row: row, column: column), to: &bytes)
            }
            bytes.append(UInt8(ascii: "\n"))
        }
        return Data(bytes)
    }
}
