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
            CanonicalNumber.appendInteger(index + 1, to: &bytes)
            bytes.append(UInt8(ascii: ","))
            CanonicalNumber.appendInteger(Int(customer), to: &bytes)
            bytes.append(UInt8(ascii: ","))
            CanonicalNumber.append(score, to: &bytes)
            bytes.append(UInt8(ascii: "\n"))
        }
        return Data(bytes)
    }

    /// The campaign in object `key`.
    /// - Throws: `AutoMLError.malformedRecord` naming the key and line.
    static func read(_ data: Data, key: String) throws(AutoMLError) -> Campaign {
        // Lines as bytes: splitting the text into characters would cost more than the campaign.
        let lines = [UInt8](data).split(separator: UInt8(ascii: "\n"))
        guard let first = lines.first, first.elementsEqual(header.utf8) else {
            throw .malformedRecord(key: key, problem: "expected the header \"\(header)\"")
        }
        var customers: [Int32] = [], scores: [Double] = []
        customers.reserveCapacity(lines.count - 1)
        scores.reserveCapacity(lines.count - 1)
        for (index, line) in lines.enumerated().dropFirst() {
            // rank,customer_id,score: a comma inside the score would not read as a number.
            let comma = UInt8(ascii: ",")
            guard let first = line.firstIndex(of: comma), let second = line[(first + 1)...].firstIndex(of: comma),
                  let customer = Int32(String(decoding: line[(first + 1)..<second], as: UTF8.self)),
                  let score = Double(String(decoding: line[(second + 1)...], as: UTF8.self))
            else {
                throw .malformedRecord(key: key, problem: "line \(index + 1) is not rank,customer_id,score")
            }
            customers.append(customer)
            scores.append(score)
        }
        return Campaign(customers: customers, scores: scores)
    }
}
