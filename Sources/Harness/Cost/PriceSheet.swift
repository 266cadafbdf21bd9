import Foundation
import Yams

/// List prices for a dry-run cost estimate (`rehearse run --cost PRICES.yaml`, the `cost`
/// capture), with where and when they apply. See `docs/prices/aws-us-east-1.yaml`, the default.
public struct PriceSheet: Sendable, Equatable {
    /// What the prices are, e.g. `AWS us-east-1`.
    public var name: String
    /// The date the list prices were read, `YYYY-MM-DD`.
    public var asOf: String
    /// USD per GB-month of object storage (GB = 2³⁰ bytes, month = 30 days, as AWS bills).
    public var storageGBMonth: Double
    /// USD per 1,000 PUT, COPY, POST and LIST requests.
    public var writeRequestsPer1000: Double
    /// USD per 1,000 GET, HEAD and other read requests (DELETE is free).
    public var readRequestsPer1000: Double
    /// USD per million queue requests, each counted per 64 KiB chunk of payload.
    public var queueRequestsPerMillion: Double
    /// USD per vCPU-second of job compute.
    public var vcpuSecond: Double

    /// The sheet shipped as `docs/prices/aws-us-east-1.yaml`: AWS's public list prices for
    /// us-east-1 (S3 Standard, SQS standard queues beyond the free tier, Fargate on Linux/x86).
    public static let awsUSEast1 = PriceSheet(
        name: "AWS us-east-1", asOf: "2025-01-15", storageGBMonth: 0.023, writeRequestsPer1000: 0.005,
        readRequestsPer1000: 0.0004, queueRequestsPerMillion: 0.40, vcpuSecond: 0.000011244)

    static let keys = ["name", "as_of", "object_storage", "queue", "compute"]

    /// Reads a sheet; every field is required, so a sheet says what each price is.
    /// - Throws: `ScenarioError` naming the file, line and column of what is wrong.
    public static func load(path: String) throws(ScenarioError) -> PriceSheet {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ScenarioError(file: path, line: 0, column: 0, message: "cannot read the price sheet")
        }
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: String(decoding: data, as: UTF8.self)) else {
                throw ScenarioError(file: path, line: 1, column: 1, message: "the price sheet is empty")
            }
            root = node
        } catch let error as ScenarioError {
            throw error
        } catch {
            throw ScenarioError(file: path, line: 0, column: 0, message: "not valid YAML: \(error)")
        }
        let top = try YAMLFields(root, file: path, what: "the price sheet", allowed: keys)
        let storage = try YAMLFields(try top.required("object_storage"), file: path, what: "\"object_storage\"",
                                     allowed: ["gb_month", "write_requests_per_1000", "read_requests_per_1000"])
        let queue = try YAMLFields(try top.required("queue"), file: path, what: "\"queue\"", allowed: ["requests_per_million"])
        let compute = try YAMLFields(try top.required("compute"), file: path, what: "\"compute\"", allowed: ["vcpu_second"])
        func price(_ fields: YAMLFields, _ key: String) throws(ScenarioError) -> Double {
            guard let value = try fields.double(key) else { throw YAMLFields.error(path, fields.node, "\(fields.what) needs \"\(key)\"") }
            // Capped so that a bill (price × quantity, summed) stays a finite number.
            guard value >= 0, value <= 1e9 else {
                throw YAMLFields.error(path, fields.node(key)!, "\"\(key)\" is a price in USD, from 0 to 1000000000")
            }
            return value
        }
        let asOf = try top.requiredString("as_of")
        guard asOf.wholeMatch(of: /[0-9]{4}-[0-9]{2}-[0-9]{2}/) != nil else {
            throw YAMLFields.error(path, try top.required("as_of"), "\"as_of\" is the date the prices were read, YYYY-MM-DD")
        }
        return PriceSheet(
            name: try top.requiredString("name"), asOf: asOf, storageGBMonth: try price(storage, "gb_month"),
            writeRequestsPer1000: try price(storage, "write_requests_per_1000"),
            readRequestsPer1000: try price(storage, "read_requests_per_1000"),
            queueRequestsPerMillion: try price(queue, "requests_per_million"), vcpuSecond: try price(compute, "vcpu_second"))
    }
}
