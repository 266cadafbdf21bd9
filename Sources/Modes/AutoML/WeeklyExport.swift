import Foundation

/// The object an upstream system delivers each week: that week's purchases as CSV.
///
/// ```
/// customer_id,date,items,dollars
/// 1,1997-01-06,2,20.76
/// ```
/// One row per purchase, dates as `yyyy-mm-dd` within the export's week, items a positive
/// whole number, dollars a non-negative amount with at most two decimals. A week without
/// purchases is a header alone. Reading is strict: a bad row fails the whole export (naming
/// the key, line and field), since a model must never learn from half a week.
public enum WeeklyExport {
    /// The header line.
    static let header = "customer_id,date,items,dollars"

    /// The CSV bytes of `purchases`, in the order given.
    public static func encode(_ purchases: [PurchaseRecord]) -> Data {
        var text = header + "\n"
        text.reserveCapacity(32 * purchases.count + 40)
        for purchase in purchases {
            let cents = purchase.cents
            let fraction = cents % 100
            text += "\(purchase.customer),\(CampaignCalendar.dateText(ofDay: purchase.day)),\(purchase.items),\(cents / 100).\(fraction < 10 ? "0" : "")\(fraction)\n"
        }
        return Data(text.utf8)
    }

    /// The exports of weeks 0 to `lastWeek` of `purchases`, by week; purchases before week 1
    /// go to week 0's export, and those after `lastWeek` to none.
    public static func exports(of purchases: [PurchaseRecord], calendar: CampaignCalendar, lastWeek: Int) -> [Int: Data] {
        var weeks: [Int: [PurchaseRecord]] = [:]
        for purchase in purchases {
            let week = max(0, calendar.week(ofDay: purchase.day))
            if week <= lastWeek { weeks[week, default: []].append(purchase) }
        }
        return Dictionary(uniqueKeysWithValues: (0...max(lastWeek, 0)).map { ($0, encode(weeks[$0] ?? [])) })
    }

    /// The purchases in export `key`, which must all fall in `week` of `calendar`.
    /// - Throws: `AutoMLError.malformedExport` naming the key, the 1-based line and the field.
    public static func parse(_ data: Data, key: String, week: Int, calendar: CampaignCalendar) throws(AutoMLError) -> [PurchaseRecord] {
        if let purchases = CanonicalExportScanner.purchases(data, firstDay: calendar.startDay(ofWeek: week)) { return purchases }
        return try parseThoroughly(data, key: key, week: week, calendar: calendar)
    }

    /// `parse` for any bytes: line by line, field by field, naming the first problem.
    static func parseThoroughly(_ data: Data, key: String, week: Int, calendar: CampaignCalendar) throws(AutoMLError) -> [PurchaseRecord] {
        func fail(_ line: Int, _ problem: String) -> AutoMLError { .malformedExport(key: key, line: line, problem: problem) }
        guard let text = String(data: data, encoding: .utf8) else { throw fail(0, "the export is not valid UTF-8 text") }
        // "\r\n" is one Character in Swift, so lines end at either separator.
        var lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
        if lines.last == "" { lines.removeLast() }
        guard let first = lines.first else { throw fail(1, "the export is empty; expected the header \"\(header)\"") }
        guard first.trimmingSuffix("\r") == header else {
            throw fail(1, "expected the header \"\(header)\", found \"\(first.prefix(80))\"")
        }
        let firstDay = calendar.startDay(ofWeek: week)
        var purchases: [PurchaseRecord] = []
        purchases.reserveCapacity(lines.count - 1)
        for (index, rawLine) in lines.enumerated().dropFirst() {
            let number = index + 1
            let fields = rawLine.trimmingSuffix("\r").split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count == 4 else { throw fail(number, "expected 4 fields (\(header)), found \(fields.count)") }
            guard let customer = Int32(fields[0]), customer >= 0 else {
                throw fail(number, "customer_id \"\(fields[0])\" is not a whole number from 0 to 2147483647")
            }
            guard let day = CampaignCalendar.day(ofDateText: fields[1]) else {
                throw fail(number, "date \"\(fields[1])\" is not a valid yyyy-mm-dd date")
            }
            guard (firstDay..<firstDay + 7).contains(day) else {
                throw fail(number, "date \(fields[1]) is outside the export's week \(week) (\(CampaignCalendar.dateText(ofDay: firstDay)) to \(CampaignCalendar.dateText(ofDay: firstDay + 6)))")
            }
            guard let items = Int32(fields[2]), items > 0 else { throw fail(number, "items \"\(fields[2])\" is not a positive whole number") }
            guard let cents = Self.cents(fields[3]) else {
                throw fail(number, "dollars \"\(fields[3])\" is not a non-negative amount with at most two decimals")
            }
            purchases.append(PurchaseRecord(customer: customer, day: day, items: items, cents: cents))
        }
        return purchases
    }

    /// `12`, `12.5` or `12.50` as cents; nil for anything else (signs, exponents, 3 decimals).
    static func cents(_ text: Substring) -> Int64? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty, parts[0].count <= 12,
              parts[0].utf8.allSatisfy({ (48...57).contains($0) }), let whole = Int64(parts[0]) else { return nil }
        guard parts.count == 2 else { return whole * 100 }
        let fraction = parts[1]
        guard (1...2).contains(fraction.count), fraction.utf8.allSatisfy({ (48...57).contains($0) }), let value = Int64(fraction) else { return nil }
        return whole * 100 + (fraction.count == 1 ? value * 10 : value)
    }
}

extension Substring {
    /// The text without one trailing `suffix`, if it ends with it.
    fileprivate func trimmingSuffix(_ suffix: String) -> Substring {
        hasSuffix(suffix) ? dropLast(suffix.count) : self
    }
}
