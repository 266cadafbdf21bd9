import Determinism
import Foundation

/// Reads a purchase log in the format of the CDNOW master file (`DataSet.cdnow`).
///
/// One purchase a line: four fields separated by spaces or tabs, with any spaces or tabs before
/// and after them ignored:
/// - `customer_id`: digits (zero-padded in the CDNOW file: `00001`);
/// - `date`: `yyyymmdd`, a valid Gregorian date;
/// - `number_of_cds`: a whole number, at least 1 (the CDNOW file has 1 to 99);
/// - `dollar_value`: a non-negative decimal with at most 2 places, such as `11.77`, `12` or
///   `0.5` (the CDNOW file always writes 2 places, and has 80 purchases of `0.00`).
///
/// Lines end with LF or CRLF, and blank lines are skipped. If the first line's first field starts
/// with a letter (`customer_id  date number_of_cds  dollar_value`), that line is a header and is
/// skipped; it must have four fields too. Anything else stops the reading with a
/// `PurchaseLogError` naming the file, the line and the field: no line is skipped silently.
public enum PurchaseLog {
    /// Every purchase in the file at `url`, in file order.
    /// - Throws: `PurchaseLogError` if the file cannot be read or a line is malformed.
    public static func load(_ url: URL) throws(PurchaseLogError) -> [Purchase] {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw .unreadable(file: url.path, reason: error.localizedDescription)
        }
        return try parse(data, file: url.path)
    }

    /// Every purchase in `bytes`, in order; `file` names the bytes in errors.
    /// - Throws: `PurchaseLogError` for the first malformed line.
    public static func parse(_ bytes: some Collection<UInt8>, file: String) throws(PurchaseLogError) -> [Purchase] {
        let parsed = bytes.withContiguousStorageIfAvailable { parse(buffer: $0, file: file) }
            ?? Array(bytes).withUnsafeBufferPointer { parse(buffer: $0, file: file) }
        return try parsed.get()
    }

    private static func parse(buffer: UnsafeBufferPointer<UInt8>, file: String) -> Result<[Purchase], PurchaseLogError> {
        Result { () throws(PurchaseLogError) in try purchases(in: buffer, file: file) }
    }

    /// The purchases of `bytes`, line by line; the first malformed line throws.
    private static func purchases(in bytes: UnsafeBufferPointer<UInt8>, file: String) throws(PurchaseLogError) -> [Purchase] {
        var purchases: [Purchase] = []
        purchases.reserveCapacity(bytes.count / 28)  // a CDNOW line is 28 bytes on average
        var position = 0
        var line = 0
        while position < bytes.count {
            line += 1
            var fields = LineFields()
            while position < bytes.count {
                let byte = bytes[position]
                if byte == newline {
                    position += 1
                    break
                }
                if isSeparator(byte, at: position, in: bytes) {
                    position += 1
                    continue
                }
                let fieldStart = position
                while position < bytes.count, !isSeparator(bytes[position], at: position, in: bytes) { position += 1 }
                fields.append(fieldStart..<position)
            }
            if fields.count == 0 { continue }
            guard fields.count == 4 else { throw .wrongFieldCount(file: file, line: line, found: fields.count) }
            if line == 1, isLetter(bytes[fields.ranges.0.lowerBound]) { continue }

            func bad(_ field: PurchaseLogError.Field, _ range: Range<Int>) -> PurchaseLogError {
                var value = String(decoding: bytes[range.prefix(32)], as: UTF8.self)
                if range.count > 32 { value += "…" }
                return .badValue(file: file, line: line, field: field, value: value)
            }
            let (customerField, dateField, cdsField, dollarField) = fields.ranges
            guard let customer = wholeNumber(bytes, customerField).flatMap(Int32.init(exactly:)) else { throw bad(.customerID, customerField) }
            guard let day = day(bytes, dateField) else { throw bad(.date, dateField) }
            guard let cds = wholeNumber(bytes, cdsField).flatMap(Int32.init(exactly:)), cds >= 1 else { throw bad(.numberOfCDs, cdsField) }
            guard let cents = cents(bytes, dollarField) else { throw bad(.dollarValue, dollarField) }
            purchases.append(Purchase(customer: customer, day: day, cds: cds, cents: cents))
        }
        return purchases
    }

    /// The fields of one line: where the first four are, and how many there are.
    private struct LineFields {
        var ranges = (0..<0, 0..<0, 0..<0, 0..<0)
        var count = 0

        mutating func append(_ range: Range<Int>) {
            switch count {
            case 0: ranges.0 = range
            case 1: ranges.1 = range
            case 2: ranges.2 = range
            case 3: ranges.3 = range
            default: break
            }
            count += 1
        }
    }

    /// The days since 1970-01-01 of a `yyyymmdd` field, or nil if it is not a valid date.
    private static func day(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int32? {
        guard range.count == 8, let value = wholeNumber(bytes, range).map(Int.init) else { return nil }
        let (year, month, day) = (value / 10_000, value / 100 % 100, value % 100)
        guard (1...12).contains(month), (1...CivilCalendar.daysInMonth(year: year, month: month)).contains(day) else { return nil }
        return Int32(CivilCalendar.days(year: year, month: month, day: day))
    }

    /// The cents of a `dollar_value` field (digits, then optionally `.` and one or two digits),
    /// or nil if it is anything else or more than 10^16 dollars.
    private static func cents(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int64? {
        let point = range.firstIndex { bytes[$0] == UInt8(ascii: ".") } ?? range.upperBound
        guard point - range.lowerBound <= 16, let dollars = wholeNumber(bytes, range.lowerBound..<point) else { return nil }
        guard point < range.upperBound else { return dollars * 100 }
        let fraction = point + 1..<range.upperBound
        guard (1...2).contains(fraction.count), let hundredths = wholeNumber(bytes, fraction) else { return nil }
        return dollars * 100 + (fraction.count == 1 ? hundredths * 10 : hundredths)
    }

    /// The value of a field of ASCII digits, or nil if it is empty, holds anything else or has
    /// more than 18 digits (so the value always fits).
    private static func wholeNumber(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int64? {
        guard !range.isEmpty, range.count <= 18 else { return nil }
        var value: Int64 = 0
        for index in range {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value &* 10 &+ Int64(digit)  // 18 digits cannot overflow
        }
        return value
    }

    private static let newline = UInt8(ascii: "\n")

    /// Whether the byte at `position` ends a field: a space, a tab, the LF ending the line, or a
    /// CR before that LF (or before the end of the input).
    private static func isSeparator(_ byte: UInt8, at position: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard byte <= UInt8(ascii: " ") else { return false }
        switch byte {
        case UInt8(ascii: " "), UInt8(ascii: "\t"), newline: return true
        case UInt8(ascii: "\r"): return position + 1 == bytes.count || bytes[position + 1] == newline
        default: return false
        }
    }

    private static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z") }
}
