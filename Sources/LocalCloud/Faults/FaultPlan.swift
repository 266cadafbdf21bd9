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
///
/// The seed and rates can be replaced while the cloud runs (`replace(seed:rates:)`, which
/// `rehearse cloud serve`'s `/_rehearsal/faults` calls); the drivers keep the same plan object.
public final class FaultPlan: Sendable {
    /// The latency charged when a `.objectStoreLatency` fault fires.
    public let objectLatency: Duration

    /// The seed and rates in force, and how many times each kind and subject was asked about
    /// under them.
    private struct Settings {
        var seed: UInt64
        var rates: [FaultKind: Double]
        var occurrences: [String: UInt64] = [:]
    }

    private let settings: Mutex<Settings>
    private let injected = Mutex<[FaultKind: Int]>([:])

    /// A plan that injects each kind of fault with the given probability.
    public init(seed: UInt64, rates: [FaultKind: Double], objectLatency: Duration = .milliseconds(200)) {
        settings = Mutex(Settings(seed: seed, rates: rates))
        self.objectLatency = objectLatency
    }

    /// A plan that never injects anything.
    public static var none: FaultPlan { FaultPlan(seed: 0, rates: [:]) }

    /// The seed in force.
    public var seed: UInt64 { settings.withLock { $0.seed } }

    /// The probability (0…1) of each kind of fault per operation; missing kinds never happen.
    public var rates: [FaultKind: Double] { settings.withLock { $0.rates } }

    /// Puts a new seed and new rates in force. Decisions start afresh, as in a new plan with
    /// that seed: the per-subject counts restart; `injectedCounts` keeps counting.
    /// - Precondition: every rate is within 0…1.
    public func replace(seed: UInt64, rates: [FaultKind: Double]) {
        precondition(rates.values.allSatisfy { (0...1).contains($0) }, "a fault rate is a probability from 0 to 1")
        settings.withLock { $0 = Settings(seed: seed, rates: rates) }
    }

    /// Whether a fault of `kind` fires for this operation on `subject`. The subject is made only
    /// when faults of `kind` can fire (a message queue asks once per message it delivers).
    public func shouldInject(_ kind: FaultKind, subject: @autoclosure () -> String) -> Bool {
        let draw: (name: String, seed: UInt64, rate: Double, occurrence: UInt64)? = settings.withLock { settings in
            guard let rate = settings.rates[kind], rate > 0 else { return nil }
            let name = kind.rawValue + "\u{0}" + subject()
            let count = settings.occurrences[name, default: 0]
            settings.occurrences[name] = count + 1
            return (name, settings.seed, rate, count)
        }
        guard let draw else { return false }
        let value = SplitMix64.mix(stableHash(draw.name, seed: draw.seed) &+ draw.occurrence &* 0x9E37_79B9_7F4A_7C15)
        let fires = Double(value >> 11) / Double(1 << 53) < draw.rate
        if fires { injected.withLock { $0[kind, default: 0] += 1 } }
        return fires
    }

    /// How many faults of each kind have fired so far.
    public var injectedCounts: [FaultKind: Int] { injected.withLock { $0 } }
}
