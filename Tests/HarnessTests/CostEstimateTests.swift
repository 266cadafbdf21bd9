import Foundation
import Harness
import JSON
import LocalCloud
import Testing
import TestSupport

/// The dry-run cost estimate: price sheets, what the cloud's usage counts, and the bill.
@Suite struct CostEstimateTests {
    @Test("the shipped sheet, docs/prices/aws-us-east-1.yaml, is the built-in default")
    func shippedSheet() throws {
        #expect(try PriceSheet.load(path: repositoryRoot + "/docs/prices/aws-us-east-1.yaml") == .awsUSEast1)
    }

    @Test("a sheet with a missing, negative, overflowing or mistyped price is refused at its line",
          arguments: [
              ("object_storage: {gb_month: 0.023, write_requests_per_1000: 0.005}", "5:17", "needs \"read_requests_per_1000\""),
              ("object_storage: {gb_month: -1, write_requests_per_1000: 0.005, read_requests_per_1000: 0}", "5:28", "from 0 to 1000000000"),
              ("object_storage: {gb_month: 1e308, write_requests_per_1000: 0.005, read_requests_per_1000: 0}", "5:28", "from 0 to 1000000000"),
              ("object_storage: {gb_month: x, write_requests_per_1000: 0.005, read_requests_per_1000: 0}", "5:28", "\"gb_month\""),
          ])
    func badSheets(storage: String, place: String, message: String) throws {
        let folder = try TemporaryFolder()
        try folder.write("name: test\nas_of: \"2025-01-15\"\nqueue: {requests_per_million: 0.4}\ncompute: {vcpu_second: 0.00001}\n\(storage)\n",
                         to: "prices.yaml")
        #expect {
            try PriceSheet.load(path: folder.path + "/prices.yaml")
        } throws: { error in
            "\(error)".contains("prices.yaml:\(place):") && "\(error)".contains(message)
        }
    }

    @Test("usage counts request classes, every kept generation's bytes over virtual time, and queue chunks")
    func usage() throws {
        let folder = try TemporaryFolder()
        let clock = VirtualClock(start: Instant(iso8601: "2026-01-01T00:00:00Z")!)
        let ledger = OperationLedger()
        let store = try DirectoryObjectStore(root: URL(fileURLWithPath: folder.path), clock: clock,
                                             options: .init(noncurrentGenerationsKept: 1, ledger: ledger))
        try store.createBucket("lake")
        _ = try store.put(Data(count: 1024), bucket: "lake", key: "a")
        clock.advance(by: .seconds(30 * 86_400))
        _ = try store.put(Data(count: 2048), bucket: "lake", key: "a")
        _ = try store.get(bucket: "lake", key: "a")
        _ = try store.head(bucket: "lake", key: "a")
        _ = try store.list(bucket: "lake")
        clock.advance(by: .seconds(30 * 86_400))
        let queue = try SQLiteMessageQueue(path: folder.path + "/queue.sqlite", clock: clock, ledger: ledger)
        try queue.createTopic("t")
        try queue.createSubscription("s", topic: "t")
        _ = try queue.publish([OutgoingMessage(data: Data(count: 100 * 1024)), OutgoingMessage(data: Data(count: 10))], to: "t")
        let pulled = try queue.pull("s", maxMessages: 10)
        try queue.ack("s", ackIDs: pulled.map(\.ackID))

        let usage = try CloudUsage.measure(ledger: ledger.snapshot(), store: store, now: clock.now)
        #expect(usage.writeRequests == 3)   // two puts and a list
        #expect(usage.readRequests == 2)    // a get and a head
        // 1 KiB for 60 days (kept as the noncurrent generation) and 2 KiB for 30 days.
        #expect(usage.storageByteSeconds == Double(1024 * 60 * 86_400 + 2048 * 30 * 86_400))
        // 102,410 bytes published in two messages: two 64 KiB chunks, then two deliveries and two acks.
        #expect(usage.queueRequests == 2 + 2 + 2)

        let bill = CostEstimate(usage: usage, prices: .awsUSEast1)
        let monthsOfOneGB = (1024.0 * 60 + 2048.0 * 30) / 30 / 1_073_741_824
        #expect(bill.lines.map(\.resource) == ["object_storage.write_requests", "object_storage.read_requests",
                                               "object_storage.stored", "queue.requests"])
        #expect(abs(bill.totalUSD - (3 * 0.000005 + 2 * 0.0000004 + monthsOfOneGB * 0.023 + 6 * 0.0000004)) < 1e-15)
        guard case .object(let total)? = bill.records.last else { Issue.record("no total record"); return }
        #expect(total["total_usd"] != nil && total["prices"] == "AWS us-east-1" && total["as_of"] == "2025-01-15")
    }

    @Test("rehearse run --cost adds each scenario's bill, with measured compute, to the report; the cost capture leaves compute out")
    func reportAndCapture() async throws {
        let folder = try TemporaryFolder()
        let scenario = try ScenarioParser.parse("""
            name: costed
            start: 2026-01-01T00:00:00Z
            cloud: {buckets: [data]}
            jobs:
              - name: touch
                exec: {argv: [sh, -c, 'true']}
            steps:
              - run: touch
              - advance: 30d
              - capture: {name: bill, cost: true}
            """, file: "inline.yaml", folder: folder.path)
        let runner = ScenarioRunner(goldens: GoldenStore(root: folder.path + "/golden"), options: .init(
            mode: .update, environment: RunEnvironment(isCI: false), prices: .awsUSEast1))
        let report = try await onThread { runner.run([scenario])[0].report }
        #expect(report.error == nil, "\(String(describing: report.error))")
        let cost = try #require(report.cost)
        #expect(cost.lines.last?.resource == "compute" && (cost.lines.last?.quantity ?? 0) > 0)
        let golden = try #require(try folder.read("golden/costed/bill.jsonl"))
        #expect(!golden.contains("compute"))
        #expect(golden.split(separator: "\n").count == 5)
    }

    @Test("always-on capacity is vCPUs held over virtual time, summed exactly, stopped and restarted")
    func provisionedCapacity() throws {
        let start = try #require(Instant(iso8601: "2026-01-01T00:00:00Z"))
        let capacity = ProvisionedCapacity()
        #expect(capacity.vcpuSeconds(at: start.advanced(by: .seconds(3_600))) == 0)
        capacity.hold("service api", vcpus: 1, from: start)
        capacity.hold("streaming workers", vcpus: 2, from: start.advanced(by: .seconds(60)))
        capacity.hold("streaming workers", vcpus: 5, from: start.advanced(by: .milliseconds(90_500)))
        capacity.hold("service api", vcpus: 0, from: start.advanced(by: .seconds(600)))
        capacity.hold("streaming workers", vcpus: 1, from: start.advanced(by: .seconds(300)))
        capacity.hold("service api", vcpus: 1, from: start.advanced(by: .seconds(900)))
        let end = start.advanced(by: .seconds(1_000))
        // api: 600 s, stopped 300 s, then 100 s; workers: 2 × 30.5 s, 5 × 209.5 s, 1 × 700 s.
        let expected: Double = 700 + 61 + 1_047.5 + 700
        #expect(capacity.vcpuSeconds(at: end) == expected)
        #expect(capacity.vcpuSeconds(at: end) == capacity.vcpuSeconds(at: end))

        let usage = try CloudUsage.measure(ledger: OperationLedger().snapshot(), store: try DirectoryObjectStore(
            root: URL(fileURLWithPath: try TemporaryFolder().path), clock: VirtualClock(start: end)), now: end, provisioned: capacity)
        let bill = CostEstimate(usage: usage, prices: .awsUSEast1, computeSeconds: 2)
        #expect(bill.lines.map(\.resource).suffix(2) == ["compute.always_on", "compute"])
        let alwaysOn = try #require(bill.lines.first { $0.resource == "compute.always_on" })
        #expect(alwaysOn.quantity == expected && alwaysOn.usd == expected * PriceSheet.awsUSEast1.vcpuSecond)
    }

    @Test("a served service is billed as always on from serve to drain and from serving again to the capture, on the virtual clock")
    func servicesAreBilledWhileUp() async throws {
        let folder = try TemporaryFolder()
        let scenario = try ScenarioParser.parse("""
            name: always-on
            start: 2026-01-01T00:00:00Z
            cloud: {buckets: [data]}
            slices:
              train: {file: data/tiny-train.csv}
            models:
              - {name: m, bucket: data, train: {slice: train, algorithm: nb}, aliases: [live]}
            services:
              - {name: api, model: m@live}
            steps:
              - serve: api
              - advance: 6h
              - signal: {serve: drain}
              - advance: 1d
              - serve: api
              - advance: 2h
              - capture: {name: bill, cost: true}
            """, file: "inline.yaml", folder: repositoryRoot + "/Tests/scenarios")
        let runner = ScenarioRunner(goldens: GoldenStore(root: folder.path + "/golden"), options: .init(
            mode: .update, environment: RunEnvironment(isCI: false), rehearseExecutable: try rehearseURL(), prices: .awsUSEast1))
        let report = try await onThread { runner.run([scenario])[0].report }
        #expect(report.error == nil, "\(String(describing: report.error))")
        let alwaysOn = try #require(report.cost?.lines.first { $0.resource == "compute.always_on" })
        #expect(alwaysOn.quantity == 8 * 3_600)
        let golden = try #require(try folder.read("golden/always-on/bill.jsonl"))
        #expect(golden.contains(#"{"quantity":28800,"resource":"compute.always_on","unit":"vCPU-seconds (virtual time)""#))
    }
}
