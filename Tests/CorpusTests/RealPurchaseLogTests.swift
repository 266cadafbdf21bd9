import Corpus
import Determinism
import Foundation
import Testing

/// Checks on the real CDNOW purchase log, pinned with Python on the verified file. `make test`
/// fetches it first, so CI always runs these; without the cache they are skipped.
@Suite("The real CDNOW purchase log", .enabled(if: RealPurchaseLog.url != nil, RealPurchaseLog.skipMessage))
struct RealPurchaseLogTests {
    @Test("every line parses, with the published counts, dates and total")
    func publishedFigures() throws {
        let purchases = try PurchaseLog.load(RealPurchaseLog.url!)
        #expect(purchases.count == 69_659)
        #expect(Set(purchases.map(\.customer)).count == 23_570)
        #expect(purchases.map(\.customer).min() == 1 && purchases.map(\.customer).max() == 23_570)
        #expect(purchases.map(\.day).min() == Int32(CivilCalendar.days(year: 1997, month: 1, day: 1)))
        #expect(purchases.map(\.day).max() == Int32(CivilCalendar.days(year: 1998, month: 6, day: 30)))
        #expect(purchases.reduce(0) { $0 + $1.cents } == 250_031_563)
        #expect(purchases.map(\.cds).min() == 1 && purchases.map(\.cds).max() == 99)
        #expect(purchases.count { $0.cents == 0 } == 80)
    }

    @Test("rows stay in file order")
    func fileOrder() throws {
        let purchases = try PurchaseLog.load(RealPurchaseLog.url!)
        #expect(purchases.first == Purchase(customer: 1, day: 9862, cds: 1, cents: 1177))
        #expect(purchases.last == Purchase(customer: 23_570, day: Int32(CivilCalendar.days(year: 1997, month: 3, day: 26)), cds: 2, cents: 4296))
    }
}

enum RealPurchaseLog {
    /// The verified cached CDNOW file, if there is one.
    static let url: URL? = {
        let url = CorpusCache.fromEnvironment().verifiedFile(for: .cdnow)
        if url == nil { print("⚠️  \(skipMessage)") }
        return url
    }()

    static let skipMessage: Comment = "SKIPPED: the CDNOW purchase log is not cached. Run `rehearse data fetch cdnow` (or `make test`, which fetches it) to run the checks on the real purchases."
}
