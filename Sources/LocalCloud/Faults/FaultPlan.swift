import Determinism
import Foundation
import Synchronization

/// The kinds of fault a `FaultPlan` can inject into the emulated cloud.
public enum FaultKind: String, Sendable, CaseIterable, Codable {
    /// An object-store operation fails with `ObjectStoreError.injectedFault` before doing anything.
    case objectStoreError = "object_store_error"
    /// An object-store operation is charged extra latency (see `FaultPlan.objectLatency`).
    case objectStoreLatency = "object_store_latency"
    /// A pulled message is handed out without a lease, so the next pull delivers it again.
    case duplicateDelivery = "duplicate_delivery"
    /// An ack reports success but is dropped, so the message comes back after its lease.
    case lostAck = "lost_ack"
    /// A publish fails with `MessageQueueError.injectedFault` and stores nothing.
    case publishFailure = "publish_failure"
}

/// A seeded plan of faults that the drivers consult before each operation.
///
/// Each decision is a pure function of the seed, the fault kind, the subject (an object key, a
/// message id, a topic) and how many times that kind and subject were asked about before. So the
/// same seed gives the same faults on every run, and — because subjects are counted separately —
/// independently of how threads interleave operations on different subjects. Thread-safe.
public final class FaultPlan: Sendable {
    /// The seed the plan was made with.
    public let seed: UInt64
    /// The probability (0…1) of each kind of fault per operation; missing kinds never happen.
    public let rates: [FaultKind: Double]
    /// The latency charged when a `.objectStoreLatency` fault fires.
    public let objectLatency: Duration

    /// How many times each kind and subject was asked about.
    private let occurrences = Mutex<[String: UInt64]>([:])
    private let injected = Mutex<[FaultKind: Int]>([:])

    /// A plan that injects each kind of fault with the given probability.
    public init(seed: UInt64, rates: [FaultKind: Double], objectLatency: Duration = .milliseconds(200)) {
        self.seed = seed
        self.rates = rates
        self.objectLatency = objectLatency
    }

    /// A plan that never injects anything.
    public static let none = FaultPlan(seed: 0, rates: [:])

    /// Whether a fault of `kind` fires for this operation on `subject`.
    public func shouldInject(_ kind: FaultKind, subject: String) -> Bool {
        guard let rate = rates[kind], rate > 0 else { return false }
        let name = kind.rawValue + "\u{0}" + subject
        let occurrence: UInt64 = occurrences.withLock { occurrences in
            let count = occurrences[name, default: 0]
            occurrences[name] = count + 1
            return count
        }
        let draw = SplitMix64.mix(stableHash(name, seed: seed) &+ occurrence &* 0x9E37_79B9_7F4A_7C15)
        let fires = Double(draw >> 11) / Double(1 << 53) < rate
        if fires { injected.withLock { $0[kind, default: 0] += 1 } }
        return fires
    }

    /// How many faults of each kind have fired so far.
    public var injectedCounts: [FaultKind: Int] { injected.withLock { $0 } }
}
