import Foundation

/// An inference service a scenario rehearses: `rehearse serve` started as a child process
/// against the sandbox's registry, or a service already running at `target`.
public struct ServiceSpec: Sendable {
    /// The service's name in the scenario (steps and captures refer to it).
    public var name: String
    /// The model it serves: a declared model and an alias or version of it.
    public var model: ModelSpec
    /// The alias or version served (`production`, `2`).
    public var aliasOrVersion: String
    /// A running service to send the steps to instead of starting one (`target:` in the file,
    /// or `rehearse run --target NAME=URL`, which wins).
    public var target: String?
    /// How often the service looks for a moved alias.
    public var reloadInterval: Duration
    /// How long a drain may take.
    public var drainTimeout: Duration
    /// The topic of the prediction log.
    public var logTopic: String
    /// Whether the prediction log holds the texts.
    public var logText: Bool
    /// Extra `rehearse serve` flags for the quality monitor and limits, in file order
    /// (`--quality-window 300`, `--max-texts 50`…).
    public var extraArguments: [String]
}

/// What a `request` or `load` step sends.
public enum RequestSource: Sendable {
    /// V2 infer requests carrying a slice's texts, `batch` texts per request.
    case infer(model: String, version: Int?, slice: SliceSpec, batch: Int)
    /// `POST /predict` requests carrying a slice's texts (`{"text"}` for a batch of 1, else `{"texts"}`).
    case predict(slice: SliceSpec, batch: Int)
    /// One request written out in full.
    case http(RawRequest)
}

/// One HTTP request written out in a scenario.
public struct RawRequest: Sendable {
    /// `GET`, `POST`, …
    public var method: String
    /// The path and query, starting with `/`.
    public var path: String
    /// Headers in file order. A body given as `json` gets `content-type: application/json` unless set here.
    public var headers: [(name: String, value: String)]
    /// The body bytes.
    public var body: [UInt8]
}

/// A `request` step: requests sent one after another, their responses kept under `name`.
public struct RequestStep: Sendable {
    /// The exchange log the responses join (a `responses` capture reads it).
    public var name: String
    /// The service asked.
    public var service: ServiceSpec
    /// What is sent.
    public var source: RequestSource
}

/// A `load` step: a slice replayed through a service on concurrent connections.
public struct LoadStep: Sendable {
    /// The load's name (a `load` capture reads its summary).
    public var name: String
    /// The service loaded.
    public var service: ServiceSpec
    /// What each request carries (an `infer` or `predict` source).
    public var source: RequestSource
    /// Concurrent keep-alive connections.
    public var connections: Int
    /// Requests sent in all (the slice is cycled through).
    public var requests: Int
    /// Steps performed once half the requests are answered, while the rest are in flight.
    public var midway: [Step]
}

/// A `feedback` step: the true labels of a slice's rows that earlier infer requests carried.
public struct FeedbackStep: Sendable {
    /// The exchange log its request and response join, if named (a `responses` capture reads it).
    public var name: String?
    /// The service told.
    public var service: ServiceSpec
    /// The model the feedback is for.
    public var model: String
    /// The labelled rows (rows never sent are skipped).
    public var slice: SliceSpec
}
