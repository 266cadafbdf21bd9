import Corpus
import Determinism
import Foundation
import Testing

@Suite("The purchase log format")
struct PurchaseLogTests {
    @Test("a header, CRLF and LF endings, leading spaces, tabs and blank lines are read; rows stay in file order")
    func parsing() throws {
        let text = " customer_id  date number_of_cds  dollar_value\r\n"
            + " 00002 19970112  1   12.00\r\n"
            + " 00001 19970101  1   11.77  \r\n"
            + "\r\n"
            + "\t00003\t19980630 12 0.00\n"
            + "4 19960229 99 7.5\n"
            + "00005 19970102 3 8"
        let purchases = try PurchaseLog.parse(Array(text.utf8), file: "log.txt")
        #expect(purchases == [
            Purchase(customer: 2, day: 9873, cds: 1, cents: 1200),
            Purchase(customer: 1, day: 9862, cds: 1, cents: 1177),
            Purchase(customer: 3, day: 10407, cds: 12, cents: 0),
            Purchase(customer: 4, day: 9555, cds: 99, cents: 750),
            Purchase(customer: 5, day: 9863, cds: 3, cents: 800),
        ])
    }

    @Test("a file without a header, and an empty file, are read")
    func noHeader() throws {
        #expect(try PurchaseLog.parse(Array("00001 19970101 1 11.77\n".utf8), file: "log.txt") == [Purchase(customer: 1, day: 9862, cds: 1, cents: 1177)])
        #expect(try PurchaseLog.parse([UInt8](), file: "log.txt") == [])
        #expect(try PurchaseLog.parse(Array("customer_id date number_of_cds dollar_value\r\n".utf8), file: "log.txt") == [])
    }

    @Test("a bad value is an error naming the file, the line, the field and what it must be", arguments: [
        ("A0001 19970101 1 1.00", PurchaseLogError.Field.customerID, "A0001", "is not a customer number (digits only, at most 2147483647)"),
        ("-1 19970101 1 1.00", .customerID, "-1", "is not a customer number (digits only, at most 2147483647)"),
        ("2147483648 19970101 1 1.00", .customerID, "2147483648", "is not a customer number (digits only, at most 2147483647)"),
        ("1 19971332 1 1.00", .date, "19971332", "is not a valid yyyymmdd date"),
        ("1 19970229 1 1.00", .date, "19970229", "is not a valid yyyymmdd date"),
        ("1 19970100 1 1.00", .date, "19970100", "is not a valid yyyymmdd date"),
        ("1 19970001 1 1.00", .date, "19970001", "is not a valid yyyymmdd date"),
        ("1 1997011 1 1.00", .date, "1997011", "is not a valid yyyymmdd date"),
        ("1 1997-01-01 1 1.00", .date, "1997-01-01", "is not a valid yyyymmdd date"),
        ("1 19970101 0 1.00", .numberOfCDs, "0", "is not a positive whole number of CDs (1 to 2147483647)"),
        ("1 19970101 -2 1.00", .numberOfCDs, "-2", "is not a positive whole number of CDs (1 to 2147483647)"),
        ("1 19970101 1.5 1.00", .numberOfCDs, "1.5", "is not a positive whole number of CDs (1 to 2147483647)"),
        ("1 19970101 1 -1.00", .dollarValue, "-1.00", "is not a non-negative decimal with at most 2 places"),
        ("1 19970101 1 1.234", .dollarValue, "1.234", "is not a non-negative decimal with at most 2 places"),
        ("1 19970101 1 1.", .dollarValue, "1.", "is not a non-negative decimal with at most 2 places"),
        ("1 19970101 1 .50", .dollarValue, ".50", "is not a non-negative decimal with at most 2 places"),
        ("1 19970101 1 $1.00", .dollarValue, "$1.00", "is not a non-negative decimal with at most 2 places"),
        ("1 19970101 1 1.2.3", .dollarValue, "1.2.3", "is not a non-negative decimal with at most 2 places"),
        ("1 19970101 1 12345678901234567.00", .dollarValue, "12345678901234567.00", "is not a non-negative decimal with at most 2 places"),
    ])
    func badValue(line: String, field: PurchaseLogError.Field, value: String, expectation: String) {
        let text = "customer_id date number_of_cds dollar_value\r\n00001 19970101 1 11.77\r\n\(line)\r\n00002 19970101 1 1.00\r\n"
        let error = #expect(throws: PurchaseLogError.self) { try PurchaseLog.parse(Array(text.utf8), file: "log.txt") }
        #expect(error == .badValue(file: "log.txt", line: 3, field: field, value: value))
        #expect(error?.description == "log.txt:3: \(field.rawValue) \"\(value)\" \(expectation)")
    }

    @Test("a line without exactly four fields is an error naming the line, header included", arguments: [
        ("00001 19970101 1 11.77\n00002 19970101 1\n", 2, 3),
        ("00001 19970101 1 11.77\n\n00002 19970101 1 1.00 extra\n", 3, 5),
        ("customer_id,date,number_of_cds,dollar_value\n00001 19970101 1 11.77\n", 1, 1),
    ])
    func wrongFieldCount(text: String, line: Int, found: Int) {
        let error = PurchaseLogError.wrongFieldCount(file: "log.txt", line: line, found: found)
        #expect(throws: error) { try PurchaseLog.parse(Array(text.utf8), file: "log.txt") }
        #expect(error.description == "log.txt:\(line): expected 4 fields separated by spaces (customer_id date number_of_cds dollar_value), found \(found)")
    }

    @Test("a long bad value is cut in the error")
    func longValue() {
        let long = String(repeating: "9", count: 40)
        #expect(throws: PurchaseLogError.badValue(file: "log.txt", line: 1, field: .numberOfCDs, value: String(long.prefix(32)) + "…")) {
            try PurchaseLog.parse(Array("1 19970101 \(long) 1.00".utf8), file: "log.txt")
        }
    }

    @Test("a missing file is an error naming it")
    func missingFile() {
        let error = #expect(throws: PurchaseLogError.self) { try PurchaseLog.load(URL(fileURLWithPath: "/nonexistent/CDNOW_master.txt")) }
        #expect(error?.description.hasPrefix("cannot read purchase log /nonexistent/CDNOW_master.txt: ") == true)
    }
}

