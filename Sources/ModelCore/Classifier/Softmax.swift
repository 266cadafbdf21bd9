/// The softmax function, computed stably (the largest logit is subtracted first) with
/// `PortableMath.exp`, so the probabilities are the same bits on every platform.
public enum Softmax {
    /// Probabilities proportional to `exp(logit)`, summing to 1.
    public static func probabilities(_ logits: [Double]) -> [Double] {
        var result: [Double] = []
        result.reserveCapacity(logits.count)
        probabilities(logits, into: &result)
        return result
    }

    /// The same probabilities, written over `out` (which keeps its capacity), so a hot loop
    /// allocates nothing.
    public static func probabilities(_ logits: [Double], into out: inout [Double]) {
        let largest = logits.max() ?? 0
        out.removeAll(keepingCapacity: true)
        var total: Double = 0
        for logit in logits {
            let exponential = PortableMath.exp(logit - largest)
            out.append(exponential)
            total += exponential
        }
        for index in out.indices { out[index] /= total }
    }
}
