import Determinism
import Foundation

/// Reads a weekly export written the way `WeeklyExport.encode` writes one — the header, then
/// lines of `digits,yyyy-mm-dd,digits,digits[.d[d]]`, each ending in `\n` — byte by byte, without
/// building strings.
///
/// It accepts only what `WeeklyExport.parse` accepts and gives the same purchases; any other
/// byte, an empty line, a value out of range or a date outside the week makes it give up (nil),
/// and the caller then reads the export the thorough way, which names the problem.
enum CanonicalExportScanner {
    /// The purchases of an export of the week starting on `firstDay`, or nil if the bytes are
    /// not in the canonical form.
    static func purchases(_ data: Data, firstDay: Int32) -> [PurchaseRecord]? {
        data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            let header = Array((WeeklyExport.header + "\n").utf8)
            guard bytes.count >= header.count, zip(bytes, header).allSatisfy({ $0 == $1 }) else { return nil }
            var purchases: [PurchaseRecord] = []
            var position = header.count
            /// The digits from `position` up to `terminator` (consumed) as a number, nil unless
            /// there are 1 to `maxDigits` of them.
            func number(upTo terminator: UInt8, maxDigits: Int) -> Int64? {
                var value: Int64 = 0
                let start = position
                while position < bytes.count, bytes[position] != terminator {
                    let digit = bytes[position] &- UInt8(ascii: "0")
                    guard digit < 10, position - start < maxDigits else { return nil }
                    value = value * 10 + Int64(digit)
                    position += 1
                }
                guard position > start, position < bytes.count else { return nil }
                position += 1
                return value
            }
            while position < bytes.count {
                guard let customer = number(upTo: UInt8(ascii: ","), maxDigits: 10), customer <= Int64(Int32.max) else { return nil }
                let dateStart = position
                guard let year = number(upTo: UInt8(ascii: "-"), maxDigits: 4), let month = number(upTo: UInt8(ascii: "-"), maxDigits: 2),
                      let dayOfMonth = number(upTo: UInt8(ascii: ","), maxDigits: 2), position - dateStart == 11,
                      (1...12).contains(month), (1...Int64(CivilCalendar.daysInMonth(year: Int(year), month: Int(month)))).contains(dayOfMonth),
                      let items = number(upTo: UInt8(ascii: ","), maxDigits: 9), items > 0,
                      let cents = Self.cents(&position, bytes)
                else { return nil }
                let day = Int32(CivilCalendar.days(year: Int(year), month: Int(month), day: Int(dayOfMonth)))
                guard day >= firstDay, day < firstDay + 7 else { return nil }
                purchases.append(PurchaseRecord(customer: Int32(customer), day: day, items: Int32(items), cents: cents))
            }
            return purchases
        }
    }

    /// `12`, `12.5` or `12.50` then `\n`, as cents (at most 12 whole digits).
    private static func cents(_ position: inout Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        var whole: Int64 = 0, wholeDigits = 0
        while position < bytes.count, case let digit = bytes[position] &- UInt8(ascii: "0"), digit < 10 {
            guard wholeDigits < 12 else { return nil }
            whole = whole * 10 + Int64(digit)
            wholeDigits += 1
            position += 1
        }
        guard wholeDigits > 0, position < bytes.count else { return nil }
        var fraction: Int64 = 0
        if bytes[position] == UInt8(ascii: ".") {
            position += 1
            var fractionDigits = 0
            while position < bytes.count, case let digit = bytes[position] &- UInt8(ascii: "0"), digit < 10 {
                guard fractionDigits < 2 else { return nil }
                fraction = fraction * 10 + Int64(digit)
                fractionDigits += 1
                position += 1
            }
            guard fractionDigits > 0 else { return nil }
            if fractionDigits == 1 { fraction *= 10 }
        }
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\n") else { return nil }
        position += 1
        return whole * 100 + fraction
    }
}
