/// Anything that turns a text into a `Prediction`: the one interface every inference mode uses.
public protocol Predictor: Sendable {
    /// The id of the model, carried by every prediction.
    var modelID: String { get }

    /// Predicts the label of `text`, using `workspace` for scratch memory.
    func predict(_ text: String, workspace: inout PredictionWorkspace) -> Prediction
}

extension Predictor {
    /// Predicts the label of `text` with a fresh workspace. Loops should reuse one instead.
    public func predict(_ text: String) -> Prediction {
        var workspace = PredictionWorkspace()
        return predict(text, workspace: &workspace)
    }
}
