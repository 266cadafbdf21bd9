import Determinism
import Foundation
import LocalCloud
import Modes
import Testing

/// Transcripts of the windowing engine in the style of Beam's `trigger_transcripts.yaml`: each
/// step (an element, a watermark or processing-time move, the end of the stream) is followed by
/// the panes it must fire, worked out by hand from the steps above it.
///
/// Times are seconds after `Transcript.origin` (midnight, so minute and five-minute windows start
/// on it); panes read `key window [start,end) TIMING index/nonSpeculativeIndex first? last?
/// count {label:count} mean`, with `m:ss` times.
@Suite struct WindowingTests {
    static let minute = Duration.seconds(60)

    // MARK: - On time

    @Test("A tumbling window fires one ON_TIME pane per key when the watermark reaches its end, keys in order")
    func tumblingOnTime() throws {
        var run = try Transcript()
        #expect(run.add("b", 30, "pos", 0.6) == [])
        #expect(run.add("a", 10, "pos", 0.9) == [])   // the watermark stays at 0:30 (max event time, no delay)
        #expect(run.add("a", 20, "neg", 0.2) == [])
        #expect(run.engine.watermark == Transcript.at(30))
        // 1:10 moves the watermark past 1:00: [0:00,1:00) fires for a (0:10, 0:20) and b (0:30), a first.
        #expect(run.add("a", 70, "pos", 0.8) == [
            "a tumbling-1m [0:00,1:00) ON_TIME 0/0 first last n=2 {neg:1,pos:1} mean=\(mean(0.9, 0.2))",
            "b tumbling-1m [0:00,1:00) ON_TIME 0/0 first last n=1 {pos:1} mean=\(mean(0.6))",
        ])
        #expect(run.engine.openWindowCount == 1)   // only a's [1:00,2:00) is left
        #expect(run.finish() == ["a tumbling-1m [1:00,2:00) ON_TIME 0/0 first last n=1 {pos:1} mean=\(mean(0.8))"])
        #expect(run.engine.watermark == Instant.latest)
        #expect(run.engine.openWindowCount == 0)
        // After the end of the stream every window has expired: the element is dropped, and counted.
        #expect(run.add("a", 130, "pos", 0.5) == [])
        #expect(run.engine.droppedLate == ["a": 1])
        #expect(run.finish() == [])
    }

    @Test("The watermark is the maximum event time minus the delay and never moves back")
    func watermarkFollowsEventTimeMinusDelay() throws {
        var run = try Transcript(watermarkDelay: .seconds(30))
        #expect(run.add("a", 10, "pos", 0.1) == [])
        #expect(run.engine.watermark == Transcript.at(10 - 30))
        #expect(run.add("a", 65, "neg", 0.2) == [])   // watermark 0:35: [0:00,1:00) is still open
        #expect(run.engine.watermark == Transcript.at(35))
        #expect(run.add("a", 40, "pos", 0.3) == [])   // out of order but on time; the watermark stays at 0:35
        #expect(run.engine.watermark == Transcript.at(35))
        #expect(run.advanceWatermark(20) == [])       // a move back is ignored
        #expect(run.engine.watermark == Transcript.at(35))
        // 1:35 − 0:30 = 1:05 passes 1:00: the pane holds 0:10 and 0:40, not 1:05.
        #expect(run.add("a", 95, "pos", 0.4) == [
            "a tumbling-1m [0:00,1:00) ON_TIME 0/0 first last n=2 {pos:2} mean=\(mean(0.1, 0.3))",
        ])
        // No allowed lateness: 0:50 is too late for [0:00,1:00), which has expired.
        #expect(run.add("a", 50, "neg", 0.5) == [])
        #expect(run.engine.droppedLate == ["a": 1])
        #expect(run.engine.expiredWindowAssignments == ["a": 1])
        // An explicit move fires [1:00,2:00) (1:05 and 1:35) without any element.
        #expect(run.advanceWatermark(120) == [
            "a tumbling-1m [1:00,2:00) ON_TIME 0/0 first last n=2 {neg:1,pos:1} mean=\(mean(0.2, 0.4))",
        ])
        #expect(run.engine.watermark == Transcript.at(120))
    }

    @Test("A watermark one millisecond short of a window's end does not fire it; reaching the end does")
    func windowEndIsExclusive() throws {
        var run = try Transcript()
        #expect(run.add("a", 59, "pos", 0.5) == [])
        #expect(run.engine.advanceWatermark(to: Transcript.at(60).advanced(by: .milliseconds(-1))).isEmpty)
        #expect(run.advanceWatermark(60) == ["a tumbling-1m [0:00,1:00) ON_TIME 0/0 first last n=1 {pos:1} mean=0.5"])
    }

    // MARK: - Sliding windows

    @Test("An element falls in size/period sliding windows; panes sort by end, then start, then spec")
    func slidingMembership() throws {
        var run = try Transcript(windows: [.tumbling(), .sliding(size: .seconds(300), period: Self.minute)])
        // 7:30 is in the tumbling window [7:00,8:00) and in the five sliding windows starting at 3:00 … 7:00.
        #expect(run.add("a", 450, "pos", 0.7) == [])
        #expect(run.engine.openWindowCount == 6)
        #expect(run.advanceWatermark(479) == [])
        // 8:00 ends the sliding [3:00,8:00) and the tumbling [7:00,8:00): same end, earlier start first.
        #expect(run.advanceWatermark(480) == [
            "a sliding-5m-every-1m [3:00,8:00) ON_TIME 0/0 first last n=1 {pos:1} mean=0.7",
            "a tumbling-1m [7:00,8:00) ON_TIME 0/0 first last n=1 {pos:1} mean=0.7",
        ])
        #expect(run.finish() == [
            "a sliding-5m-every-1m [4:00,9:00) ON_TIME 0/0 first last n=1 {pos:1} mean=0.7",
            "a sliding-5m-every-1m [5:00,10:00) ON_TIME 0/0 first last n=1 {pos:1} mean=0.7",
            "a sliding-5m-every-1m [6:00,11:00) ON_TIME 0/0 first last n=1 {pos:1} mean=0.7",
            "a sliding-5m-every-1m [7:00,12:00) ON_TIME 0/0 first last n=1 {pos:1} mean=0.7",
        ])
    }

    @Test("Panes of equal windows from two specs sort by spec order, then key")
    func equalWindowsSortBySpecThenKey() throws {
        var run = try Transcript(windows: [.tumbling(size: .seconds(300)), .sliding(size: .seconds(300), period: .seconds(60))])
        // 4:10 and 4:20 are in the tumbling [0:00,5:00) and in the sliding windows starting 0:00 … 4:00.
        #expect(run.add("b", 250, "pos", 0.5) == [])
        #expect(run.add("a", 260, "neg", 0.25) == [])
        // [0:00,5:00) is a window of both specs: tumbling (spec 0) first, then sliding; a before b in each.
        #expect(run.advanceWatermark(300) == [
            "a tumbling-5m [0:00,5:00) ON_TIME 0/0 first last n=1 {neg:1} mean=0.25",
            "b tumbling-5m [0:00,5:00) ON_TIME 0/0 first last n=1 {pos:1} mean=0.5",
            "a sliding-5m-every-1m [0:00,5:00) ON_TIME 0/0 first last n=1 {neg:1} mean=0.25",
            "b sliding-5m-every-1m [0:00,5:00) ON_TIME 0/0 first last n=1 {pos:1} mean=0.5",
        ])
    }

    // MARK: - Early firings

    @Test("Early panes by count fire every N elements per window and key", arguments: [AccumulationMode.discarding, .accumulating])
    func earlyByCount(mode: AccumulationMode) throws {
        var run = try Transcript(trigger: TriggerSpec(early: .everyCount(2), accumulation: mode))
        #expect(run.add("a", 1, "pos", 0.1) == [])
        #expect(run.add("a", 2, "neg", 0.2) == ["a tumbling-1m [0:00,1:00) EARLY 0/-1 first n=2 {neg:1,pos:1} mean=\(mean(0.1, 0.2))"])
        #expect(run.add("a", 3, "pos", 0.3) == [])
        #expect(run.add("b", 4, "pos", 0.9) == [])   // b counts on its own
        let second = mode == .discarding
            ? "n=2 {pos:2} mean=\(mean(0.3, 0.4))"
            : "n=4 {neg:1,pos:3} mean=\(mean(0.1, 0.2, 0.3, 0.4))"
        #expect(run.add("a", 5, "pos", 0.4) == ["a tumbling-1m [0:00,1:00) EARLY 1/-1 \(second)"])
        #expect(run.add("a", 6, "neg", 0.5) == [])
        let onTime = mode == .discarding
            ? "n=1 {neg:1} mean=0.5"
            : "n=5 {neg:2,pos:3} mean=\(mean(0.1, 0.2, 0.3, 0.4, 0.5))"
        #expect(run.advanceWatermark(60) == [
            "a tumbling-1m [0:00,1:00) ON_TIME 2/0 last \(onTime)",
            "b tumbling-1m [0:00,1:00) ON_TIME 0/0 first last n=1 {pos:1} mean=0.9",
        ])
    }

    @Test("Discarding: no ON_TIME pane when the early panes took every element; accumulating: it repeats them")
    func noEmptyOnTimePane() throws {
        for mode in [AccumulationMode.discarding, .accumulating] {
            var run = try Transcript(trigger: TriggerSpec(early: .everyCount(2), accumulation: mode))
            #expect(run.add("a", 1, "pos", 0.25) == [])
            #expect(run.add("a", 2, "pos", 0.75) == ["a tumbling-1m [0:00,1:00) EARLY 0/-1 first n=2 {pos:2} mean=0.5"])
            #expect(run.advanceWatermark(60) == (mode == .discarding
                ? []
                : ["a tumbling-1m [0:00,1:00) ON_TIME 1/0 last n=2 {pos:2} mean=0.5"]))
            #expect(run.engine.openWindowCount == 0)
        }
    }

    @Test("Early panes by processing time fire the interval after the first pending element")
    func earlyByProcessingTime() throws {
        var run = try Transcript(trigger: TriggerSpec(early: .everyProcessingTime(.seconds(10))))
        #expect(run.add("a", 5, "pos", 0.1, processing: 100) == [])   // timer for 1:50 (110 s)
        #expect(run.add("a", 6, "neg", 0.2, processing: 105) == [])   // already pending: the timer stays
        #expect(run.advanceProcessingTime(109) == [])
        #expect(run.advanceProcessingTime(110) == ["a tumbling-1m [0:00,1:00) EARLY 0/-1 first n=2 {neg:1,pos:1} mean=\(mean(0.1, 0.2))"])
        #expect(run.advanceProcessingTime(200) == [])                 // nothing pending, no timer
        #expect(run.add("a", 7, "pos", 0.3, processing: 201) == [])   // timer for 211
        // At 215 the timer fires first, with 0:07 only; 0:08 then starts a new pane (timer for 225).
        #expect(run.add("a", 8, "pos", 0.4, processing: 215) == ["a tumbling-1m [0:00,1:00) EARLY 1/-1 n=1 {pos:1} mean=0.3"])
        #expect(run.advanceProcessingTime(220) == [])
        #expect(run.advanceWatermark(60) == ["a tumbling-1m [0:00,1:00) ON_TIME 2/0 last n=1 {pos:1} mean=0.4"])
        #expect(run.advanceProcessingTime(300) == [])                 // the ON_TIME pane cancelled the timer
    }

    @Test("With both early firings, whichever comes first fires and both start over")
    func earlyByCountOrProcessingTime() throws {
        var run = try Transcript(trigger: TriggerSpec(early: EarlyFiring(everyCount: 3, everyProcessingTime: .seconds(10))))
        #expect(run.add("a", 1, "pos", 0.5, processing: 0) == [])     // timer for 10
        #expect(run.add("a", 2, "pos", 0.5, processing: 1) == [])
        #expect(run.add("a", 3, "neg", 0.5, processing: 2) == ["a tumbling-1m [0:00,1:00) EARLY 0/-1 first n=3 {neg:1,pos:2} mean=0.5"])
        #expect(run.advanceProcessingTime(10) == [])                  // the count firing cancelled the timer
        #expect(run.add("a", 4, "neg", 0.5, processing: 11) == [])    // timer for 21
        #expect(run.advanceProcessingTime(21) == ["a tumbling-1m [0:00,1:00) EARLY 1/-1 n=1 {neg:1} mean=0.5"])
    }

    // MARK: - Late data

    @Test("Each element within the allowed lateness fires a LATE pane at once", arguments: [AccumulationMode.accumulating, .discarding])
    func lateWithinLateness(mode: AccumulationMode) throws {
        var run = try Transcript(trigger: TriggerSpec(allowedLateness: .seconds(120), accumulation: mode))
        #expect(run.add("a", 10, "pos", 0.9) == [])
        #expect(run.add("a", 20, "neg", 0.1) == [])
        // The window expires at 1:00 + 2:00 = 3:00, so the ON_TIME pane is not the last.
        #expect(run.advanceWatermark(60) == ["a tumbling-1m [0:00,1:00) ON_TIME 0/0 first n=2 {neg:1,pos:1} mean=\(mean(0.9, 0.1))"])
        let firstLate = mode == .accumulating ? "n=3 {neg:1,pos:2} mean=\(mean(0.9, 0.1, 0.7))" : "n=1 {pos:1} mean=0.7"
        #expect(run.add("a", 30, "pos", 0.7) == ["a tumbling-1m [0:00,1:00) LATE 1/1 \(firstLate)"])
        let secondLate = mode == .accumulating ? "n=4 {neg:2,pos:2} mean=\(mean(0.9, 0.1, 0.7, 0.4))" : "n=1 {neg:1} mean=0.4"
        #expect(run.add("a", 40, "neg", 0.4) == ["a tumbling-1m [0:00,1:00) LATE 2/2 \(secondLate)"])
        #expect(run.advanceWatermark(179) == [])
        let thirdLate = mode == .accumulating ? "n=5 {neg:3,pos:2} mean=\(mean(0.9, 0.1, 0.7, 0.4, 0.2))" : "n=1 {neg:1} mean=0.2"
        #expect(run.add("a", 45, "neg", 0.2) == ["a tumbling-1m [0:00,1:00) LATE 3/3 \(thirdLate)"])
        // At 3:00 the window expires without a pane (nothing new since the last one).
        #expect(run.advanceWatermark(180) == [])
        #expect(run.engine.openWindowCount == 0)
        #expect(run.add("a", 50, "pos", 0.3) == [])
        #expect(run.engine.droppedLate == ["a": 1])
    }

    @Test("A window's first pane may be LATE: it has no ON_TIME pane, and its first LATE pane is non-speculative index 0")
    func latePaneOpensWindow() throws {
        var run = try Transcript(trigger: TriggerSpec(allowedLateness: .seconds(60)))
        #expect(run.advanceWatermark(90) == [])
        #expect(run.add("a", 30, "pos", 0.5) == ["a tumbling-1m [0:00,1:00) LATE 0/0 first n=1 {pos:1} mean=0.5"])
        // Discarding with early panes: the early pane took everything, so no ON_TIME pane, then LATE 1/0.
        var early = try Transcript(trigger: TriggerSpec(allowedLateness: .seconds(60), early: .everyCount(2)))
        #expect(early.add("a", 1, "pos", 0.5) == [])
        #expect(early.add("a", 2, "pos", 0.5) == ["a tumbling-1m [0:00,1:00) EARLY 0/-1 first n=2 {pos:2} mean=0.5"])
        #expect(early.advanceWatermark(60) == [])
        #expect(early.add("a", 3, "neg", 0.25) == ["a tumbling-1m [0:00,1:00) LATE 1/0 n=1 {neg:1} mean=0.25"])
        // A watermark that jumps past the end and the lateness at once makes the ON_TIME pane last.
        #expect(early.add("a", 70, "neg", 0.25) == [])
        #expect(early.advanceWatermark(180) == ["a tumbling-1m [1:00,2:00) ON_TIME 0/0 first last n=1 {neg:1} mean=0.25"])
    }

    @Test("Too-late elements are counted per key; sliding windows still open take them")
    func tooLateIsCounted() throws {
        var run = try Transcript(windows: [.sliding(size: .seconds(300), period: Self.minute)])
        #expect(run.advanceWatermark(420) == [])
        // 5:30 falls in [1:00,6:00) … [5:00,10:00): the two ending by 7:00 have expired, three take it.
        #expect(run.add("a", 330, "pos", 0.5) == [])
        #expect(run.engine.droppedLate == [:])
        #expect(run.engine.expiredWindowAssignments == ["a": 2])
        // 1:00 falls in windows ending 2:00 … 6:00, all expired: dropped.
        #expect(run.add("a", 60, "neg", 0.5) == [])
        #expect(run.add("b", 30, "neg", 0.5) == [])
        #expect(run.add("a", 61, "neg", 0.5) == [])
        #expect(run.engine.droppedLate == ["a": 2, "b": 1])
        #expect(run.engine.expiredWindowAssignments == ["a": 2 + 5 + 5, "b": 5])
        #expect(run.finish() == [
            "a sliding-5m-every-1m [3:00,8:00) ON_TIME 0/0 first last n=1 {pos:1} mean=0.5",
            "a sliding-5m-every-1m [4:00,9:00) ON_TIME 0/0 first last n=1 {pos:1} mean=0.5",
            "a sliding-5m-every-1m [5:00,10:00) ON_TIME 0/0 first last n=1 {pos:1} mean=0.5",
        ])
    }

    // MARK: - Encoding and saved state

    @Test("A pane encodes with snake_case keys, the timing's Beam name and sorted label counts")
    func paneJSON() throws {
        let pane = Pane(key: "sports", window: "tumbling-1m", windowStart: Transcript.at(0), windowEnd: Transcript.at(60),
                        timing: .onTime, index: 2, nonSpeculativeIndex: 0, isFirst: false, isLast: true, count: 3,
                        counts: ["positive": 2, "negative": 1], meanScore: 0.5)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let text = String(decoding: try encoder.encode(pane), as: UTF8.self)
        #expect(text == #"{"count":3,"counts":{"negative":1,"positive":2},"index":2,"is_first":false,"is_last":true,"#
            + #""key":"sports","mean_score":0.5,"non_speculative_index":0,"timing":"ON_TIME","window":"tumbling-1m","#
            + #""window_end":"2026-01-01T00:01:00Z","window_start":"2026-01-01T00:00:00Z"}"#)
        #expect(try JSONDecoder().decode(Pane.self, from: Data(text.utf8)) == pane)
        #expect(Pane.Timing.early.rawValue == "EARLY" && Pane.Timing.late.rawValue == "LATE")
    }

    @Test("An engine saved and restored at any step fires the same panes as one never interrupted")
    func savedStateContinuesIdentically() throws {
        let settings = (windows: [WindowSpec.tumbling(), .sliding(size: .seconds(180), period: Self.minute)],
                        trigger: TriggerSpec(allowedLateness: .seconds(90),
                                             early: EarlyFiring(everyCount: 4, everyProcessingTime: .seconds(20)),
                                             accumulation: .accumulating),
                        delay: Duration.seconds(15))
        let steps = Self.randomSteps(count: 300, seed: 10)
        var uninterrupted = try WindowingEngine(windows: settings.windows, trigger: settings.trigger, watermarkDelay: settings.delay)
        let expected = steps.map { $0.apply(to: &uninterrupted) }
        let timings = Set(expected.joined().map(\.timing))
        #expect(timings == [.early, .onTime, .late])  // the steps exercise every kind of pane
        #expect(!uninterrupted.droppedLate.isEmpty)

        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        for split in stride(from: 0, through: steps.count, by: 25) {
            var engine = try WindowingEngine(windows: settings.windows, trigger: settings.trigger, watermarkDelay: settings.delay)
            var panes = steps[..<split].map { $0.apply(to: &engine) }
            let saved = try encoder.encode(engine)
            var restored = try JSONDecoder().decode(WindowingEngine.self, from: saved)
            #expect(try encoder.encode(restored) == saved, "split \(split)")
            panes += steps[split...].map { $0.apply(to: &restored) }
            #expect(panes == expected, "split \(split)")
            #expect(restored.droppedLate == uninterrupted.droppedLate)
            #expect(restored.expiredWindowAssignments == uninterrupted.expiredWindowAssignments)
            #expect(restored.watermark == uninterrupted.watermark)
        }
    }

    @Test("A saved state with a window that is not one of its specs' is refused")
    func corruptSavedState() throws {
        var engine = try WindowingEngine()
        _ = engine.add(WindowedElement(key: "a", eventTime: Transcript.at(10), label: "pos", score: 0.5, id: "1"),
                       processingTime: Transcript.at(0))
        let text = String(decoding: try JSONEncoder().encode(engine), as: UTF8.self)
        let misaligned = text.replacingOccurrences(of: "\"2026-01-01T00:00:00Z\"", with: "\"2026-01-01T00:00:30Z\"")
        #expect(misaligned != text)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(WindowingEngine.self, from: Data(misaligned.utf8)) }
    }

    // MARK: - Validation

    @Test("Bad settings are refused, naming the setting and what was expected")
    func validation() {
        func error(_ windows: [WindowSpec] = [.tumbling()], trigger: TriggerSpec = TriggerSpec(),
                   delay: Duration = .zero) -> String? {
            do {
                _ = try WindowingEngine(windows: windows, trigger: trigger, watermarkDelay: delay)
                return nil
            } catch {
                return error.description
            }
        }
        #expect(error() == nil)
        #expect(error([]) == "invalid windows: needs at least one window spec")
        #expect(error([.tumbling(size: .zero)]) == "invalid windows[0].size: must be positive, got 0.0 seconds")
        #expect(error([.tumbling(), .sliding(size: .seconds(300), period: .seconds(-60))])
            == "invalid windows[1].period: must be positive, got -60.0 seconds")
        #expect(error([.sliding(size: .seconds(300), period: .seconds(120))])
            == "invalid windows[0].size: must be a multiple of the period 120.0 seconds, got 300.0 seconds")
        #expect(error([.tumbling(size: .microseconds(1500))])
            == "invalid windows[0].size: must be a whole number of milliseconds, got 0.0015 seconds")
        #expect(error([.sliding(size: .seconds(3600), period: .seconds(1))])
            == "invalid windows[0].size: must be at most 1000 periods (each element falls in size / period windows), "
            + "got 3600.0 seconds every 1.0 seconds")
        #expect(error([.tumbling(), .tumbling(size: .milliseconds(60_000))]) == "invalid windows[1]: repeats windows[0] (tumbling-1m)")
        #expect(error(trigger: TriggerSpec(allowedLateness: .seconds(-1)))
            == "invalid trigger.allowedLateness: must be zero or positive, got -1.0 seconds")
        #expect(error(trigger: TriggerSpec(early: EarlyFiring())) == "invalid trigger.early: needs everyCount, everyProcessingTime or both (or no early firing at all)")
        #expect(error(trigger: TriggerSpec(early: .everyCount(0))) == "invalid trigger.early.everyCount: must be at least 1, got 0")
        #expect(error(trigger: TriggerSpec(early: .everyProcessingTime(.zero)))
            == "invalid trigger.early.everyProcessingTime: must be positive, got 0.0 seconds")
        #expect(error(delay: .seconds(-5)) == "invalid watermarkDelay: must be zero or positive, got -5.0 seconds")
        #expect(throws: WindowingError(field: "window.period", reason: "must be positive, got 0.0 seconds")) {
            try WindowSpec.sliding(size: .seconds(60), period: .zero).validate()
        }
    }

    @Test("Window specs are named by kind and size in the largest unit that divides them")
    func specNames() {
        #expect(WindowSpec.tumbling().name == "tumbling-1m")
        #expect(WindowSpec.sliding(size: .seconds(300), period: .seconds(60)).name == "sliding-5m-every-1m")
        #expect(WindowSpec.sliding(size: .seconds(7200), period: .seconds(30)).name == "sliding-2h-every-30s")
        #expect(WindowSpec.tumbling(size: .milliseconds(250)).name == "tumbling-250ms")
    }

    // MARK: - Helpers

    /// The mean the engine must give: the scores summed in the order given, over their count.
    private func mean(_ scores: Double...) -> Double { scores.reduce(0, +) / Double(scores.count) }

    /// One step of a random transcript for the saved-state test.
    private enum Step {
        case add(WindowedElement, processing: Instant)
        case watermark(Instant)
        case processing(Instant)

        func apply(to engine: inout WindowingEngine) -> [Pane] {
            switch self {
            case .add(let element, let processing): engine.add(element, processingTime: processing)
            case .watermark(let instant): engine.advanceWatermark(to: instant)
            case .processing(let instant): engine.advanceProcessingTime(to: instant)
            }
        }
    }

    /// Elements of three keys and two labels at event times that drift forward with some a few
    /// minutes late (some too late), with occasional watermark and processing-time moves.
    private static func randomSteps(count: Int, seed: UInt64) -> [Step] {
        var random = SplitMix64(seed: seed)
        var steps: [Step] = []
        var now = 0
        for index in 0..<count {
            now += 1 + random.nextIndex(below: 8)
            switch random.nextIndex(below: 20) {
            case 0: steps.append(.watermark(Transcript.at(now - 20)))
            case 1: steps.append(.processing(Transcript.at(now)))
            default:
                let late = random.nextIndex(below: 6) == 0 ? random.nextIndex(below: 480) : random.nextIndex(below: 10)
                let element = WindowedElement(key: ["a", "b", "c"][random.nextIndex(below: 3)], eventTime: Transcript.at(now - late),
                                              label: random.nextIndex(below: 2) == 0 ? "pos" : "neg",
                                              score: Double(random.nextIndex(below: 1000)) / 997, id: "\(index)")
                steps.append(.add(element, processing: Transcript.at(now)))
            }
        }
        return steps
    }
}

