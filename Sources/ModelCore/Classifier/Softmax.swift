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
        // Overwritten in place when `out` already has one slot per logit (every text after the
        // first in a hot loop): clearing and appending cost a call and a uniqueness check each.
        if out.count != logits.count { out = [Double](repeating: 0, count: logits.count) }
        var total: Double = 0
        for (index, logit) in logits.enumerated() {
            let exponential = PortableMath.exp(logit - largest)
            out[index] = exponential
            total += exponential
        }
        for index in out.indices { out[index] /= total }
    }
}
