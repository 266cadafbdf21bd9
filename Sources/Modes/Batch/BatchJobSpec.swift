/// What a batch job does: which inputs, which model, where the predictions go.
public struct BatchJobSpec: Sendable, Equatable {
    /// The job's name, used in summaries and reports.
    public var name: String
    /// The bucket holding the inputs and receiving the outputs.
    public var bucket: String
    /// Every object whose key starts with this is an input (objects under `outputPrefix` excepted).
    public var inputPrefix: String
    /// Where the run folders and the manifest go; a trailing `/` is added if missing.
    public var outputPrefix: String
    /// How inputs are read; `.auto` picks by each key's extension (`.jsonl`/`.ndjson` or CSV).
    public var format: BatchInputFormat
    /// The CSV column or JSON field holding the text to classify.
    public var textField: String
    /// The CSV column or JSON field holding the row id; nil ids rows as `<key>#<line>`.
    public var idField: String?
    /// The model to predict with.
    public var model: ModelReference
    /// The bucket of the model registry; nil means `bucket`.
    public var modelBucket: String?
    /// Prediction rows per output shard.
    public var shardRows: Int
    /// Texts longer than this many UTF-8 bytes (and JSON lines longer than four times it) are rejected.
    public var maxTextBytes: Int
    /// Worker threads; nil uses every core. Output bytes do not depend on it.
    public var threads: Int?

    /// A job spec; see each property for the defaults' meaning.
    public init(name: String, bucket: String, inputPrefix: String, outputPrefix: String,
                format: BatchInputFormat = .auto, textField: String = "text", idField: String? = "id",
                model: ModelReference, modelBucket: String? = nil, shardRows: Int = 100_000,
                maxTextBytes: Int = 4096, threads: Int? = nil) {
        self.name = name
        self.bucket = bucket
        self.inputPrefix = inputPrefix
        self.outputPrefix = outputPrefix.hasSuffix("/") ? outputPrefix : outputPrefix + "/"
        self.format = format
        self.textField = textField
        self.idField = idField
        self.model = model
        self.modelBucket = modelBucket
        self.shardRows = max(1, shardRows)
        self.maxTextBytes = max(1, maxTextBytes)
        self.threads = threads
    }

    /// The manifest's key: `<outputPrefix>_MANIFEST.json`.
    public var manifestKey: String { outputPrefix + BatchManifest.fileName }
}

/// How a batch job reads its input objects.
public enum BatchInputFormat: String, Sendable, Equatable, CaseIterable {
    /// By extension: `.jsonl` and `.ndjson` are JSON Lines, anything else CSV.
    case auto
    /// CSV with a header row (RFC 4180).
    case csv
    /// One JSON object per line.
    case jsonLines = "jsonl"

    /// The concrete format for an object key.
    func resolved(for key: String) -> BatchInputFormat {
        guard self == .auto else { return self }
        return key.hasSuffix(".jsonl") || key.hasSuffix(".ndjson") ? .jsonLines : .csv
    }
}

/// A model in the registry: its name and an alias or version (`sentiment@production`, `sentiment@2`).
public struct ModelReference: Sendable, Equatable, CustomStringConvertible {
    /// The registered model name.
    public var name: String
    /// An alias or a version number.
    public var aliasOrVersion: String

    /// A reference by name and alias or version.
    public init(name: String, aliasOrVersion: String) {
        self.name = name
        self.aliasOrVersion = aliasOrVersion
    }

    /// Parses `name@alias` or `name@version`; nil without exactly one `@` and text on both sides.
    public init?(_ text: String) {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
        self.init(name: String(parts[0]), aliasOrVersion: String(parts[1]))
    }

    /// `name@aliasOrVersion`.
    public var description: String { "\(name)@\(aliasOrVersion)" }
}
