extension PortableMath {
    /// `exp(_:)` of both lanes, with the same bits as two calls: one path for every lane in range
    /// (only k, the multiple of ln 2, is picked per lane), the polynomial and the division two at
    /// a time.
    ///
    /// fdlibm's three reductions are one formula here: for |x| ≤ ln 2 / 2 it takes k = 0 (then
    /// `hi` is x and `lo` is 0, and `1 − ((lo − r·c / (2 − c)) − hi)` rounds exactly as fdlibm's
    /// `1 − (r·c / (c − 2) − r)`: each is the other's negation step by step), for |x| below
    /// 3 ln 2 / 2 it takes k = ±1 (where `x − k·ln2High` and `k·ln2Low` are fdlibm's `x ∓ ln2High`
    /// and `±ln2Low` exactly), and above it rounds x / ln 2 as fdlibm does. A pair with a lane
    /// outside that formula's reach — |x| < 2⁻²⁸, |x| ≥ 704 (overflow, underflow, subnormal
    /// results), infinities and NaN — is computed lane by lane with `exp(_:)`.
    @inline(__always)
    public static func exp(_ x: SIMD2<Double>) -> SIMD2<Double> {
        let inverseLn2 = Double(bitPattern: 0x3FF7_1547_652B_82FE)
        let p1 = Double(bitPattern: 0x3FC5_5555_5555_553E)
        let p2 = Double(bitPattern: 0xBF66_C16C_16BE_BD93)
        let p3 = Double(bitPattern: 0x3F11_566A_AF25_DE2C)
        let p4 = Double(bitPattern: 0xBEBB_BD41_C5D2_6BF1)
        let p5 = Double(bitPattern: 0x3E66_3769_72BE_A4D0)

        let first = highWord(x[0]) & 0x7FFF_FFFF, second = highWord(x[1]) & 0x7FFF_FFFF
        // 0x4086_0000: |x| ≥ 704, below which 2ᵏ·eʳ is a normal number; 0x3E30_0000: |x| < 2⁻²⁸.
        guard first < 0x4086_0000, second < 0x4086_0000, first >= 0x3E30_0000, second >= 0x3E30_0000 else {
            return SIMD2(exp(x[0]), exp(x[1]))
        }
        let k = SIMD2<Int64>(multiple(x[0], high: first, inverseLn2: inverseLn2), multiple(x[1], high: second, inverseLn2: inverseLn2))
        let kd = SIMD2<Double>(Double(k[0]), Double(k[1]))
        let hi = x - kd * ln2High
        let lo = kd * ln2Low
        let r = hi - lo
        let t = r * r
        let c = r - t * (p1 + t * (p2 + t * (p3 + t * (p4 + t * p5))))
        let y = 1 - ((lo - (r * c) / (2 - c)) - hi)
        let scaled = SIMD2<UInt64>(y[0].bitPattern, y[1].bitPattern) &+ (SIMD2<UInt64>(truncatingIfNeeded: k) &<< 52)
        return SIMD2(Double(bitPattern: scaled[0]), Double(bitPattern: scaled[1]))
    }

    /// fdlibm's k for `x` (whose high word without the sign is `high`, |x| < 704): 0 up to
    /// ln 2 / 2, ±1 up to 3 ln 2 / 2, then x / ln 2 rounded half away from zero.
    @inline(__always)
    private static func multiple(_ x: Double, high: Int32, inverseLn2: Double) -> Int64 {
        let negative = x.sign == .minus
        let rounded = Int64(inverseLn2 * x + (negative ? -0.5 : 0.5))
        let unit: Int64 = negative ? -1 : 1
        return high <= 0x3FD6_2E42 ? 0 : high < 0x3FF0_A2B2 ? unit : rounded
    }
}
