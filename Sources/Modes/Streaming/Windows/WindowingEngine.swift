import LocalCloud

/// Event-time windows per key, as Beam's model: elements go into tumbling and sliding windows,
/// a watermark says how far event time is complete, and triggers fire panes (EARLY, ON_TIME,
/// LATE) with counts per label and the mean score.
///
/// Time moves only when told, on two axes as in Beam's `TestStream`:
/// - **Event time** moves through the watermark: the maximum event time seen minus
///   `watermarkDelay`, or further with `advanceWatermark(to:)`, and to the end of time with
///   `finish()`. It never moves back: a smaller value is ignored. When it reaches a window's end
///   the window fires its ON_TIME pane (if the pane holds anything); when it reaches the end plus
///   the allowed lateness the window expires and its state is dropped.
/// - **Processing time** moves with each `add` and with `advanceProcessingTime(to:)`, and fires
///   timed EARLY panes. It never moves back either.
///
/// An element for a window whose end the watermark has passed fires a LATE pane at once, while
/// the window has not expired. An element all of whose windows (of every spec) have expired is
/// counted in `droppedLate`; each expired window an element missed is counted in
/// `expiredWindowAssignments` (Beam's `droppedDueToLateness` counter).
///
/// Output is deterministic: each call returns its panes sorted by window end, window start,
/// spec (in `windows` order), key, then pane index; elements are taken in call order and score
/// sums are added in that order. The engine is a value: encode it (it is `Codable`, with its open
/// windows in that same order) to save its state, and a decoded copy continues with the same panes.
public struct WindowingEngine: Sendable {
    /// The window specs, in the order their panes sort.
    public let windows: [WindowSpec]
    /// When panes fire, and what they hold.
    public let trigger: TriggerSpec
    /// How far the automatic watermark trails the maximum event time seen.
    public let watermarkDelay: Duration

    /// How far event time is complete; nil before the first element or watermark move.
    /// `Instant.latest` after `finish()`.
    public private(set) var watermark: Instant?
    /// The latest processing time given; nil before the first.
    public private(set) var processingTime: Instant?
    /// Per key, the elements dropped because every window they fall in had expired.
    public private(set) var droppedLate: [String: Int] = [:]
    /// Per key, the (element, window) pairs skipped because the window had expired; includes
    /// the windows of `droppedLate` elements, and sliding windows an element missed while it was
    /// still taken by later ones.
    public private(set) var expiredWindowAssignments: [String: Int] = [:]

    private let assigners: [WindowAssigner]
    private let windowNames: [String]
    private let times: TriggerTimes
    private let watermarkDelayNanoseconds: Int64
    private var open: [WindowID: WindowState] = [:]
    /// No open window fires or expires before the watermark reaches this (nanoseconds).
    private var nextWatermarkEvent = Int64.max
    /// No EARLY pane is due before processing time reaches this (nanoseconds).
    private var nextProcessingEvent = Int64.max

    /// An engine with no window open yet.
    /// - Parameters:
    ///   - windows: at least one spec, no two alike (their panes are told apart by `WindowSpec.name`).
    ///   - trigger: when panes fire.
    ///   - watermarkDelay: zero or positive, whole milliseconds.
    /// - Throws: `WindowingError` naming the bad setting (`windows[1].period`, `trigger.allowedLateness`, …).
    public init(windows: [WindowSpec] = [.tumbling()], trigger: TriggerSpec = TriggerSpec(),
                watermarkDelay: Duration = .zero) throws(WindowingError) {
        guard !windows.isEmpty else {
            throw WindowingError(field: "windows", reason: "needs at least one window spec")
        }
        var assigners: [WindowAssigner] = []
        for (index, spec) in windows.enumerated() {
            let assigner = try WindowAssigner(spec, field: "windows[\(index)]")
            if let same = assigners.firstIndex(where: { $0.spec.name == spec.name }) {
                throw WindowingError(field: "windows[\(index)]", reason: "repeats windows[\(same)] (\(spec.name))")
            }
            assigners.append(assigner)
        }
        self.windows = windows
        self.trigger = trigger
        self.watermarkDelay = watermarkDelay
        self.assigners = assigners
        windowNames = windows.map(\.name)
        times = try TriggerTimes(trigger)
        watermarkDelayNanoseconds = try WindowDuration.nanoseconds(watermarkDelay, field: "watermarkDelay", allowingZero: true)
    }

    /// How many windows (per spec and key) hold state: those not yet expired.
    public var openWindowCount: Int { open.count }

