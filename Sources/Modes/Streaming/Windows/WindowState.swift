import LocalCloud

/// Which window: its spec (index into the engine's specs), its start, and the key.
struct WindowID: Hashable, Sendable {
    let spec: Int
    let start: Int64
    let key: String
}

/// One window of one spec for one key, from its first element until it expires: what it holds
/// and which panes it has fired.
struct WindowState: Sendable, Codable {
    let spec: Int
    let key: String
    let start: Instant
    /// The window's end, exclusive.
    let end: Instant
    /// Every element so far (what accumulating panes hold).
    var all = PaneContents()
    /// The elements since the last pane (what discarding panes hold, and what early firings count).
    var sinceLastPane = PaneContents()
    var panesFired = 0
    /// ON_TIME and LATE panes fired.
    var nonSpeculativePanesFired = 0
    /// Whether the watermark has reached `end` (after which panes are LATE).
    var endPassed: Bool
    /// The processing time at which the pending elements fire an EARLY pane, if timed early
    /// firings are on and an element is pending.
    var earlyDeadline: Instant?

    init(_ id: WindowID, end: Int64, endPassed: Bool) {
        spec = id.spec
        key = id.key
        start = Instant(nanosecondsSinceEpoch: id.start)
        self.end = Instant(nanosecondsSinceEpoch: end)
        self.endPassed = endPassed
    }

    private enum CodingKeys: String, CodingKey {
        case spec, key, start, end, all, sinceLastPane = "since_last_pane", panesFired = "panes_fired"
        case nonSpeculativePanesFired = "non_speculative_panes_fired", endPassed = "end_passed"
        case earlyDeadline = "early_deadline"
    }

    var id: WindowID { WindowID(spec: spec, start: start.nanosecondsSinceEpoch, key: key) }

    mutating func add(_ element: WindowedElement) {
        all.add(label: element.label, score: element.score)
        sinceLastPane.add(label: element.label, score: element.score)
    }

    /// Fires a pane and starts a new one, or returns nil (and changes nothing) if the pane would
    /// hold no element.
    mutating func fire(_ timing: Pane.Timing, isLast: Bool, accumulation: AccumulationMode, window: String) -> Pane? {
        let contents = accumulation == .accumulating ? all : sinceLastPane
        guard contents.count > 0 else { return nil }
        let pane = Pane(
            key: key, window: window, windowStart: start, windowEnd: end, timing: timing, index: panesFired,
            nonSpeculativeIndex: timing == .early ? -1 : nonSpeculativePanesFired, isFirst: panesFired == 0, isLast: isLast,
            count: contents.count, counts: contents.counts, meanScore: contents.meanScore)
        panesFired += 1
        if timing != .early { nonSpeculativePanesFired += 1 }
        sinceLastPane = PaneContents()
        earlyDeadline = nil
        return pane
    }

    /// The order of windows in output and in the saved state: by end, start, spec, then key.
    static func precedes(_ a: WindowState, _ b: WindowState) -> Bool {
        (a.end, a.start, a.spec, a.key) < (b.end, b.start, b.spec, b.key)
    }
}