@Suite("Civil dates (days since 1970-01-01)")
struct CivilCalendarTests {
    @Test("dates convert both ways (values from Python's datetime)", arguments: [
        (1970, 1, 1, 0),
        (1969, 12, 31, -1),
        (1996, 2, 29, 9555),
        (1997, 1, 1, 9862),
        (1998, 6, 30, 10407),
        (2000, 2, 29, 11016),
        (1900, 3, 1, -25508),
    ])
    func pinned(year: Int, month: Int, day: Int, days: Int) {
        #expect(CivilCalendar.days(year: year, month: month, day: day) == days)
        let date = CivilCalendar.date(days: days)
        #expect(date.year == year && date.month == month && date.day == day)
    }

    @Test("every day from 1800 to 2200 round trips, follows the day before and parses from yyyymmdd")
    func roundTrip() throws {
        let first = CivilCalendar.days(year: 1800, month: 1, day: 1)
        let last = CivilCalendar.days(year: 2200, month: 12, day: 31)
        var previous = (year: 1799, month: 12, day: 31)
        var wrong: [String] = []
        var text = ""
        for days in first...last {
            let date = CivilCalendar.date(days: days)
            let nextDay = date.day == previous.day + 1 && date.month == previous.month && date.year == previous.year
            let nextMonth = date.day == 1 && previous.day == CivilCalendar.daysInMonth(year: previous.year, month: previous.month)
                && (date.year, date.month) == (previous.month == 12 ? (previous.year + 1, 1) : (previous.year, previous.month + 1))
            if CivilCalendar.days(year: date.year, month: date.month, day: date.day) != days || !(nextDay || nextMonth) {
                wrong.append("\(days): \(date) after \(previous)")
            }
            previous = date
            text += "1 \(date.year)\(date.month < 10 ? "0" : "")\(date.month)\(date.day < 10 ? "0" : "")\(date.day) 1 0\n"
        }
        #expect(wrong.isEmpty, "\(wrong.prefix(5))")
        let days = try PurchaseLog.parse(Array(text.utf8), file: "days.txt").map { Int($0.day) }
        #expect(days == Array(first...last))
    }

    @Test("leap years follow the Gregorian rule")
    func leapYears() {
        #expect(CivilCalendar.isLeapYear(1996) && CivilCalendar.isLeapYear(2000))
        #expect(!CivilCalendar.isLeapYear(1997) && !CivilCalendar.isLeapYear(1900))
        #expect(CivilCalendar.daysInMonth(year: 1996, month: 2) == 29 && CivilCalendar.daysInMonth(year: 1900, month: 2) == 28)
    }
}
