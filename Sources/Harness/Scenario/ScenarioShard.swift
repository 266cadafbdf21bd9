import Determinism

/// One of N deterministic parts of a scenario suite, for fanning a large suite out over
/// machines (`rehearse run --shard K/N`).
///
/// A scenario belongs to part `FNV-1a-64(UTF-8 name) mod N + 1`. The hash is fixed by its
/// published constants (never Swift's per-process seeded `Hasher`), so the same N always gives
/// the same parts, on every machine and in every run, and the N parts together hold every
/// scenario exactly once. Adding a scenario never moves another one to a different part.
public struct ScenarioShard: Sendable, Equatable, CustomStringConvertible {
    /// K: which part, from 1 to `count`.
    public let index: Int
    /// N: how many parts.
    public let count: Int

    /// Part `index` of `count`.
    /// - Throws: ``ShardError`` unless `count` ≥ 1 and 1 ≤ `index` ≤ `count`.
    public init(index: Int, count: Int) throws(ShardError) {
        guard count >= 1 else { throw ShardError("\(index)/\(count): N must be at least 1") }
        guard (1...count).contains(index) else { throw ShardError("\(index)/\(count): K must be from 1 to \(count)") }
        self.index = index
        self.count = count
    }

    /// Reads `K/N`, such as `2/4`.
    /// - Throws: ``ShardError`` naming what is wrong with `text`.
    public init(parsing text: String) throws(ShardError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else {
            throw ShardError("\"\(text)\" is not K/N; write two whole numbers such as 2/4 (the second of four parts)")
        }
        try self.init(index: index, count: count)
    }

    /// The part (1…N) a scenario name belongs to when the suite is split in `count` parts.
    public static func part(of name: String, count: Int) -> Int {
        Int(FNV1a.hash(name.utf8) % UInt64(count)) + 1
    }

    /// Whether the scenario (or golden folder) `name` is in this part.
    public func contains(_ name: String) -> Bool {
        Self.part(of: name, count: count) == index
    }

    /// `K/N`.
    public var description: String { "\(index)/\(count)" }
}

/// A `--shard` value that is not K/N with 1 ≤ K ≤ N.
public struct ShardError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong.
    public let description: String

    init(_ description: String) { self.description = description }
}
