import JSON
import LocalCloud
import ModelCore

/// Reads the online captures: responses, load summaries, queued messages, cross-mode parity
/// and drained services' exits.
struct OnlineCaptures {
    let session: OnlineSession
    let queue: any MessageQueue
    /// Every model the scenario registered, by model id (what the model core predicts).
    let models: [String: TrainedModel]

    /// The capture of an online source, or nil for any other source.
    /// - Parameter batch: reads batch predictions, for `parity`.
    func read(_ source: CaptureSource, batch: CaptureReader) throws -> Capture? {
        switch source {
        case .responses(let name, let headers): try responses(name, headers: headers)
        case .load(let name): try load(name)
        case .messages(let subscription): try messages(subscription)
        case .parity(let name, let job): try parity(name, batch: try batch.predictions(of: job))
        case .service(let service): try self.service(service.name)
        default: nil
        }
    }

    /// `responses`: one record per exchange, in order: the request's method, path and id, the
    /// status, the chosen headers, and the body (canonical JSON, or `{"text": …}` when it is not
    /// JSON), or the failure when no response came.
    func responses(_ name: String, headers: [String]) throws -> Capture {
        guard let exchanges = session.exchanges(name) else { throw OnlineError.nothingToCapture("no request step named \"\(name)\" ran") }
        return .records(exchanges.map { exchange in
            var request: [String: JSONValue] = ["method": .string(exchange.request.method), "path": .string(exchange.request.path)]
            if let id = exchange.request.requestID { request["id"] = .string(id) }
            var record: [String: JSONValue] = ["request": .object(request)]
            if let status = exchange.status {
                record["status"] = .number(Double(status))
                var chosen: [String: JSONValue] = [:]
                for header in headers { if let value = exchange.header(header) { chosen[header] = .string(value) } }
                record["headers"] = .object(chosen)
                record["body"] = exchange.json ?? .object(["text": .string(String(decoding: exchange.body, as: UTF8.self))])
            } else {
                record["failure"] = .string(exchange.failure ?? "no response")
            }
            return .object(record)
        })
    }

    /// `load`: what a load did, in figures that do not depend on timing when the service works:
    /// counts by status (and by failure kind: `refused`, `reset`, `timeout`, `failed`), outcomes
    /// (`answered`: 2xx; `refused`: 503, connection refused, or a connection closed before any
    /// answer — how a stopping server turns away requests it never read; `failed`: anything
    /// else, such as a timeout or a 500), the model ids seen in order, how often one lane's answers changed model (a lane sends
    /// its requests one after another, so a hot reload switches each lane at most once), labels (when one model answered
    /// everything), and how many answers are exactly what the model they name predicts, bit for
    /// bit. Latencies go to the run's report, never here.
    func load(_ name: String) throws -> Capture {
        guard let record = session.loadRecord(name) else { throw OnlineError.nothingToCapture("no load step named \"\(name)\" ran") }
        var statuses: [String: Int] = [:]
        var labelCounts: [String: Int] = [:]
        var modelIDs: [String] = []
        var matching = 0
        var answeredRows = 0
        var lastModel: [Int: String] = [:]
        var switches: [Int: Int] = [:]
        var outcomes = ["answered": 0, "refused": 0, "failed": 0]
        for (exchange, lane) in zip(record.exchanges, record.lanes) {
            let status = exchange.status.map(String.init) ?? exchange.failureKind ?? "failed"
            statuses[status, default: 0] += 1
            switch status {
            case _ where exchange.status.map { (200..<300).contains($0) } == true: outcomes["answered", default: 0] += 1
            case "503", "refused", "reset": outcomes["refused", default: 0] += 1
            default: outcomes["failed", default: 0] += 1
            }
            guard let answers = OnlineAnswer.answers(of: exchange, labels: classOrder) else { continue }
            for (row, answer) in zip(exchange.request.rows, answers) {
                answeredRows += 1
                labelCounts[answer.label, default: 0] += 1
                if !modelIDs.contains(answer.modelID) { modelIDs.append(answer.modelID) }
                if let previous = lastModel[lane], previous != answer.modelID { switches[lane, default: 0] += 1 }
                lastModel[lane] = answer.modelID
                if let model = models[answer.modelID], Self.matches(answer, model.predict(row.text)) { matching += 1 }
            }
        }
        var summary: [String: JSONValue] = [
            "requests": .number(Double(record.exchanges.count)),
            "statuses": .object(statuses.mapValues { .number(Double($0)) }),
            "outcomes": .object(outcomes.mapValues { .number(Double($0)) }),
            "answered_rows": .number(Double(answeredRows)),
            "model_ids": .array(modelIDs.map { .string($0) }),
            "max_model_switches_per_lane": .number(Double(switches.values.max() ?? 0)),
            "answers_equal_to_their_model": .number(Double(matching)),
        ]
        if modelIDs.count <= 1 { summary["labels"] = .object(labelCounts.mapValues { .number(Double($0)) }) }
        return .records([.object(summary)])
    }

