import Corpus
import Foundation
import JSON
import LocalCloud
import Modes
import Testing

/// A small seeded world: 400 customers over 20 weeks whose buying flips at week 10.
private struct World {
    let fixture: StoreFixture
    let settings: PropensityLoopSettings
    let purchases: [Purchase]
    let loop: PropensityLoop

    init(policies: [PropensityPolicy] = [.never, .rule(RetrainRule(trainOn: .lastWeeks(1)))], seed: UInt64 = 5, customers: Int = 400,
         writesFeatures: Bool = false, tamper: (inout [Int: [PurchaseRecord]]) -> Void = { _ in }) throws {
        fixture = try StoreFixture()
        var generator = DriftingPurchases(firstMonday: CampaignCalendar.cdnow.firstMonday)
        generator.seed = seed
        generator.customers = customers
        generator.weeks = 20
        generator.driftWeek = 10
        purchases = generator.purchases()
        settings = PropensityLoopSettings(bucket: "data", campaignSize: 40, trainingWeeks: 4, lastWeek: 20, policies: policies,
                                          writesFeatures: writesFeatures)
        var weeks: [Int: [PurchaseRecord]] = [:]
        for purchase in purchases {
            weeks[max(0, settings.calendar.week(ofDay: purchase.day)), default: []]
                .append(PurchaseRecord(customer: purchase.customer, day: purchase.day, items: purchase.cds, cents: purchase.cents))
        }
        tamper(&weeks)
        for week in 0...20 {
            try fixture.store.put(WeeklyExport.encode(weeks[week] ?? []), bucket: "data", key: settings.exportKey(week: week))
        }
        loop = PropensityLoop(store: fixture.store, settings: settings)
    }

    func run(through last: Int) throws {
        for week in 1...last { try loop.run(week: week, at: at(week)) }
    }

    func at(_ week: Int) -> Instant {
        Instant(secondsSinceEpoch: Int64(settings.calendar.startDay(ofWeek: week)) * 86_400 + 5 * 3_600)
    }

    /// Every object under the loop's prefix and the registry, with its bytes.
    func objects() throws -> [String: Data] {
        var all: [String: Data] = [:]
        for prefix in ["propensity/", "models/"] {
            for key in try fixture.keys(under: prefix) { all[key] = try fixture.store.get(bucket: "data", key: key).data }
        }
        return all
    }

    func buyers(week: Int) -> Set<Int32> {
        Set(purchases.filter { settings.calendar.week(ofDay: $0.day) == week }.map(\.customer))
    }
}

@Suite("The propensity loop on a seeded world with a known drift")
struct PropensityLoopTests {
    @Test("each outcome is the share of the campaign that bought that week, from the objects written")
    func outcomesMatchThePurchases() throws {
        let world = try World()
        try world.run(through: 21)
        let report = try PropensityReport(store: world.fixture.store, settings: world.settings)
        #expect(report.rows.count == 2 * 16)
        for row in report.rows {
            let outcome = try #require(row.outcome, "week \(row.record.week) of \(row.policy) has no outcome")
            let campaign = try world.fixture.text("propensity/\(row.policy)/campaigns/\(row.record.date).csv")
                .split(separator: "\n").dropFirst().map { Int32($0.split(separator: ",")[1])! }
            #expect(campaign.count == 40)
            let buyers = world.buyers(week: row.record.week)
            #expect(outcome.hits == campaign.filter(buyers.contains).count)
            #expect(outcome.hitRate == Double(outcome.hits) / 40)
        }
    }

    @Test("the rule notices the drift within three weeks, and its challenger is promoted; never keeps its model")
    func ruleCatchesTheDrift() throws {
        let world = try World()
        try world.run(through: 21)
        let report = try PropensityReport(store: world.fixture.store, settings: world.settings)
        let ruleTrainings = report.retrains.filter { $0.policy == "rule" }
        let afterDrift = try #require(ruleTrainings.first { $0.week >= 10 && $0.trigger == "rule" })
        #expect(afterDrift.week <= 13)
        #expect(afterDrift.outcome == "promoted")
        #expect(report.retrains.filter { $0.policy == "never" }.map(\.trigger) == ["initial"])
        let summaries = Dictionary(uniqueKeysWithValues: report.summaries.map { ($0.policy, $0) })
        #expect(Double(summaries["rule"]!.buyersReached) > 1.5 * Double(summaries["never"]!.buyersReached))
    }

