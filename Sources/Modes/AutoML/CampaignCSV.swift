import Foundation
import JSON

/// A campaign object: `rank,customer_id,score`, best first.
enum CampaignCSV {
    static let header = "rank,customer_id,score"

    /// The CSV bytes of `campaign`.
    static func write(_ campaign: Campaign) -> Data {
        var bytes = Array((header + "\n").utf8)
        bytes.reserveCapacity(32 * campaign.customers.count + 24)
        for (index, (customer, score)) in zip(campaign.customers, campaign.scores).enumerated() {
            bytes.append(contentsOf: "\(index + 1),\(customer),".utf8)
            CanonicalNumber.append(score, to: &bytes)
            bytes.append(UInt8(ascii: "\n"))
        }
        return Data(bytes)
    }

    /// The campaign in object `key`.
    /// - Throws: `AutoMLError.malformedRecord` naming the key and line.
    static func read(_ data: Data, key: String) throws(AutoMLError) -> Campaign {
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n")
        guard lines.first == Substring(header) else { throw .malformedRecord(key: key, problem: "expected the header \"\(header)\"") }
        var customers: [Int32] = [], scores: [Double] = []
        for (index, line) in lines.enumerated().dropFirst() {
            // rank,customer_id,score: a comma inside the score would not read as a number.
            guard let first = line.firstIndex(of: ","), let second = line[line.index(after: first)...].firstIndex(of: ","),
                  let customer = Int32(line[line.index(after: first)..<second]), let score = Double(line[line.index(after: second)...])
            else {
                throw .malformedRecord(key: key, problem: "line \(index + 1) is not rank,customer_id,score")
            }
            customers.append(customer)
            scores.append(score)
        }
        return Campaign(customers: customers, scores: scores)
    }
}
