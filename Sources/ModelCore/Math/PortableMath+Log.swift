extension PortableMath {
    /// The natural logarithm, the same bits on every platform, within 1 ulp of the exact value
    /// (0.665 ulp at worst over the pinned table; see `PortableMath`).
    ///
    /// fdlibm's method:
    /// 1. Reduce: x = 2ᵏ · (1 + f) with √2/2 < 1 + f < √2 (subnormals are first scaled by 2⁵⁴).
    /// 2. Approximate: with s = f / (2 + f), ln(1 + f) = 2s + 2s³/3 + 2s⁵/5 + … = 2s + s·R(s²),
    ///    R a degree-7 minimax polynomial (error below 2⁻⁵⁸·⁴⁵) on |s| ≤ 0.1716; it is evaluated
    ///    as `f − (f²/2 − s·(f²/2 + R))` so the leading terms stay exact.
    /// 3. ln x = k·ln2High + (ln(1 + f) + k·ln2Low), ln 2 in two parts so k·ln2High is exact.
    ///
    /// Special values: NaN → NaN, x < 0 → NaN, ±0 → −∞, +∞ → +∞, 1 → +0.
    public static func log(_ x: Double) -> Double {
        let two54 = Double(bitPattern: 0x4350_0000_0000_0000) // 1.80143985094819840000e+16
        let lg1 = Double(bitPattern: 0x3FE5_5555_5555_5593) // 6.666666666666735130e-01
        let lg2 = Double(bitPattern: 0x3FD9_9999_9997_FA04) // 3.999999999940941908e-01
        let lg3 = Double(bitPattern: 0x3FD2_4924_9422_9359) // 2.857142874366239149e-01
        let lg4 = Double(bitPattern: 0x3FCC_71C5_1D8E_78AF) // 2.222219843214978396e-01
        let lg5 = Double(bitPattern: 0x3FC7_4664_96CB_03DE) // 1.818357216161805012e-01
        let lg6 = Double(bitPattern: 0x3FC3_9A09_D078_C69F) // 1.531383769920937332e-01
        let lg7 = Double(bitPattern: 0x3FC2_F112_DF3E_5244) // 1.479819860511658591e-01

        var x = x
        var high = highWord(x)
        var k: Int32 = 0
        if high < 0x0010_0000 { // x < 2⁻¹⁰²², or negative
            if (high & 0x7FFF_FFFF) == 0 && lowWord(x) == 0 { return -.infinity }
            if high < 0 { return .nan }
            k -= 54
            x *= two54 // subnormal: scale up
            high = highWord(x)
        }
        if high >= 0x7FF0_0000 { return x + x } // +∞ or NaN

        // 1. Reduce: put the fraction in [√2/2, √2) and the rest in k.
        k += (high >> 20) - 1023
        high &= 0x000F_FFFF
        let halves = (high &+ 0x95F64) & 0x10_0000 // 0x100000 when the fraction is ≥ √2
        x = replacingHighWord(of: x, with: high | (halves ^ 0x3FF0_0000))
        k += halves >> 20
        let f = x - 1
        let dk = Double(k)

        if (0x000F_FFFF & (2 &+ high)) < 3 { // |f| < 2⁻²⁰: a short series is enough
            if f == 0 { return k == 0 ? 0 : dk * ln2High + dk * ln2Low }
            let r = f * f * (0.5 - 0.33333333333333333 * f)
            return k == 0 ? f - r : dk * ln2High - ((r - dk * ln2Low) - f)
        }

        // 2. Approximate ln(1 + f).
        let s = f / (2 + f)
        let z = s * s
        let w = z * z
        let t1 = w * (lg2 + w * (lg4 + w * lg6))
        let t2 = z * (lg1 + w * (lg3 + w * (lg5 + w * lg7)))
        let r = t2 + t1
        // fdlibm picks one of two equal forms by the fraction bits, whichever rounds better there.
        if ((high &- 0x6147A) | (0x6B851 &- high)) > 0 {
            let halfSquare = 0.5 * f * f
            if k == 0 { return f - (halfSquare - s * (halfSquare + r)) }
            // 3. Add k·ln 2.
            return dk * ln2High - ((halfSquare - (s * (halfSquare + r) + dk * ln2Low)) - f)
        }
        if k == 0 { return f - s * (f - r) }
        return dk * ln2High - ((s * (f - r) - dk * ln2Low) - f)
    }
}
