import Foundation

/// The softmax function, computed stably (the largest logit is subtracted first).
public enum Softmax {
    /// Probabilities proportional to `exp(logit)`, summing to 1.
    public static func probabilities(_ logits: [Double]) -> [Double] {
        let largest = logits.max() ?? 0
        var exponentials = logits.map { exp($0 - largest) }
        let total = exponentials.reduce(0, +)
        for index in exponentials.indices { exponentials[index] /= total }
        return exponentials
    }
}
