/// A prediction-log or quality-monitor setting that cannot work, named with what was expected.
public struct MonitoringSettingsError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The setting, as its property is named (e.g. `capacity`, `minimumLabels`).
    public let setting: String
    /// What was expected and what was given.
    public let reason: String

    public init(setting: String, reason: String) {
        self.setting = setting
        self.reason = reason
    }

    public var description: String { "invalid \(setting): \(reason)" }

    /// Throws unless `value` is at least `minimum`.
    static func require(_ setting: String, _ value: Int, atLeast minimum: Int) throws(MonitoringSettingsError) {
        guard value >= minimum else {
            throw MonitoringSettingsError(setting: setting, reason: "must be at least \(minimum), got \(value)")
        }
    }
}
