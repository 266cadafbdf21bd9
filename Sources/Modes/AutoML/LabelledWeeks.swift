import Determinism
import ModelCore

/// The training rows of a run of weeks, in the trainer's form: each eligible customer of each
/// week, labelled by whether they bought that week, with the running hash of their
/// `TrainingDataSummary`. Extended a week at a time, so the loop's retrains on a growing window
/// (weeks 1 to t − 1, then 1 to t) copy, hash and sum each week's rows once.
struct LabelledWeeks {
    /// The first week of the run.
    let firstWeek: Int
    /// The last week of the run (`firstWeek - 1` while it holds none).
    private(set) var lastWeek: Int
    /// One row of `CustomerFeatures` per eligible customer per week, week after week, each
    /// labelled by whether its customer bought during its week.
    private(set) var rows = TabularTrainingData(schema: CustomerFeatures.schema, seriesStep: CustomerFeatures.weeklyStep)
    private var hasher = TrainingDataSummary.TableHasher(schema: CustomerFeatures.schema)
    /// The summary's hash of the rows up to the end of each week so far, by their number.
    private var prefixHashes: [Int: String] = [:]

    /// An empty run starting at `firstWeek`.
    init(firstWeek: Int) {
        self.firstWeek = firstWeek
        lastWeek = firstWeek - 1
    }

    /// Appends the week after `lastWeek`: its snapshot's rows, labelled with its `buyers`
    /// (ascending).
    mutating func append(_ snapshot: WeekSnapshot, buyers: [Int32]) {
        precondition(snapshot.week == lastWeek + 1, "weeks are appended in order")
        let labels = snapshot.bought(buyers)
        // The summary's hash and the trainer's rows read the same rows independently: the hash
        // is taken on another core meanwhile.
        let hashing = BackgroundWork { [hasher] in
            var hasher = hasher
            hasher.add(snapshot.features, labels: labels)
            return hasher
        }
        rows.append(snapshot.features, labels: labels, series: snapshot.customers)
        hasher = hashing.value()
        prefixHashes[rows.rowCount] = hasher.summary(source: "").sha256
        lastWeek = snapshot.week
    }

    /// The summary's hash of the first `count` rows, when they end a week: what a model trained
    /// on those weeks records as its training data's hash.
    func hash(ofFirst count: Int) -> String? { prefixHashes[count] }

    /// The summary of the rows so far, from `source`.
    func summary(source: String) -> TrainingDataSummary {
        hasher.summary(source: source)
    }
}
