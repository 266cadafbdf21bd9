import JSON

/// A true label for an earlier prediction, as a client sends it as feedback.
public struct FeedbackItem: Sendable, Equatable {
    /// The id of the request that was predicted.
    public var requestID: String
    /// The position of the text in that request (0 for a single text).
    public var index: Int
    /// The true label.
    public var label: String

    public init(requestID: String, index: Int = 0, label: String) {
        self.requestID = requestID
        self.index = index
        self.label = label
    }
}

/// What became of a batch of feedback.
public struct FeedbackOutcome: Sendable, Equatable {
    /// How many items were joined to a prediction and counted.
    public var accepted: Int
    /// The items that were not, in the order given, each with its reason.
    public var unmatched: [UnmatchedFeedback]
    /// True labels that the predicting model does not have (a class it was not trained on, or a
    /// misspelling), counted as misses; sorted.
    public var labelsOutsideModel: [String]
    /// Set when a `quality-degraded` message could not be published (the queue's error). The
    /// message is kept and published by the next `feedback` or `flush`.
    public var publishError: String?

    public init(accepted: Int, unmatched: [UnmatchedFeedback], labelsOutsideModel: [String] = [], publishError: String? = nil) {
        self.accepted = accepted
        self.unmatched = unmatched
        self.labelsOutsideModel = labelsOutsideModel
        self.publishError = publishError
    }
}

/// A feedback item that was not counted.
public struct UnmatchedFeedback: Sendable, Equatable {
    /// Why an item was not counted.
    public enum Reason: Sendable, Equatable, CustomStringConvertible {
        /// No prediction with this request id and index is remembered: it was never made, or
        /// it is so old that it was forgotten.
        case unknownPrediction
        /// The label is not one of the predicting model's labels, and the version already counts
        /// as many other such labels as it may (`QualityMonitor.maximumLabelsOutsideModel`), or
        /// it is empty or longer than 64 bytes.
        case unknownLabel(String, expected: [String])
        /// The prediction already got its true label from earlier feedback.
        case alreadyLabelled

        public var description: String {
            switch self {
            case .unknownPrediction: "no prediction with this id and index is remembered"
            case .unknownLabel(let label, let expected):
                "label \(JSONString.quoted(label)) is not one of the model's (\(expected.joined(separator: ", "))) and cannot be counted as a class it lacks (empty, over 64 bytes, or too many such labels already)"
            case .alreadyLabelled: "this prediction already has a true label"
            }
        }
    }

    public var requestID: String
    public var index: Int
    public var reason: Reason

    public init(requestID: String, index: Int, reason: Reason) {
        self.requestID = requestID
        self.index = index
        self.reason = reason
    }

    /// `{"id":…,"index":…,"reason":…}`, as a feedback response lists it.
    public var jsonValue: JSONValue {
        ["id": .string(requestID), "index": .integer(index), "reason": .string(reason.description)]
    }
}
