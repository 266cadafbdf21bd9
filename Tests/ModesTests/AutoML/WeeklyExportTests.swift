import Determinism
import Foundation
import Modes
import Testing

@Suite("Weekly exports and the campaign calendar")
struct WeeklyExportTests {
    let calendar = CampaignCalendar.cdnow

    @Test("weeks start on Mondays from 1997-01-06; earlier days are week 0")
    func calendarWeeks() throws {
        let monday = try #require(CampaignCalendar.day(ofDateText: "1997-01-06"))
        #expect(calendar.week(ofDay: monday) == 1)
        #expect(calendar.week(ofDay: monday + 6) == 1)
        #expect(calendar.week(ofDay: monday + 7) == 2)
        #expect(calendar.week(ofDay: monday - 1) == 0)
        #expect(calendar.week(ofDay: monday - 7) == 0)
        #expect(calendar.week(ofDay: monday - 8) == -1)
        #expect(calendar.dateText(ofWeek: 13) == "1997-03-31")
        #expect(calendar.dateText(ofWeek: 77) == "1998-06-22")
        #expect(CampaignCalendar.day(ofDateText: "1997-02-29") == nil)
        #expect(throws: AutoMLError.notAMonday("1997-01-07")) { try CampaignCalendar(firstMonday: monday + 1) }
    }

    @Test("an export round-trips, cents exactly")
    func roundTrip() throws {
        let day = calendar.startDay(ofWeek: 3)
        let purchases = [PurchaseRecord(customer: 7, day: day, items: 2, cents: 2076),
                         PurchaseRecord(customer: 12, day: day + 6, items: 1, cents: 5),
                         PurchaseRecord(customer: 7, day: day + 1, items: 3, cents: 0)]
        let data = WeeklyExport.encode(purchases)
        #expect(String(decoding: data, as: UTF8.self).hasPrefix("customer_id,date,items,dollars\n7,1997-01-20,2,20.76\n12,1997-01-26,1,0.05\n"))
        #expect(try WeeklyExport.parse(data, key: "k", week: 3, calendar: calendar) == purchases)
    }

    @Test("an export with Windows line ends (CRLF) reads as the same purchases")
    func crlfLineEnds() throws {
        let day = calendar.startDay(ofWeek: 3)
        let purchases = [PurchaseRecord(customer: 7, day: day, items: 2, cents: 2076), PurchaseRecord(customer: 12, day: day + 6, items: 1, cents: 5)]
        let crlf = Data(String(decoding: WeeklyExport.encode(purchases), as: UTF8.self).replacingOccurrences(of: "\n", with: "\r\n").utf8)
        #expect(try WeeklyExport.parse(crlf, key: "k", week: 3, calendar: calendar) == purchases)
        #expect {
            try WeeklyExport.parse(Data("customer_id,date,items,dollars\r\n1,1997-01-20,2\r\n".utf8), key: "k", week: 3, calendar: calendar)
        } throws: { error in
            "\(error)".hasPrefix("export k line 2: expected 4 fields")
        }
    }

    @Test("a bad row names the key, the line and the field", arguments: [
        ("1,1997-01-20,2\n", "line 2: expected 4 fields"),
        ("x,1997-01-20,2,1.00\n", "line 2: customer_id \"x\""),
        ("1,1997-02-30,2,1.00\n", "line 2: date \"1997-02-30\" is not a valid"),
        ("1,1997-01-27,2,1.00\n", "line 2: date 1997-01-27 is outside the export's week 3 (1997-01-20 to 1997-01-26)"),
        ("1,1997-01-20,0,1.00\n", "line 2: items \"0\""),
        ("1,1997-01-20,1,1.005\n", "line 2: dollars \"1.005\""),
        ("1,1997-01-20,1,-1\n", "line 2: dollars \"-1\""),
    ])
    func badRows(row: String, message: String) {
        let data = Data(("customer_id,date,items,dollars\n" + row).utf8)
        #expect {
            try WeeklyExport.parse(data, key: "exports/1997-01-20.csv", week: 3, calendar: calendar)
        } throws: { error in
            "\(error)".hasPrefix("export exports/1997-01-20.csv \(message)")
        }
    }

    /// Exports that end in a newline are read by a byte scanner when they are in the canonical
    /// form, and by the line-and-field parser otherwise; without the final newline, always by the
    /// latter. So each export here, intact or with bytes changed, inserted or deleted (never the
    /// last), must give the same purchases or the same error both ways — unless the byte before
    /// the final newline ends a line itself, when dropping the newline drops a line.
    @Test("the fast scanner and the thorough parser agree on 20,000 exports, canonical and damaged")
    func scannerAgreesWithParser() throws {
        var random = SplitMix64(seed: 1202)
        let alphabet = Array("0123456789,-.\n\r+ x".utf8) + [0xC3, 0x00]
        let first = calendar.startDay(ofWeek: 3)
        var scanned = 0
        for round in 0..<20_000 {
            let purchases = (0..<random.nextIndex(below: 6)).map { _ in
                PurchaseRecord(customer: Int32(random.nextIndex(below: 30_000)), day: first + Int32(random.nextIndex(below: 8)) - (round % 50 == 0 ? 1 : 0),
                               items: Int32(random.nextIndex(below: 12)), cents: Int64(random.nextIndex(below: 200_000)))
            }
            var bytes = Array(WeeklyExport.encode(purchases))
            for _ in 0..<(round % 3 == 0 ? 0 : random.nextIndex(below: 3)) where bytes.count > 1 {
                let at = random.nextIndex(below: bytes.count - 1)
                let byte = alphabet[random.nextIndex(below: alphabet.count)]
                switch random.nextIndex(below: 3) {
                case 0: bytes[at] = byte
                case 1: bytes.insert(byte, at: at)
                default: bytes.remove(at: at)
                }
            }
            func read(_ data: [UInt8]) -> String {
                do { return "\(try WeeklyExport.parse(Data(data), key: "k", week: 3, calendar: calendar))" } catch { return "error: \(error)" }
            }
            guard bytes.count < 2 || ![UInt8(ascii: "\n"), UInt8(ascii: "\r")].contains(bytes[bytes.count - 2]) else { continue }
            let whole = read(bytes)
            #expect(whole == read(Array(bytes.dropLast())), "export \(String(decoding: bytes, as: UTF8.self).debugDescription)")
            if !whole.hasPrefix("error") { scanned += 1 }
        }
        #expect(scanned > 5_000)
    }

    @Test("a missing or wrong header is refused")
    func header() {
        #expect(throws: AutoMLError.self) { try WeeklyExport.parse(Data(), key: "k", week: 3, calendar: calendar) }
        #expect(throws: AutoMLError.self) { try WeeklyExport.parse(Data("id,date\n".utf8), key: "k", week: 3, calendar: calendar) }
    }
}
