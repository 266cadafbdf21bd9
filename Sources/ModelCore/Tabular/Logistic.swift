/// The logistic function, computed so that neither tail loses precision.
enum Logistic {
    /// σ(η) = 1 / (1 + e^−η) and 1 − σ(η), each computed directly from e^−|η| (with
    /// `PortableMath.exp`, so the same bits everywhere) rather than one as 1 minus the other.
    @inline(__always)
    static func probabilities(logit: Double) -> (positive: Double, negative: Double) {
        let small = PortableMath.exp(-abs(logit))
        let large = 1 / (1 + small)
        return logit >= 0 ? (large, small * large) : (small * large, large)
    }

    /// σ(η) of two logits at once, with the bits of `probabilities(logit:).positive` of each.
    @inline(__always)
    static func positiveProbabilities(logits: SIMD2<Double>) -> SIMD2<Double> {
        let small = PortableMath.exp(-logits.replacing(with: -logits, where: logits .< 0))
        let large = 1 / (1 + small)
        return (small * large).replacing(with: large, where: logits .>= 0)
    }
}
