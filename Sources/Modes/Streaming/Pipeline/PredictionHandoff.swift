import Synchronization

/// The predictions the workers of this process have just stored, handed to the window stage of
/// the same process so that it need not read them back from the sink and parse them.
///
/// It only ever holds what the sink holds: a worker offers a batch's predictions after the
/// sink has committed them, and only when every row of the batch was new (so each value is the
/// one the sink keeps for its tweet id, not a row stored before by another worker or model).
/// The score is offered only when its canonical JSON reads back as the same bits (finite, not
/// -0), so the window stage sees exactly what a read of the sink would give it. What is not
/// offered — a batch with rows already stored, a worker in another process, anything after a
/// restart — the window stage reads from the sink as before.
///
/// Entries are by message id of the tweets topic. The window stage drops those of each batch it
/// windows and records how far it has windowed; an offer for a message it has already passed
/// (it read that prediction from the sink first) is ignored. At most `capacity` entries are
/// held. A full handoff first drops the entries of messages the stage has passed without
/// reading them (published before its subscription was made, say), then ignores offers
/// beyond the capacity.
public final class PredictionHandoff: Sendable {
    private struct State {
        var waiting: [Int64: StoredPrediction] = [:]
        /// The window stage has windowed every message up to this id.
        var passed: Int64 = 0
        /// `passed` when the entries were last swept for passed messages.
        var sweptThrough: Int64 = 0
    }

    /// The most entries held at once.
    public let capacity: Int
    private let state = Mutex(State())

    /// An empty handoff holding at most `capacity` predictions.
    public init(capacity: Int = 100_000) {
        self.capacity = max(0, capacity)
    }

    /// Offers the predictions of messages whose sink rows were all newly inserted, each with
    /// its message id.
    public func offer(_ stored: [(messageID: Int64, prediction: StoredPrediction)]) {
        let exact = stored.filter { Self.readsBackExactly($0.prediction.score) }
        guard !exact.isEmpty else { return }
        state.withLock { state in
            if state.waiting.count + exact.count > capacity && state.sweptThrough < state.passed {
                let passed = state.passed
                state.waiting = state.waiting.filter { $0.key > passed }
                state.sweptThrough = passed
            }
            for (messageID, prediction) in exact where messageID > state.passed && state.waiting.count < capacity {
                state.waiting[messageID] = prediction
            }
        }
    }

    /// The predictions offered for `messageIDs` (those not offered are absent).
    public func predictions(for messageIDs: [Int64]) -> [Int64: StoredPrediction] {
        state.withLock { state in
            var found: [Int64: StoredPrediction] = [:]
            for id in messageIDs {
                if let prediction = state.waiting[id] { found[id] = prediction }
            }
            return found
        }
    }

    /// Records that the window stage has windowed every message through `lastMessageID`, and
    /// drops the entries of those of `messageIDs` (its last batch) up to it.
    public func windowed(_ messageIDs: [Int64], through lastMessageID: Int64) {
        state.withLock { state in
            state.passed = max(state.passed, lastMessageID)
            for id in messageIDs where id <= lastMessageID {
                state.waiting[id] = nil
            }
        }
    }

    /// How many predictions are held.
    public var count: Int { state.withLock { $0.waiting.count } }

    /// Whether `score` comes back as the same bits after a trip through canonical JSON, which
    /// writes the shortest digits that read back as the same `Double` but writes -0 as `0` and
    /// non-finite numbers as strings.
    static func readsBackExactly(_ score: Double) -> Bool {
        score.isFinite && !(score == 0 && score.sign == .minus)
    }
}
