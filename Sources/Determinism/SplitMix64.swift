/// SplitMix64, a small seeded random number generator (Steele, Lea and Flood, 2014).
///
/// Rehearsal never uses the system's random source: every random choice comes from a generator
/// seeded by a scenario or a command-line flag, so runs repeat exactly. The same seed gives the
/// same sequence on every platform and Swift version.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator whose sequence is fixed by `seed`.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return SplitMix64.mix(state)
    }

    /// The SplitMix64 output function: a bijective scramble of 64 bits.
    public static func mix(_ value: UInt64) -> UInt64 {
        var mixed = value
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }

    /// A uniform integer in `0..<bound`, by rejection so there is no modulo bias.
    public mutating func nextIndex(below bound: Int) -> Int {
        precondition(bound > 0)
        let limit = UInt64(bound)
        let threshold = (0 &- limit) % limit
        while true {
            let value = next()
            if value >= threshold { return Int(value % limit) }
        }
    }

    /// Shuffles `elements` in place (Fisher–Yates), the same way for the same seed everywhere.
    public mutating func shuffle<Element>(_ elements: inout [Element]) {
        guard elements.count > 1 else { return }
        for index in stride(from: elements.count - 1, to: 0, by: -1) {
            elements.swapAt(index, nextIndex(below: index + 1))
        }
    }
}
