import Foundation
import JSON
import LocalCloud

/// What a propensity loop has done so far, read back from its bucket: the weekly table, each
/// policy's model history, and a summary per policy. Captures, reports and the CLI use it.
public struct PropensityReport: Sendable {
    /// One policy's week: its record joined with its outcome, once known.
    public struct Row: Sendable {
        public var policy: String
        public var record: WeekRecord
        public var outcome: WeekOutcome?
        /// The baselines of the model that chose the campaign (nil for the heuristic).
        public var baselineHitRate: Double?
        public var baselineLift: Double?

        /// The row as one JSON object.
        public var json: JSONValue {
            var members: [String: JSONValue] = [
                "policy": .string(policy), "week": .integer(record.week), "date": .string(record.date), "at": .string(record.at), "eligible": .integer(record.eligible),
                "decision": .string(record.decision.rawValue), "reason": .string(record.reason),
                "model_version": record.modelVersion.map { .integer($0) } ?? .null,
            ]
            if let outcome {
                members["hits"] = .integer(outcome.hits)
                members["hit_rate"] = .number(outcome.hitRate)
                members["base_rate"] = .number(outcome.baseRate)
                members["lift"] = .number(outcome.lift)
            }
            if let baselineHitRate { members["baseline_hit_rate"] = .number(baselineHitRate) }
            if let baselineLift { members["baseline_lift"] = .number(baselineLift) }
            return .object(members)
        }
    }

    /// One policy over the whole run.
    public struct Summary: Sendable {
        public var policy: String
        /// Campaigns whose outcome is known.
        public var campaigns: Int
        /// Campaign customers who bought, over those campaigns.
        public var buyersReached: Int
        /// Mean hit rate and lift over those campaigns.
        public var meanHitRate: Double
        public var meanLift: Double
        /// Trainings after the first, and how many of them were promoted.
        public var retrains: Int
        public var promoted: Int

        /// The summary as one JSON object.
        public var json: JSONValue {
            [
                "policy": .string(policy), "campaigns": .integer(campaigns), "buyers_reached": .integer(buyersReached),
                "mean_hit_rate": .number(meanHitRate), "mean_lift": .number(meanLift),
                "retrains": .integer(retrains), "promoted": .integer(promoted),
            ]
        }
    }

    /// Every policy's weeks, in policy order, then week order.
    public let rows: [Row]
    /// Every policy's model history, in policy order, oldest first.
    public let retrains: [RetrainRecord]
    /// One summary per policy, in policy order.
    public let summaries: [Summary]

    /// Reads the report of the loop `settings` describes from `store`.
    public init(store: any ObjectStore, settings: PropensityLoopSettings) throws {
        let registry = ModelRegistry(store: store, bucket: settings.bucket)
        let decoder = JSONDecoder()
        func read<Value: Decodable>(_ type: Value.Type, key: String) throws -> Value? {
            let data: Data
            do { data = try store.get(bucket: settings.bucket, key: key).data } catch ObjectStoreError.objectNotFound { return nil }
            do { return try decoder.decode(type, from: data) } catch { throw AutoMLError.malformedRecord(key: key, problem: "\(error)") }
        }
        var rows: [Row] = [], retrains: [RetrainRecord] = [], summaries: [Summary] = []
        for policy in settings.policies {
            let modelName = settings.modelName(of: policy)
            let history = policy.usesModel ? try Self.history(of: modelName, registry: registry) : []
            let baselines = Dictionary(history.map { ($0.version, ($0.baselineHitRate, $0.baselineLift)) }) { first, _ in first }
            var policyRows: [Row] = []
            let listing = try store.list(bucket: settings.bucket, options: ListOptions(prefix: settings.prefix(of: policy) + "weeks/"))
            for object in listing.objects.sorted(by: { $0.key < $1.key }) {
                guard let record = try read(WeekRecord.self, key: object.key) else { continue }
                let outcome = try read(WeekOutcome.self, key: settings.key("outcomes", policy: policy, week: record.week, suffix: ".json"))
                let baseline = record.modelVersion.flatMap { baselines[$0] }
                policyRows.append(Row(policy: policy.name, record: record, outcome: outcome, baselineHitRate: baseline?.0, baselineLift: baseline?.1))
            }
            let outcomes = policyRows.compactMap(\.outcome)
            let count = Double(max(outcomes.count, 1))
            let later = history.dropFirst()
            summaries.append(Summary(
                policy: policy.name, campaigns: outcomes.count, buyersReached: outcomes.map(\.hits).reduce(0, +),
                meanHitRate: outcomes.map(\.hitRate).reduce(0, +) / count, meanLift: outcomes.map(\.lift).reduce(0, +) / count,
                retrains: later.count, promoted: later.filter { $0.outcome == "promoted" }.count))
            rows += policyRows
            retrains += history
        }
        self.rows = rows
        self.retrains = retrains
        self.summaries = summaries
    }

    /// The history of model `name`, oldest first (none before its first training).
    private static func history(of name: String, registry: ModelRegistry) throws -> [RetrainRecord] {
        try registry.history(name: name).enumerated().map { index, data in
            do { return try JSONDecoder().decode(RetrainRecord.self, from: data) } catch {
                throw AutoMLError.malformedRecord(key: ModelRegistry.historyKey(name, index + 1), problem: "\(error)")
            }
        }
    }
}
