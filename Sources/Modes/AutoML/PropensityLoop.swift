import Foundation
import JSON
import LocalCloud
import ModelCore
import Synchronization

/// The weekly propensity-to-buy job: at each run it reads the exports delivered so far,
/// records how earlier campaigns did, retrains per each policy, and writes this week's
/// campaign. See `PropensityLoopSettings` for the objects it reads and writes.
///
/// The bucket is the loop's memory: a run reads back what earlier runs wrote (campaigns,
/// outcomes, the registry and its history), so runs can happen in other processes, late, or
/// twice — a week whose record exists is not run again. In-process caches (parsed exports,
/// snapshots) only save work. A run that fails writes an alert and nothing else.
public final class PropensityLoop: Sendable {
    /// The loop's settings.
    public let settings: PropensityLoopSettings
    private let store: any ObjectStore
    private let history: Mutex<PurchaseHistory>

    /// A loop over `store`.
    public init(store: any ObjectStore, settings: PropensityLoopSettings) {
        self.store = store
        self.settings = settings
        history = Mutex(PurchaseHistory(calendar: settings.calendar))
    }

    /// The registry the loop's models live in.
    public var registry: ModelRegistry { ModelRegistry(store: store, bucket: settings.bucket) }

    /// Runs the job of `week`, fired at `at`; returns what each policy did (nothing for a week
    /// outside the campaign, or one that has already run).
    /// - Throws: `AutoMLError` (after writing an alert object), or the store's error.
    @discardableResult
    public func run(week: Int, at: Instant) throws -> [WeekRecord] {
        do {
            return try history.withLock { history in
                try deliverExports(before: week, into: &history)
                history.prepareLabelledWeeks(through: week - 1)
                let records = try settings.policies.compactMap { policy in
                    try PolicyWeek(loop: self, policy: policy, week: week, at: at).run(history: &history)
                }
                try writeFeatures(week: week, history: &history)
                return records
            }
        } catch {
            try writeAlert(week: week, at: at, error: error)
            throw error
        }
    }

    /// Reads every export before `week` that is not read yet.
    private func deliverExports(before week: Int, into history: inout PurchaseHistory) throws {
        for earlier in 0..<max(week, 0) where !history.has(week: earlier) {
            let key = settings.exportKey(week: earlier)
            let data: Data
            do {
                data = try store.get(bucket: settings.bucket, key: key).data
            } catch ObjectStoreError.objectNotFound {
                throw AutoMLError.missingExport(key: key, week: earlier)
            }
            history.deliver(week: earlier, purchases: try WeeklyExport.parse(data, key: key, week: earlier, calendar: settings.calendar))
        }
    }

    /// `features/<date>.csv` of a campaign week, when the settings ask for it and it is not
    /// written yet.
    private func writeFeatures(week: Int, history: inout PurchaseHistory) throws {
        let key = settings.featuresKey(week: week)
        guard settings.writesFeatures, (settings.firstCampaignWeek...settings.lastWeek).contains(week),
              try object(key) == nil, let snapshot = try history.snapshot(week: week)
        else { return }
        try putData(FeaturesCSV.write(snapshot), key: key, contentType: "text/csv")
    }

    /// `<prefix>alerts/<date>.json`: the week, the time and the error, for whoever is on call.
    private func writeAlert(week: Int, at: Instant, error: any Error) throws {
        let alert: JSONValue = [
            "week": .integer(week), "date": .string(settings.calendar.dateText(ofWeek: week)),
            "at": .string(at.iso8601), "error": .string("\(error)"),
        ]
        try store.put(Data(alert.canonicalText.utf8), bucket: settings.bucket,
                      key: settings.prefix + "alerts/" + settings.calendar.dateText(ofWeek: week) + ".json",
                      options: PutOptions(contentType: "application/json"))
    }

    /// Writes `value` as canonical JSON at `key`.
    func putJSON(_ value: some Encodable, key: String) throws {
        try store.put(Data(try JSONValue(encoding: value).canonicalText.utf8), bucket: settings.bucket, key: key,
                      options: PutOptions(contentType: "application/json"))
    }

    /// Writes `data` at `key`.
    func putData(_ data: Data, key: String, contentType: String) throws {
        try store.put(data, bucket: settings.bucket, key: key, options: PutOptions(contentType: contentType))
    }

    /// The object at `key`, nil when there is none.
    func object(_ key: String) throws -> Data? {
        do { return try store.get(bucket: settings.bucket, key: key).data } catch ObjectStoreError.objectNotFound { return nil }
    }

    /// The keys under `prefix`, ascending.
    func keys(under prefix: String) throws -> [String] {
        try store.listAll(bucket: settings.bucket, prefix: prefix).map(\.key)
    }
}
