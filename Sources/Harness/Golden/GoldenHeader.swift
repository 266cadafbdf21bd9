import JSON

/// What produced a scenario's goldens, kept in `golden/<scenario>/_header.json`.
///
/// The header is informational: it is rewritten whenever a golden of the scenario is written
/// (and written as `_header.json.new` beside pending results), but never compared, so a new
/// Rehearsal version alone fails nothing. On disk it is one line of canonical JSON:
/// `{"model_ids":["nb-1a2b"],"rehearsal_version":"0.1.0","seed":"42"}`. The seed is a decimal
/// string so that every `UInt64` survives JSON readers that hold numbers as doubles.
///
/// A scenario with a schedule in a time zone other than UTC fires at times that follow the
/// time-zone rules Foundation carries (its bundled tz database), which change a few times a
/// year. Its header also records that database's version as `tz_data` (`"2025b"`), so a golden
/// that moves after a toolchain update can be traced to new zone rules.
public struct GoldenHeader: Sendable, Equatable {
    /// The Rehearsal version that wrote the goldens.
    public var rehearsalVersion: String
    /// The scenario's seed.
    public var seed: UInt64
    /// The ids of the models that made the captured predictions, in the order given.
    public var modelIDs: [String]
    /// The version of the time-zone database the schedules used, for scenarios with a schedule
    /// outside UTC; `nil` otherwise.
    public var timeZoneData: String?

    /// Creates a header.
    public init(rehearsalVersion: String, seed: UInt64, modelIDs: [String], timeZoneData: String? = nil) {
        self.rehearsalVersion = rehearsalVersion
        self.seed = seed
        self.modelIDs = modelIDs
        self.timeZoneData = timeZoneData
    }

    /// The header as a JSON object.
    public var json: JSONValue {
        var members: [String: JSONValue] = [
            "rehearsal_version": .string(rehearsalVersion),
            "seed": .string(String(seed)),
            "model_ids": .array(modelIDs.map { .string($0) }),
        ]
        if let timeZoneData { members["tz_data"] = .string(timeZoneData) }
        return .object(members)
    }

    /// The file contents: canonical JSON and a newline.
    public var fileText: String { json.canonicalText + "\n" }

    /// Reads a header from file contents; `path` names the file in errors.
    public init(fileText: String, path: String) throws(HarnessError) {
        let value: JSONValue
        do { value = try JSONParser.parse(fileText) } catch { throw .malformedJSON(path, error) }
        guard case .object(let members) = value else {
            throw .malformedHeader(path, field: "(top level)", expected: "a JSON object")
        }
        guard case .string(let version)? = members["rehearsal_version"] else {
            throw .malformedHeader(path, field: "rehearsal_version", expected: "a string")
        }
        guard case .string(let seedText)? = members["seed"], let seed = UInt64(seedText) else {
            throw .malformedHeader(path, field: "seed", expected: "a decimal string holding an unsigned 64-bit integer")
        }
        guard case .array(let ids)? = members["model_ids"] else {
            throw .malformedHeader(path, field: "model_ids", expected: "an array of strings")
        }
        var modelIDs: [String] = []
        for id in ids {
            guard case .string(let text) = id else {
                throw .malformedHeader(path, field: "model_ids", expected: "an array of strings")
            }
            modelIDs.append(text)
        }
        var timeZoneData: String?
        if let value = members["tz_data"] {
            guard case .string(let text) = value else {
                throw .malformedHeader(path, field: "tz_data", expected: "a string naming a time-zone database version")
            }
            timeZoneData = text
        }
        self.init(rehearsalVersion: version, seed: seed, modelIDs: modelIDs, timeZoneData: timeZoneData)
    }
}
