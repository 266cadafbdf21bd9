extension PortableMath {
    /// eˣ, the same bits on every platform, within 1 ulp of the exact value (0.774 ulp at worst
    /// over the pinned table; see `PortableMath`).
    ///
    /// fdlibm's method:
    /// 1. Reduce: x = k·ln 2 + r with |r| ≤ ln 2 / 2, where k is x/ln 2 rounded to nearest and
    ///    r is kept as `hi − lo` (ln 2 in two parts, so r carries ~ 80 bits).
    /// 2. Approximate on the small interval: with R(r²) a degree-5 minimax polynomial
    ///    (error below 2⁻⁵⁹), c = r − r²·R(r²) and eʳ = 1 + r + r·c / (2 − c).
    /// 3. Scale: eˣ = 2ᵏ · eʳ, by adding k to the exponent bits.
    ///
    /// Special values: NaN → NaN, +∞ → +∞, −∞ → 0, x > 709.78 → +∞, x < −745.13 → 0, and
    /// results below 2⁻¹⁰²² are subnormal (scaled in two steps so they round once).
    public static func exp(_ x: Double) -> Double {
        let overflowThreshold = Double(bitPattern: 0x4086_2E42_FEFA_39EF) // 7.09782712893383973096e+02
        let underflowThreshold = Double(bitPattern: 0xC087_4910_D52D_3051) // -7.45133219101941108420e+02
        let inverseLn2 = Double(bitPattern: 0x3FF7_1547_652B_82FE) // 1.44269504088896338700e+00
        let p1 = Double(bitPattern: 0x3FC5_5555_5555_553E) // 1.66666666666666019037e-01
        let p2 = Double(bitPattern: 0xBF66_C16C_16BE_BD93) // -2.77777777770155933842e-03
        let p3 = Double(bitPattern: 0x3F11_566A_AF25_DE2C) // 6.61375632143793436117e-05
        let p4 = Double(bitPattern: 0xBEBB_BD41_C5D2_6BF1) // -1.65339022054652515390e-06
        let p5 = Double(bitPattern: 0x3E66_3769_72BE_A4D0) // 4.13813679705723846039e-08
        let twoToMinus1000 = Double(bitPattern: 0x0170_0000_0000_0000)

        let high = highWord(x) & 0x7FFF_FFFF
        let negative = x.sign == .minus
        if high >= 0x4086_2E42 { // |x| ≥ 709.78…, or not finite
            if x.isNaN { return x }
            if x.isInfinite { return negative ? 0 : x }
            if x > overflowThreshold { return .infinity }
            if x < underflowThreshold { return 0 }
        }

        // 1. Reduce.
        var r = x
        var hi = 0.0
        var lo = 0.0
        var k = 0
        if high > 0x3FD6_2E42 { // |x| > ln 2 / 2
            if high < 0x3FF0_A2B2 { // and |x| < 3 ln 2 / 2: k is ±1
                hi = negative ? x + ln2High : x - ln2High
                lo = negative ? -ln2Low : ln2Low
                k = negative ? -1 : 1
            } else {
                k = Int(inverseLn2 * x + (negative ? -0.5 : 0.5))
                let kd = Double(k)
                hi = x - kd * ln2High
                lo = kd * ln2Low
            }
            r = hi - lo
        } else if high < 0x3E30_0000 { // |x| < 2⁻²⁸: eˣ rounds to 1 + x
            return 1 + x
        }

        // 2. Approximate eʳ.
        let t = r * r
        let c = r - t * (p1 + t * (p2 + t * (p3 + t * (p4 + t * p5))))
        if k == 0 { return 1 - ((r * c) / (c - 2) - r) }
        let y = 1 - ((lo - (r * c) / (2 - c)) - hi)

        // 3. Scale by 2ᵏ.
        if k >= -1021 {
            return Double(bitPattern: y.bitPattern &+ (UInt64(bitPattern: Int64(k)) << 52))
        }
        return Double(bitPattern: y.bitPattern &+ (UInt64(bitPattern: Int64(k + 1000)) << 52)) * twoToMinus1000
    }
}