    /// Takes one element at `processingTime`.
    ///
    /// First fires the EARLY panes due by `processingTime`; then places the element in each of its
    /// windows of each spec (against the watermark before it): an open window before its end
    /// takes it and may fire an EARLY pane by count; a window past its end but not expired fires a
    /// LATE pane with it; an expired window skips it. Last, the watermark moves to the element's
    /// event time minus `watermarkDelay` if that is later, firing ON_TIME panes.
    /// - Returns: the panes fired, in output order.
    public mutating func add(_ element: WindowedElement, processingTime now: Instant) -> [Pane] {
        var fired = fireDueEarlyPanes(at: now.nanosecondsSinceEpoch)
        let processingNow = max(now, processingTime ?? now).nanosecondsSinceEpoch  // a move back is ignored
        let eventTime = element.eventTime.nanosecondsSinceEpoch
        var placed = false
        for (spec, assigner) in assigners.enumerated() {
            assigner.forEachWindowStart(containing: eventTime) { start in
                let end = assigner.windowEnd(start: start)
                if let watermark, watermark.nanosecondsSinceEpoch >= expiry(end: end) {
                    expiredWindowAssignments[element.key, default: 0] += 1
                    return
                }
                placed = true
                place(element, in: WindowID(spec: spec, start: start, key: element.key), end: end, now: processingNow, fired: &fired)
            }
        }
        if !placed { droppedLate[element.key, default: 0] += 1 }
        fired += moveWatermark(to: eventTime.clampedAdding(-watermarkDelayNanoseconds))
        return Self.outputOrder(fired)
    }

    /// Moves the watermark to `instant` (as `TestStream.advanceWatermarkTo`), firing the ON_TIME
    /// panes of the windows whose end it reaches and expiring those past their allowed lateness.
    /// A move back (or to where it is) is ignored and fires nothing.
    /// - Returns: the panes fired, in output order.
    public mutating func advanceWatermark(to instant: Instant) -> [Pane] {
        Self.outputOrder(moveWatermark(to: instant.nanosecondsSinceEpoch))
    }

    /// Moves processing time to `instant` (as `TestStream.advanceProcessingTime`), firing the
    /// timed EARLY panes due by then. A move back is ignored and fires nothing.
    /// - Returns: the panes fired, in output order.
    public mutating func advanceProcessingTime(to instant: Instant) -> [Pane] {
        Self.outputOrder(fireDueEarlyPanes(at: instant.nanosecondsSinceEpoch))
    }

    /// Ends a bounded stream: moves the watermark to `Instant.latest` (Beam's end of global
    /// time), so every open window fires its ON_TIME pane (if it holds anything), marked last, and
    /// expires. Elements added afterwards are dropped as late.
    /// - Returns: the panes fired, in output order.
    public mutating func finish() -> [Pane] {
        Self.outputOrder(moveWatermark(to: .max))
    }

    // MARK: - Firing

    /// A pane with the spec it came from, for ordering.
    private typealias Fired = (spec: Int, pane: Pane)

    private static func outputOrder(_ fired: [Fired]) -> [Pane] {
        fired.sorted { a, b in
            (a.pane.windowEnd, a.pane.windowStart, a.spec, a.pane.key, a.pane.index)
                < (b.pane.windowEnd, b.pane.windowStart, b.spec, b.pane.key, b.pane.index)
        }.map(\.pane)
    }

    /// When the window ending at `end` expires: its end plus the allowed lateness.
    private func expiry(end: Int64) -> Int64 { end.clampedAdding(times.allowedLatenessNanoseconds) }

    private mutating func fire(_ id: WindowID, _ timing: Pane.Timing, isLast: Bool = false, into fired: inout [Fired]) {
        if let slot = open.index(forKey: id) { fire(at: slot, timing, isLast: isLast, into: &fired) }
    }

    private mutating func fire(at slot: Dictionary<WindowID, WindowState>.Index, _ timing: Pane.Timing, isLast: Bool = false,
                               into fired: inout [Fired]) {
        let spec = open.values[slot].spec
        if let pane = open.values[slot].fire(timing, isLast: isLast, accumulation: trigger.accumulation, window: windowNames[spec]) {
            fired.append((spec, pane))
        }
    }

    /// Adds `element` to the open (or new) window `id` at processing time `now`, firing what it
    /// triggers. The window is looked up once and changed in place.
    private mutating func place(_ element: WindowedElement, in id: WindowID, end: Int64, now: Int64, fired: inout [Fired]) {
        let slot: Dictionary<WindowID, WindowState>.Index
        if let found = open.index(forKey: id) {
            slot = found
        } else {
            let endPassed = watermark.map { $0.nanosecondsSinceEpoch >= end } ?? false
            open[id] = WindowState(id, end: end, endPassed: endPassed)
            slot = open.index(forKey: id)!
            nextWatermarkEvent = min(nextWatermarkEvent, endPassed ? expiry(end: end) : end)
        }
        open.values[slot].add(element)
        if open.values[slot].endPassed {
            fire(at: slot, .late, into: &fired)  // not last: the window has not expired, or it would not be open
        } else if let everyCount = times.everyCount, open.values[slot].sinceLastPane.count >= everyCount {
            fire(at: slot, .early, into: &fired)
        } else if let interval = times.everyProcessingTimeNanoseconds, open.values[slot].earlyDeadline == nil {
            let deadline = now.clampedAdding(interval)
            open.values[slot].earlyDeadline = Instant(nanosecondsSinceEpoch: deadline)
            nextProcessingEvent = min(nextProcessingEvent, deadline)
        }
    }

