import Foundation
import Synchronization

/// Counts every cloud operation by kind, for reports and cost estimates of a dry run.
///
/// Thread-safe; counts only grow. One ledger is usually shared by all the drivers of a sandbox.
public final class OperationLedger: Sendable {
    private let counts = Mutex<[OperationKind: Int64]>([:])

    public init() {}

    /// Adds `amount` (default 1) to the count for `kind`.
    public func record(_ kind: OperationKind, _ amount: Int64 = 1) {
        guard amount != 0 else { return }
        counts.withLock { $0[kind, default: 0] += amount }
    }

    /// The current count for `kind` (0 if never recorded).
    public func count(_ kind: OperationKind) -> Int64 { counts.withLock { $0[kind, default: 0] } }

    /// A consistent copy of all non-zero counts, sorted by kind name.
    public func snapshot() -> LedgerSnapshot {
        let copy = counts.withLock { $0 }
        return LedgerSnapshot(entries: copy.filter { $0.value != 0 }
            .map { LedgerSnapshot.Entry(kind: $0.key, count: $0.value) }
            .sorted { $0.kind < $1.kind })
    }
}

/// A point-in-time copy of a ledger's counts, sorted by kind name.
public struct LedgerSnapshot: Sendable, Equatable, Codable {
    /// One counted kind.
    public struct Entry: Sendable, Equatable, Codable {
        public let kind: OperationKind
        public let count: Int64
    }

    /// The non-zero counts, sorted by `kind.rawValue`.
    public let entries: [Entry]

    /// The count for `kind`, 0 if it was never recorded.
    public subscript(kind: OperationKind) -> Int64 {
        entries.first { $0.kind == kind }?.count ?? 0
    }

    /// The counts keyed by report name (`object.writes`, …), for JSON encoding with sorted keys.
    public var dictionary: [String: Int64] {
        Dictionary(uniqueKeysWithValues: entries.map { ($0.kind.rawValue, $0.count) })
    }
}
