/// A training setting outside its range: which setting, and what it must be.
public struct SettingProblem: Equatable, Sendable, CustomStringConvertible {
    /// The settings that have ranges, named as in model artifacts.
    public enum Setting: String, Sendable {
        case buckets, maxNGram = "max_ngram", charNGram = "char_ngram"
        case epochs, learningRate = "learning_rate", l2, smoothing
        case tolerance, maxIterations = "max_iterations"
    }

    /// The setting that is out of range.
    public let setting: Setting
    /// What it must be, and what it was: `must be from 1 to 10000, got 0`.
    public let requirement: String

    public init(_ setting: Setting, _ requirement: String) {
        self.setting = setting
        self.requirement = requirement
    }

    /// `<setting> <requirement>`, e.g. `epochs must be from 1 to 10000, got 0`.
    public var description: String { setting.rawValue + " " + requirement }
}