    @Test("the batch job, given a week's features and the production model, scores each customer as the loop did")
    func batchJobRescoresTheFeatures() throws {
        // Enough customers that the scores are formatted in several pieces (of 4,096 rows).
        let world = try World(policies: [.never], customers: 12_000, writesFeatures: true)
        try world.run(through: 8)
        #expect(try world.fixture.keys(under: "propensity/features/").count == 4, "weeks 5–8 are campaign weeks")
        var loopScores: [String: Double] = [:]
        var customers: [Int32] = []
        let scoresText = try world.fixture.text(world.settings.key("scores", policy: .never, week: 8, suffix: ".csv"))
        #expect(scoresText.hasPrefix("customer_id,score\n") && scoresText.hasSuffix("\n"))
        for line in scoresText.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: ",")
            loopScores[String(fields[0])] = Double(fields[1])
            customers.append(Int32(fields[0])!)
        }
        #expect(customers == customers.sorted() && customers.count > 2 * 4_096, "every eligible customer once, ascending")
        let spec = BatchJobSpec(name: "rescore", bucket: "data", inputPrefix: world.settings.featuresKey(week: 8), outputPrefix: "rescored/",
                                idField: "customer_id", model: ModelReference(name: "propensity", aliasOrVersion: "production"))
        let summary = try BatchJob(store: world.fixture.store, spec: spec).run()
        #expect(summary.rows == loopScores.count && summary.rejected == 0 && loopScores.count == customers.count)
        let manifest = try BatchManifest(fileData: world.fixture.store.get(bucket: "data", key: "rescored/_MANIFEST.json").data)
        var matched = 0
        for line in try manifest.shards.map({ try world.fixture.text($0.key) }).joined().split(separator: "\n") {
            guard case .object(let members) = try JSONParser.parse(String(line)), case .string(let id)? = members["id"],
                  case .number(let score)? = members["score"], let loopScore = loopScores[id] else {
                Issue.record("unexpected line \(line)")
                continue
            }
            // Batch lines round to six decimals; the loop writes every digit.
            #expect(score == CanonicalNumber.rounded(loopScore, toDecimals: 6), "customer \(id)")
            matched += 1
        }
        #expect(matched == loopScores.count)
    }

    @Test("two runs write the same bytes; running a week again changes nothing")
    func deterministicAndIdempotent() throws {
        let first = try World()
        try first.run(through: 21)
        let second = try World()
        try second.run(through: 21)
        #expect(try first.objects() == second.objects())
        let before = try first.objects()
        #expect(try first.loop.run(week: 15, at: first.at(15)).isEmpty)
        #expect(try first.objects() == before)
    }

    @Test("a loop restarted midway, its training rows built anew, writes what one that ran throughout writes")
    func restartedLoopMatches() throws {
        let policies: [PropensityPolicy] = [.weekly, .rule(RetrainRule())]
        let throughout = try World(policies: policies)
        try throughout.run(through: 20)
        let restarted = try World(policies: policies)
        try restarted.run(through: 10)
        let fresh = PropensityLoop(store: restarted.fixture.store, settings: restarted.settings)
        for week in 11...20 { _ = try fresh.run(week: week, at: restarted.at(week)) }
        #expect(try restarted.objects() == throughout.objects())
    }

    /// How far a stopped run of a training week got before it was killed.
    enum StoppedAfter: CaseIterable {
        /// The model is registered; no history entry, the alias not moved.
        case registering
        /// The history entry is written; the alias not moved.
        case recordingHistory
        /// The alias is moved; the week's campaign and record not written.
        case movingTheAlias
    }

    @Test("a run killed in a training week, at any point before its record, resumes with no second training: the bucket ends as if never killed",
          arguments: StoppedAfter.allCases)
    func killedTrainingWeekResumes(stoppedAfter: StoppedAfter) throws {
        let policies: [PropensityPolicy] = [.weekly, .rule(RetrainRule(trainOn: .lastWeeks(1)))]
        let throughout = try World(policies: policies)
        try throughout.run(through: 20)
        let report = try PropensityReport(store: throughout.fixture.store, settings: throughout.settings)
        // The week the rule trains after the drift: both policies train then.
        let week = try #require(report.retrains.first { $0.policy == "rule" && $0.trigger == "rule" }).week

        let stopped = try World(policies: policies)
        try stopped.run(through: week - 1)
        let registry = ModelRegistry(store: stopped.fixture.store, bucket: "data")
        let championBefore = try policies.map { try registry.aliasVersion(name: stopped.settings.modelName(of: $0), alias: "production") }
        try stopped.run(through: week)
        for (policy, champion) in zip(policies, championBefore) {
            let settings = stopped.settings, name = settings.modelName(of: policy)
            for (kind, suffix) in [("weeks", ".json"), ("campaigns", ".csv"), ("scores", ".csv")] {
                try stopped.fixture.store.delete(bucket: "data", key: settings.key(kind, policy: policy, week: week, suffix: suffix))
            }
            guard stoppedAfter != .movingTheAlias else { continue }
            try registry.setAlias("production", name: name, version: try #require(champion))
            if stoppedAfter == .registering {
                let entries = try registry.history(name: name).count
                try stopped.fixture.store.delete(bucket: "data", key: ModelRegistry.historyKey(name, entries))
            }
        }

        let resumed = PropensityLoop(store: stopped.fixture.store, settings: stopped.settings)
        for later in week...20 { _ = try resumed.run(week: later, at: stopped.at(later)) }
        #expect(try stopped.objects() == throughout.objects())
    }

    @Test("every model the loop registers stores its Newton checkpoint, of the rows it learnt from, for the next training")
    func checkpoints() throws {
        let world = try World(policies: [.weekly])
        try world.run(through: 8)
        let registry = world.loop.registry
        let name = world.settings.modelName(of: .weekly)
        let versions = try registry.versions(name: name)
        #expect(versions.count == 4)  // weeks 5 to 8
        for version in versions {
            let model = try registry.resolveTabular(name: name, aliasOrVersion: String(version)).model
            let checkpoint = try #require(model.checkpoint, "version \(version)")
            #expect(checkpoint.rows == model.metadata.trainingData.rows, "version \(version)")
            #expect(checkpoint.means == model.classifier.means && checkpoint.scales == model.classifier.scales, "version \(version)")
        }
    }

    @Test("a week's campaign never sees that week's purchases")
    func noLeakage() throws {
        let plain = try World(policies: [.never])
        let changed = try World(policies: [.never]) { weeks in
            for week in 12...20 { weeks[week] = weeks[week]?.map { PurchaseRecord(customer: $0.customer, day: $0.day, items: $0.items, cents: $0.cents + 1_000) } }
            weeks[12]?.removeAll()
        }
        try plain.run(through: 12)
        try changed.run(through: 12)
        #expect(try plain.fixture.text("propensity/campaigns/1997-03-24.csv") == changed.fixture.text("propensity/campaigns/1997-03-24.csv"))
    }

    @Test("a malformed export stops the run with an alert and no model; a whole one later recovers")
    func malformedExport() throws {
        let world = try World()
        try world.run(through: 11)
        let key = world.settings.exportKey(week: 11)
        let good = try world.fixture.store.get(bucket: "data", key: key).data
        try world.fixture.store.put(good.prefix(good.count / 2) + Data("\n1,1997-13-01,1,1.00\n".utf8), bucket: "data", key: key)
        let before = try world.objects()
        #expect {
            try world.loop.run(week: 12, at: world.at(12))
        } throws: { error in
            "\(error)".contains("export \(key) line")
        }
        let alert = try world.fixture.text("propensity/alerts/1997-03-24.json")
        #expect(alert.contains("\"week\":12") && alert.contains(key))
        var after = try world.objects()
        after["propensity/alerts/1997-03-24.json"] = nil
        #expect(after == before)
        try world.fixture.store.put(good, bucket: "data", key: key)
        #expect(try world.loop.run(week: 12, at: world.at(12)).count == 2)
    }

    @Test("a campaign object broken by hand stops the next run, naming the object and its line")
    func malformedCampaign() throws {
        let world = try World(policies: [.never])
        try world.run(through: 5)
        let key = "propensity/campaigns/\(world.settings.calendar.dateText(ofWeek: 5)).csv"
        var lines = try world.fixture.text(key).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first == "rank,customer_id,score" && lines.count > 4)
        lines[3] = "3,not-a-customer,0.5"
        try world.fixture.store.put(Data(lines.joined(separator: "\n").utf8), bucket: "data", key: key)
        #expect(throws: AutoMLError.malformedRecord(key: key, problem: "line 4 is not rank,customer_id,score")) {
            try world.loop.run(week: 6, at: world.at(6))
        }
        try world.fixture.store.put(Data("rank,customer,score\n1,2,0.5\n".utf8), bucket: "data", key: key)
        #expect(throws: AutoMLError.malformedRecord(key: key, problem: "expected the header \"rank,customer_id,score\"")) {
            try world.loop.run(week: 6, at: world.at(6))
        }
    }

    @Test("a missing export is named")
    func missingExport() throws {
        let world = try World()
        try world.fixture.store.delete(bucket: "data", key: world.settings.exportKey(week: 3))
        #expect(throws: AutoMLError.missingExport(key: world.settings.exportKey(week: 3), week: 3)) {
            try world.loop.run(week: 5, at: world.at(5))
        }
    }
}