/// An engine driven by steps in seconds after `origin`, answering each with its panes as text.
private struct Transcript {
    /// 2026-01-01T00:00:00Z: a whole number of minutes (and of five minutes) since the epoch.
    static let origin = Instant(iso8601: "2026-01-01T00:00:00Z")!

    static func at(_ seconds: Int) -> Instant { origin.advanced(by: .seconds(seconds)) }

    var engine: WindowingEngine
    /// The processing time of elements added without one: it ticks one second per element.
    private var processing = 0

    init(windows: [WindowSpec] = [.tumbling()], trigger: TriggerSpec = TriggerSpec(), watermarkDelay: Duration = .zero) throws {
        engine = try WindowingEngine(windows: windows, trigger: trigger, watermarkDelay: watermarkDelay)
    }

    mutating func add(_ key: String, _ second: Int, _ label: String, _ score: Double, processing: Int? = nil) -> [String] {
        self.processing = processing ?? self.processing + 1
        let element = WindowedElement(key: key, eventTime: Self.at(second), label: label, score: score, id: "\(key)-\(second)")
        return engine.add(element, processingTime: Self.at(self.processing)).map(Self.describe)
    }

    mutating func advanceWatermark(_ second: Int) -> [String] {
        engine.advanceWatermark(to: Self.at(second)).map(Self.describe)
    }

    mutating func advanceProcessingTime(_ second: Int) -> [String] {
        processing = second
        return engine.advanceProcessingTime(to: Self.at(second)).map(Self.describe)
    }

    mutating func finish() -> [String] { engine.finish().map(Self.describe) }

    /// `a tumbling-1m [0:00,1:00) ON_TIME 0/0 first last n=2 {neg:1,pos:1} mean=0.55`.
    static func describe(_ pane: Pane) -> String {
        let counts = pane.counts.keys.sorted().map { "\($0):\(pane.counts[$0]!)" }.joined(separator: ",")
        return "\(pane.key) \(pane.window) [\(clock(pane.windowStart)),\(clock(pane.windowEnd))) \(pane.timing.rawValue) "
            + "\(pane.index)/\(pane.nonSpeculativeIndex)\(pane.isFirst ? " first" : "")\(pane.isLast ? " last" : "") "
            + "n=\(pane.count) {\(counts)} mean=\(pane.meanScore)"
    }

    /// `m:ss` after `origin`.
    private static func clock(_ instant: Instant) -> String {
        let seconds = Int(origin.duration(to: instant).components.seconds)
        return "\(seconds / 60):" + (seconds % 60 < 10 ? "0" : "") + "\(seconds % 60)"
    }
}
