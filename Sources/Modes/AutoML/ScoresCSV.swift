import Determinism
import Foundation
import JSON

/// A week's full scores object: `customer_id,score`, one row per eligible customer in snapshot
/// order, each score in its shortest form that reads back as the same double.
///
/// The rows are formatted in pieces, one per core at a time, and joined in order: the same
/// bytes on any number of cores.
enum ScoresCSV {
    static let header = "customer_id,score\n"

    /// Rows per piece.
    private static let pieceRows = 4_096

    /// The CSV bytes of `scores`, one per customer of `customers`.
    static func write(customers: [Int32], scores: [Double]) -> Data {
        precondition(customers.count == scores.count, "one score per customer")
        let pieces = (customers.count + pieceRows - 1) / pieceRows
        let parts = ParallelWork.map(count: pieces, threads: ParallelWork.availableCores, makeState: {}) { piece, _ in
            let rows = piece * pieceRows..<min(customers.count, (piece + 1) * pieceRows)
            // Written in place: each row takes at most the longest integer and number, a comma
            // and a line break.
            let rowBytes = CanonicalNumber.maximumIntegerLength + CanonicalNumber.maximumTextLength + 2
            return [UInt8](unsafeUninitializedCapacity: rows.count * rowBytes) { bytes, count in
                var end = bytes.baseAddress!
                for row in rows {
                    end += CanonicalNumber.writeInteger(Int(customers[row]), into: end)
                    end.pointee = UInt8(ascii: ",")
                    end += 1
                    end += CanonicalNumber.write(scores[row], into: end)
                    end.pointee = UInt8(ascii: "\n")
                    end += 1
                }
                count = end - bytes.baseAddress!
            }
        }
        var data = Data(header.utf8)
        data.reserveCapacity(header.utf8.count + parts.reduce(0) { $0 + $1.count })
        for part in parts { data.append(contentsOf: part) }
        return data
    }
}
