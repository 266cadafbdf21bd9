import Determinism

/// The columns of a table a `TabularClassifier` learns from: numeric columns, standardised
/// before training, and categorical columns, each hashed into `categoricalBuckets` buckets with
/// one weight per bucket.
///
/// A schema is always valid: its initialiser and its decoder refuse empty or repeated names, a
/// schema with no column, a bucket count outside 1…1024, and more than `maximumWeights` weights.
public struct TabularSchema: Sendable, Equatable, Codable {
    /// The numeric columns' names, in the order their values are given.
    public let numeric: [String]
    /// The categorical columns' names, in the order their values are given.
    public let categorical: [String]
    /// Hash buckets per categorical column.
    public let categoricalBuckets: Int

    /// The bucket count a schema gets unless told otherwise.
    public static let defaultCategoricalBuckets = 32
    /// The most buckets a categorical column may have.
    public static let maximumCategoricalBuckets = 1_024
    /// The most weights a model may have besides its bias (`weightCount`): training solves a
    /// dense linear system of that size at every Newton step.
    public static let maximumWeights = 1_024

    /// A schema with these columns.
    /// - Throws: `TabularDataError.invalidSchema` if a name is empty or repeated (across both
    ///   lists), there is no column, `categoricalBuckets` is outside 1…1024, or the schema needs
    ///   more than `maximumWeights` weights.
    public init(numeric: [String], categorical: [String] = [], categoricalBuckets: Int = defaultCategoricalBuckets) throws {
        self.numeric = numeric
        self.categorical = categorical
        self.categoricalBuckets = categoricalBuckets
        if let problem { throw TabularDataError.invalidSchema(problem) }
    }

    /// Weights besides the bias: one per numeric column, one per bucket of each categorical column.
    public var weightCount: Int { numeric.count + categorical.count * categoricalBuckets }

    /// The bucket a categorical value falls in: the 64-bit FNV-1a hash of its UTF-8 bytes,
    /// modulo `categoricalBuckets`. The same in every process and on every platform.
    public func bucket(ofCategory value: String) -> Int {
        Int(FNV1a.hash(value.utf8) % UInt64(categoricalBuckets))
    }

    /// What is wrong with this schema, or nil.
    private var problem: String? {
        let names = numeric + categorical
        if names.isEmpty { return "a table needs at least one column" }
        if names.contains("") { return "column names must not be empty" }
        var seen = Set<String>()
        for name in names where !seen.insert(name).inserted { return "column name \"\(name)\" appears more than once" }
        if !(1...Self.maximumCategoricalBuckets).contains(categoricalBuckets) {
            return "categorical_buckets must be from 1 to \(Self.maximumCategoricalBuckets), got \(categoricalBuckets)"
        }
        if weightCount > Self.maximumWeights {
            return "\(numeric.count) numeric and \(categorical.count) categorical columns of \(categoricalBuckets) buckets need more than \(Self.maximumWeights) weights"
        }
        return nil
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        numeric = try container.decode([String].self, forKey: .numeric)
        categorical = try container.decode([String].self, forKey: .categorical)
        categoricalBuckets = try container.decode(Int.self, forKey: .categoricalBuckets)
        if let problem {
            throw DecodingError.dataCorrupted(DecodingError.Context(codingPath: container.codingPath, debugDescription: "invalid table schema: \(problem)"))
        }
    }

    enum CodingKeys: String, CodingKey {
        case numeric, categorical, categoricalBuckets = "categorical_buckets"
    }
}
