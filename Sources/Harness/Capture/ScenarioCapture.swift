/// One named capture of a scenario, with the normalisations the scenario declares for it.
public struct ScenarioCapture: Sendable, Equatable {
    /// The capture's name: the golden file's base name.
    public var name: String
    /// What was captured.
    public var capture: Capture
    /// How to normalise it before comparing.
    public var normalisation: Normalisation

    /// Creates a named capture.
    public init(name: String, capture: Capture, normalisation: Normalisation = .none) {
        self.name = name
        self.capture = capture
        self.normalisation = normalisation
    }
}
