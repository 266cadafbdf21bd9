/// Scratch space for predicting, reused from text to text so that a prediction allocates only
/// its result.
///
/// Give each thread its own workspace.
public struct PredictionWorkspace: Sendable {
    var tokens = TokenBuffer()
    var indices: [Int32] = []
    var logits: [Double] = []
    /// The probabilities of the text last scored by `LinearTextClassifier.classify`, in the
    /// classifier's label order.
    public internal(set) var probabilities: [Double] = []

    /// An empty workspace; it grows to fit the texts it sees.
    public init() {}
}