    /// Moves the watermark forward to `target` (nanoseconds): ON_TIME panes, then expiry.
    private mutating func moveWatermark(to target: Int64) -> [Fired] {
        if let watermark, target <= watermark.nanosecondsSinceEpoch { return [] }
        watermark = Instant(nanosecondsSinceEpoch: target)
        guard target >= nextWatermarkEvent else { return [] }
        var fired: [Fired] = []
        var next = Int64.max
        for id in Array(open.keys) {
            let window = open[id]!
            let end = window.end.nanosecondsSinceEpoch
            let expiry = expiry(end: end)
            if !window.endPassed, target >= end {
                open[id]!.endPassed = true
                open[id]!.earlyDeadline = nil
                fire(id, .onTime, isLast: target >= expiry, into: &fired)
            }
            if target >= expiry {
                open[id] = nil
            } else {
                next = min(next, open[id]!.endPassed ? expiry : end)
            }
        }
        nextWatermarkEvent = next
        return fired
    }

    /// Moves processing time forward to `now` (nanoseconds), firing the EARLY panes due by then.
    private mutating func fireDueEarlyPanes(at now: Int64) -> [Fired] {
        if let processingTime, now <= processingTime.nanosecondsSinceEpoch { return [] }
        processingTime = Instant(nanosecondsSinceEpoch: now)
        guard now >= nextProcessingEvent else { return [] }
        var fired: [Fired] = []
        var next = Int64.max
        for (id, window) in open {
            guard let deadline = window.earlyDeadline?.nanosecondsSinceEpoch else { continue }
            if deadline <= now {
                fire(id, .early, into: &fired)
            } else {
                next = min(next, deadline)
            }
        }
        nextProcessingEvent = next
        return fired
    }
}

extension WindowingEngine: Codable {
    private enum CodingKeys: String, CodingKey {
        case windows, trigger, watermarkDelayMilliseconds = "watermark_delay_ms", watermark
        case processingTime = "processing_time", droppedLate = "dropped_late"
        case expiredWindowAssignments = "expired_window_assignments", openWindows = "open_windows"
    }

    /// Encodes the settings, both clocks, the drop counters and the open windows (sorted by end,
    /// start, spec and key, so equal engines encode to equal bytes with `JSONEncoder`'s `sortedKeys`).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(windows, forKey: .windows)
        try container.encode(trigger, forKey: .trigger)
        try container.encode(WindowDuration.milliseconds(watermarkDelay), forKey: .watermarkDelayMilliseconds)
        try container.encodeIfPresent(watermark, forKey: .watermark)
        try container.encodeIfPresent(processingTime, forKey: .processingTime)
        try container.encode(droppedLate, forKey: .droppedLate)
        try container.encode(expiredWindowAssignments, forKey: .expiredWindowAssignments)
        try container.encode(open.values.sorted(by: WindowState.precedes), forKey: .openWindows)
    }

    /// Decodes a saved engine, checking its settings as `init(windows:trigger:watermarkDelay:)`
    /// does and that each open window belongs to one of its specs.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(windows: try container.decode([WindowSpec].self, forKey: .windows),
                      trigger: try container.decode(TriggerSpec.self, forKey: .trigger),
                      watermarkDelay: .milliseconds(try container.decode(Int64.self, forKey: .watermarkDelayMilliseconds)))
        watermark = try container.decodeIfPresent(Instant.self, forKey: .watermark)
        processingTime = try container.decodeIfPresent(Instant.self, forKey: .processingTime)
        droppedLate = try container.decode([String: Int].self, forKey: .droppedLate)
        expiredWindowAssignments = try container.decode([String: Int].self, forKey: .expiredWindowAssignments)
        for window in try container.decode([WindowState].self, forKey: .openWindows) {
            guard assigners.indices.contains(window.spec),
                  window.start.nanosecondsSinceEpoch.flooredDivided(by: assigners[window.spec].periodNanoseconds)
                      * assigners[window.spec].periodNanoseconds == window.start.nanosecondsSinceEpoch,
                  window.end.nanosecondsSinceEpoch == assigners[window.spec].windowEnd(start: window.start.nanosecondsSinceEpoch)
            else {
                throw DecodingError.dataCorruptedError(
                    forKey: .openWindows, in: container,
                    debugDescription: "open window \(window.key) [\(window.start), \(window.end)) of spec \(window.spec) "
                        + "is not a window of any of the \(windows.count) specs")
            }
            open[window.id] = window
            let end = window.end.nanosecondsSinceEpoch
            nextWatermarkEvent = min(nextWatermarkEvent, window.endPassed ? expiry(end: end) : end)
            if let deadline = window.earlyDeadline?.nanosecondsSinceEpoch {
                nextProcessingEvent = min(nextProcessingEvent, deadline)
            }
        }
    }
}
