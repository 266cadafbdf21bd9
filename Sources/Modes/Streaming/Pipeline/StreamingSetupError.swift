/// The queue a pipeline was given cannot carry it as it is.
public enum StreamingSetupError: Error, Equatable, CustomStringConvertible {
    /// The window stage's subscription exists with leased delivery: the queue was set up by a
    /// `rehearse` from before the window stage read in order (its delivery cannot change, and
    /// replacing it would lose the stage's place in the stream).
    case leasedWindowsSubscription(String)
    /// The sink holds a window stage checkpoint made with other settings (each change as
    /// `what: before → now`): its open windows and fired panes belong to those.
    case windowSettingsChanged([String])

    public var description: String {
        switch self {
        case .leasedWindowsSubscription(let name):
            "the queue's subscription \"\(name)\" was made by an older rehearse, with leased delivery; the window stage now "
                + "reads it in order, and a subscription's delivery cannot change. Start with a fresh --root (this one's sink "
                + "and queue belong together, so do not remove only queue.sqlite)"
        case .windowSettingsChanged(let changes):
            "the sink's window stage was started with other settings (\(changes.joined(separator: "; "))); its open windows and "
                + "panes belong to those. Give the same settings to continue it, or start with a fresh --root"
        }
    }
}

extension StreamingSetupError {
    /// How `saved`'s windows, trigger and watermark delay differ from `given`'s, one
    /// `what: before → now` each; empty when they agree.
    static func windowSettingsChanges(from saved: WindowingEngine, to given: WindowingEngine) -> [String] {
        func time(_ duration: Duration) -> String { duration == .zero ? "0s" : WindowDuration.name(duration) }
        func early(_ firing: EarlyFiring?) -> String {
            guard let firing else { return "none" }
            let parts = [firing.everyCount.map { "every \($0) tweets" }, firing.everyProcessingTime.map { "after \(time($0))" }]
            return parts.compactMap { $0 }.joined(separator: " or ")
        }
        let settings: [(String, (WindowingEngine) -> String)] = [
            ("windows", { $0.windows.map(\.name).joined(separator: ", ") }),
            ("allowed lateness", { time($0.trigger.allowedLateness) }),
            ("early firings", { early($0.trigger.early) }),
            ("accumulation", { $0.trigger.accumulation.rawValue.lowercased() }),
            ("watermark delay", { time($0.watermarkDelay) }),
        ]
        return settings.compactMap { what, text in text(saved) == text(given) ? nil : "\(what): \(text(saved)) → \(text(given))" }
    }
}
