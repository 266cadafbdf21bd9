import JSON
import LocalCloud
import Synchronization

/// `GET` and `POST /2/tweets/search/stream/rules` over the stream's shared ``RuleSet``, in v2's
/// shapes. Adding is all or nothing, as in v2: if any rule of a request is invalid or a
/// duplicate, none is created, and each bad one gets an `errors` entry. `dry_run=true` checks
/// and answers without changing the rules.
final class RulesEndpoint: Sendable {
    private let rules: Mutex<RuleSet>
    private let clock: any CloudClock

    init(rules: RuleSet, clock: any CloudClock) {
        self.rules = Mutex(rules)
        self.clock = clock
    }

    /// The rules as they are now.
    var current: RuleSet { rules.withLock { $0 } }

    /// `GET …/rules`: `{"data": [{"id", "value", "tag"}], "meta": {"sent", "result_count"}}`
    /// (no `data` when there are no rules, as v2).
    func list() -> String {
        let list = current.rules
        var body: [String: JSONValue] = ["meta": ["sent": .string(sent), "result_count": .integer(list.count)]]
        if !list.isEmpty { body["data"] = .array(list.map(Self.json)) }
        return JSONValue.object(body).canonicalText
    }

    /// `POST …/rules` with `body`: the status and the response body.
    /// - Throws: ``StreamProblem`` (400) when the body is not a valid request, naming the field.
    func change(body: String, dryRun: Bool) throws(StreamProblem) -> (status: Int, body: String) {
        let request: JSONValue
        do {
            request = try JSONParser.parse(body)
        } catch {
            throw .invalidRequest("the body is not JSON: \(error); expected {\"add\": [{\"value\": …, \"tag\": …}]} or {\"delete\": {\"ids\": […]}}")
        }
        guard case .object(let members) = request else {
            throw .invalidRequest("the body must be a JSON object with \"add\" or \"delete\"")
        }
        if let unknown = members.keys.sorted().first(where: { $0 != "add" && $0 != "delete" }) {
            throw .invalidRequest("unknown field \"\(unknown)\"; expected \"add\" or \"delete\"")
        }
        switch (members["add"], members["delete"]) {
        case (let additions?, nil): return add(try Self.additions(additions), dryRun: dryRun)
        case (nil, let deletions?): return delete(try Self.deletions(deletions), dryRun: dryRun)
        default: throw .invalidRequest("expected exactly one of \"add\" and \"delete\"")
        }
    }

    private func add(_ additions: [(value: String, tag: String?)], dryRun: Bool) -> (status: Int, body: String) {
        rules.withLock { rules in
            var trial = rules
            var created: [FilterRule] = []
            var errors: [JSONValue] = []
            for addition in additions {
                do throws(RuleSet.AddError) {
                    created.append(try trial.add(value: addition.value, tag: addition.tag))
                } catch .duplicate(let id) where !rules.rules.contains(where: { $0.id == id }) {
                    // A repeat within this request: the first copy has no id of its own yet
                    // (nothing is created while any entry is refused), so none is named.
                    errors.append(["value": .string(addition.value), "title": "DuplicateRule",
                                   "detail": "the same value is added earlier in this request",
                                   "type": "https://api.twitter.com/2/problems/duplicate-rules"])
                } catch {
                    errors.append(Self.error(error, value: addition.value))
                }
            }
            let accepted = errors.isEmpty
            if accepted && !dryRun { rules = trial }
            let createdCount = accepted ? created.count : 0
            var body: [String: JSONValue] = [
                "meta": ["sent": .string(sent),
                         "summary": ["created": .integer(createdCount), "not_created": .integer(additions.count - createdCount),
                                     "valid": .integer(created.count), "invalid": .integer(errors.count)]],
            ]
            if accepted { body["data"] = .array(created.map(Self.json)) }
            if !errors.isEmpty { body["errors"] = .array(errors) }
            return (accepted && !dryRun ? 201 : 200, JSONValue.object(body).canonicalText)
        }
    }

    private func delete(_ ids: [String], dryRun: Bool) -> (status: Int, body: String) {
        rules.withLock { rules in
            var trial = rules
            let missing = trial.delete(ids: ids)
            if !dryRun { rules = trial }
            let deleted = Set(ids).count - Set(missing).count
            var body: [String: JSONValue] = [
                "meta": ["sent": .string(sent), "summary": ["deleted": .integer(deleted), "not_deleted": .integer(missing.count)]],
            ]
            if !missing.isEmpty {
                body["errors"] = .array(missing.map { id in
                    ["id": .string(id), "title": "Not Found Error", "detail": .string("no rule has the id \(id)"),
                     "type": "https://api.twitter.com/2/problems/resource-not-found"]
                })
            }
            return (200, JSONValue.object(body).canonicalText)
        }
    }

    private var sent: String { TweetTime.createdAt(clock.now) }

    private static func json(_ rule: FilterRule) -> JSONValue {
        var members: [String: JSONValue] = ["id": .string(rule.id), "value": .string(rule.value)]
        if let tag = rule.tag { members["tag"] = .string(tag) }
        return .object(members)
    }

    private static func error(_ error: RuleSet.AddError, value: String) -> JSONValue {
        switch error {
        case .invalid(let syntax):
            return ["value": .string(value), "details": [.string(syntax.message)], "title": "UnprocessableEntity",
                    "type": "https://api.twitter.com/2/problems/invalid-rules"]
        case .duplicate(let id):
            return ["value": .string(value), "id": .string(id), "title": "DuplicateRule",
                    "type": "https://api.twitter.com/2/problems/duplicate-rules"]
        }
    }

    private static func additions(_ value: JSONValue) throws(StreamProblem) -> [(value: String, tag: String?)] {
        guard case .array(let entries) = value, !entries.isEmpty else {
            throw .invalidRequest("add: expected a non-empty array of {\"value\": …, \"tag\": …}")
        }
        var additions: [(value: String, tag: String?)] = []
        for (index, entry) in entries.enumerated() {
            let field = "add[\(index)]"
            guard case .object(let members) = entry else { throw .invalidRequest("\(field): expected an object {\"value\": …, \"tag\": …}") }
            if let unknown = members.keys.sorted().first(where: { $0 != "value" && $0 != "tag" }) {
                throw .invalidRequest("\(field): unknown field \"\(unknown)\"; expected \"value\" and \"tag\"")
            }
            guard case .string(let text)? = members["value"] else { throw .invalidRequest("\(field).value: expected the rule as a string") }
            switch members["tag"] {
            case nil, .null?: additions.append((text, nil))
            case .string(let tag)?: additions.append((text, tag))
            default: throw .invalidRequest("\(field).tag: expected a string")
            }
        }
        return additions
    }

    private static func deletions(_ value: JSONValue) throws(StreamProblem) -> [String] {
        guard case .object(let members) = value, let ids = members["ids"] else {
            throw .invalidRequest("delete: expected {\"ids\": [\"…\"]}")
        }
        if let unknown = members.keys.sorted().first(where: { $0 != "ids" }) {
            throw .invalidRequest("delete: unknown field \"\(unknown)\"; this stream deletes by \"ids\" only")
        }
        guard case .array(let entries) = ids, !entries.isEmpty else { throw .invalidRequest("delete.ids: expected a non-empty array of rule ids") }
        return try entries.enumerated().map { (index, entry) throws(StreamProblem) -> String in
            guard case .string(let id) = entry else { throw .invalidRequest("delete.ids[\(index)]: expected a rule id as a string") }
            return id
        }
    }
}