    /// `messages`: the messages waiting on a subscription, oldest first, without consuming them:
    /// the body (as JSON when it is) and the attributes.
    func messages(_ subscription: String) throws -> Capture {
        try session.waitForPredictionLogs()
        return .records(try CaptureReader.messageRecords(queue: queue, subscription: subscription))
    }

    /// `parity`: the online answers of a request name against the batch job's predictions of the
    /// same row ids (labels, and probabilities at the six decimals batch writes) and against the
    /// model core's prediction with the model each answer names (every bit).
    func parity(_ name: String, batch: [JSONValue]) throws -> Capture {
        guard let exchanges = session.exchanges(name) else { throw OnlineError.nothingToCapture("no request step named \"\(name)\" ran") }
        var batchByID: [String: JSONValue] = [:]
        for record in batch { if case .string(let id)? = record.member("id") { batchByID[id] = record } }
        var rows = 0, labelsEqual = 0, roundedEqual = 0, bitsEqual = 0, withoutBatch = 0
        var modelIDs: [String] = []
        var mismatches: [JSONValue] = []
        for exchange in exchanges {
            guard let answers = OnlineAnswer.answers(of: exchange, labels: classOrder) else { continue }
            for (row, answer) in zip(exchange.request.rows, answers) {
                rows += 1
                if !modelIDs.contains(answer.modelID) { modelIDs.append(answer.modelID) }
                let bits = models[answer.modelID].map { Self.matches(answer, $0.predict(row.text)) } ?? false
                if bits { bitsEqual += 1 }
                guard let batched = batchByID[row.id] else { withoutBatch += 1; continue }
                let sameLabel = batched.member("label") == .string(answer.label)
                let sameNumbers = Self.roundedEqual(answer, batched)
                if sameLabel { labelsEqual += 1 }
                if sameNumbers { roundedEqual += 1 }
                if !(sameLabel && sameNumbers && bits) { mismatches.append(.string(row.id)) }
            }
        }
        return .records([.object([
            "rows": .number(Double(rows)), "model_ids": .array(modelIDs.map { .string($0) }),
            "labels_equal_to_batch": .number(Double(labelsEqual)),
            "probabilities_and_score_equal_to_batch": .number(Double(roundedEqual)),
            "bits_equal_to_model_core": .number(Double(bitsEqual)),
            "rows_without_batch_prediction": .number(Double(withoutBatch)),
            "mismatched_ids": .array(mismatches),
        ])])
    }

    /// `service`: how a drained service ended.
    func service(_ name: String) throws -> Capture {
        guard let status = session.exitStatus(name) else { throw OnlineError.nothingToCapture("service \"\(name)\" was not drained") }
        return .records([.object(["service": .string(name), "exit_status": status.map { .number(Double($0)) } ?? .string("killed after the drain deadline")])])
    }

    // MARK: Pieces

    /// The class order of a registered model, by its id.
    private func classOrder(_ modelID: String) -> [String]? { models[modelID]?.classifier.labels }

    /// Whether an answer is the model core's prediction, bit for bit.
    private static func matches(_ answer: OnlineAnswer, _ prediction: Prediction) -> Bool {
        guard answer.label == prediction.label, answer.score.bitPattern == prediction.score.bitPattern else { return false }
        return prediction.labels.indices.allSatisfy { index in
            answer.probability(of: prediction.labels[index])?.bitPattern == prediction.probabilities[index].bitPattern
        }
    }

    /// Whether an answer, rounded as batch shards are, equals a batch prediction record.
    private static func roundedEqual(_ answer: OnlineAnswer, _ batched: JSONValue) -> Bool {
        func rounded(_ value: Double) -> JSONValue { .number(CanonicalNumber.rounded(value, toDecimals: 6)) }
        guard batched.member("score") == rounded(answer.score), case .object(let probabilities)? = batched.member("probabilities"),
              probabilities.count == answer.labels.count else { return false }
        return answer.labels.indices.allSatisfy { probabilities[answer.labels[$0]] == rounded(answer.probabilities[$0]) }
    }
}
