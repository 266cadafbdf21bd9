import Determinism
import Foundation

/// Arrival offsets of a non-homogeneous Poisson process whose rate is piecewise constant:
/// the base rate, times the multipliers of the bursts in force.
///
/// Exact by inversion: each gap draws E ~ Exp(1) from SplitMix64 (E = −ln U), then walks
/// forward through the rate's pieces, spending rate × length of each piece, until E is spent.
/// Offsets are whole nanoseconds from the stream's start and never decrease.
struct ArrivalProcess {
    /// Where the rate changes: piece i runs from `boundaries[i]` (ns) to `boundaries[i + 1]`
    /// (the last piece for ever) at `rates[i]` tweets per nanosecond.
    private let boundaries: [Double]
    private let rates: [Double]
    private var random: SplitMix64
    private var time: Double = 0
    private var piece = 0

    init(settings: ArrivalSettings) {
        var cuts: Set<Double> = [0]
        for burst in settings.bursts {
            cuts.insert(Self.nanoseconds(burst.start))
            cuts.insert(Self.nanoseconds(burst.start + burst.duration))
        }
        boundaries = cuts.sorted()
        rates = boundaries.map { start in
            let multiplier = settings.bursts.reduce(1.0) { product, burst in
                let from = Self.nanoseconds(burst.start)
                let to = Self.nanoseconds(burst.start + burst.duration)
                return from <= start && start < to ? product * burst.multiplier : product
            }
            return settings.rate * multiplier / 1e9
        }
        random = SplitMix64(seed: SplitMix64.mix(settings.seed ^ 0x6172_7269_7661_6C73))
    }

    /// The next arrival's offset from the start, in nanoseconds.
    mutating func next() -> Int64 {
        var remaining = -log(Self.unit(random.next()))
        while true {
            let end = piece + 1 < boundaries.count ? boundaries[piece + 1] : .infinity
            let capacity = rates[piece] * (end - time)
            if remaining <= capacity {
                time += remaining / rates[piece]
                return Int64(time.rounded(.down))
            }
            remaining -= capacity
            time = end
            piece += 1
        }
    }

    /// A uniform number in (0, 1] from 64 random bits (53 of them used), never 0 so its log is finite.
    static func unit(_ bits: UInt64) -> Double {
        (Double(bits >> 11) + 1) / 9_007_199_254_740_992
    }

    static func nanoseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) * 1e9 + Double(attoseconds / 1_000_000_000)
    }
}
