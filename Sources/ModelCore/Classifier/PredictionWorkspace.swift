/// Scratch space for predicting, reused from text to text so that a prediction allocates only
/// its result.
///
/// Give each thread its own workspace.
public struct PredictionWorkspace: Sendable {
    var tokens = TokenBuffer()
    var indices: [Int32] = []
    var logits: [Double] = []

    /// An empty workspace; it grows to fit the texts it sees.
    public init() {}
}
