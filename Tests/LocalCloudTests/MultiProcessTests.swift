import Crypto
import Foundation
import LocalCloud
import Testing

/// Real child processes, really killed with SIGKILL.
@Suite(.serialized) struct MultiProcessTests {
    @Test func writerKilledMidPutLeavesOldOrNewObjectNeverTorn() throws {
        let folder = try TemporaryFolder()
        let size = 1 << 20
        let store = try DirectoryObjectStore(root: folder.url, clock: VirtualClock())
        try store.createBucket("in")
        for round in 1...6 {
            let worker = try ChildProcess(["put-loop", folder.path, "in", "model.bin", String(size)])
            #expect(worker.readLine() == "ready")
            // Let it complete a few puts (a different number each round), then kill it mid-flight.
            #expect(worker.waitForLine { $0 == "put \(round + 1)" })
            worker.kill()

            let reopened = try DirectoryObjectStore(root: folder.url, clock: VirtualClock())
            let object = try reopened.get(bucket: "in", key: "model.bin")
            #expect(object.data.count == size)
            #expect(object.metadata.size == Int64(size))
            // The whole body must be one version's body (the worker repeats "version <n>\n").
            let firstLine = String(decoding: object.data.prefix(19), as: UTF8.self)
            let version = try #require(Int(firstLine.dropFirst(8).prefix(10)), "unexpected body: \(firstLine)")
            #expect(version >= round + 1)  // at least the last put it reported
            #expect(object.data == putLoopBody(version: version, bytes: size), "torn object (starts as version \(version))")
            let md5 = Insecure.MD5.hash(data: object.data).map { String(format: "%02x", $0) }.joined()
            #expect(object.metadata.etag == md5)
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path + "/tmp").isEmpty)
        }
    }

    @Test func twoProcessesRaceAConditionalPutAndExactlyOneWins() throws {
        let folder = try TemporaryFolder()
        let store = try DirectoryObjectStore(root: folder.url, clock: VirtualClock())
        try store.createBucket("in")
        let rounds = 40
        let racers = try (0..<2).map { _ in try ChildProcess(["race", folder.path, "in", String(rounds)]) }
        for racer in racers { #expect(racer.readLine() == "ready") }
        for round in 0..<rounds {
            for racer in racers { racer.send("go \(round)") }
            let results = racers.map { $0.readLine() ?? "eof" }
            #expect(results.sorted() == ["\(round) lost", "\(round) won"], "round \(round): \(results)")
            let winner = racers[results.firstIndex(of: "\(round) won") ?? 0].pid
            #expect(try store.get(bucket: "in", key: "race-\(round)").data == Data("\(winner)".utf8))
        }
        for racer in racers { #expect(racer.wait() == 0) }
    }

    @Test func twoConsumersDrainTenThousandMessagesWhileOneIsKilledAndRestarted() throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/queue.sqlite"
        // Every process reads the time from clock.txt, which only this test moves: a live
        // consumer's lease can never lapse however slow the machine, and the killed consumer's
        // leases lapse exactly when the test moves the clock past them.
        let start = Instant(secondsSinceEpoch: 1_800_000_000)
        try setClock(folder, start)
        let queue = try SQLiteMessageQueue(path: path, clock: VirtualClock(start: start))
        try queue.createTopic("work")
        try queue.createSubscription("drain", topic: "work", options: SubscriptionOptions(ackDeadline: .seconds(10)))
        let total = 10_000
        for batch in 0..<(total / 100) {
            try queue.publish((0..<100).map { OutgoingMessage(data: Data("m\(batch * 100 + $0)".utf8)) }, to: "work")
        }

        let steady = try ChildProcess(["drain", path, "drain", folder.path])
        let victim = try ChildProcess(["drain", path, "drain", folder.path])
        #expect(steady.readLine() == "ready")
        #expect(victim.readLine() == "ready")
        // Kill the victim once it has received a good share, while it holds leases.
        var victimIDs: Set<Int64> = []
        func noteVictim(_ line: String) {
            if let (id, _) = delivery(line) { victimIDs.insert(id) }
        }
        #expect(victim.waitForLine { line in
            noteVictim(line)
            return victimIDs.count == 1500
        })
        victim.kill()
        while let line = victim.readLine() { noteVictim(line) }  // what it printed before dying
        let restarted = try ChildProcess(["drain", path, "drain", folder.path])
        #expect(restarted.readLine() == "ready")

        // Both survivors drain what is free until only the victim's leases are left ("idle":
        // each acks before it pulls again, so an idle consumer holds no lease) or nothing is.
        let survivors = [steady, restarted]
        var deliveries: [[(id: Int64, attempt: Int)]] = [[], []]
        var states: [String] = []
        for (index, survivor) in survivors.enumerated() {
            var state = "eof"
            while let line = survivor.readLine() {
                if let got = delivery(line) { deliveries[index].append(got) }
                if line == "idle" || line == "done" { state = line; break }
            }
            states.append(state)
        }
        #expect(states.allSatisfy { $0 == "idle" || $0 == "done" }, "\(states)")
        // Now the victim's leases lapse, and only theirs: no live consumer holds one.
        try setClock(folder, start.advanced(by: .seconds(11)))
        for (index, survivor) in survivors.enumerated() {
            if states[index] == "idle" { survivor.send("continue") }
            var finished = states[index] == "done"
            while !finished, let line = survivor.readLine() {
                if let got = delivery(line) { deliveries[index].append(got) }
                // The other survivor holds leases it is about to ack; ask again.
                if line == "idle" { survivor.send("continue") }
                if line == "done" { finished = true }
            }
            #expect(finished)
            #expect(survivor.wait() == 0)
        }
        // No message was handed to two live consumers, and only the victim's came back.
        let live = deliveries.flatMap { $0 }
        #expect(Set(live.map(\.id)).count == live.count)
        #expect(Set(deliveries[0].map(\.id)).isDisjoint(with: deliveries[1].map(\.id)))
        // A redelivery is the victim's lease lapsing: attempt 2. (The victim may die between
        // pulling a batch and printing it, so an id it never printed can come back too; that
        // no id reached two live consumers is checked above.)
        for (id, attempt) in live where attempt != 1 {
            #expect(attempt == 2, "message \(id) delivered to a live consumer as attempt \(attempt)")
        }
        // Every message ended acked; none lost.
        let info = try #require(try queue.subscriptions().first)
        #expect(info.backlog == 0)
        #expect(try queue.peek("drain", limit: 10).isEmpty)
        #expect(Set(live.map(\.id)).union(victimIDs) == Set(1...Int64(total)))
        #expect(victimIDs.count < total)
    }
}

/// Replaces `clock.txt` under `folder` atomically, moving the clock of every `drain` worker.
private func setClock(_ folder: TemporaryFolder, _ instant: Instant) throws {
    try Data((instant.iso8601 + "\n").utf8).write(to: URL(fileURLWithPath: CloudSandbox.clockPath(folder.url)), options: .atomic)
}

/// The message id and attempt of a `drain` worker's "got <id> <attempt>" line.
private func delivery(_ line: String) -> (id: Int64, attempt: Int)? {
    let parts = line.split(separator: " ")
    guard parts.count == 3, parts[0] == "got", let id = Int64(parts[1]), let attempt = Int(parts[2]) else { return nil }
    return (id, attempt)
}

/// The body `cloud-worker put-loop` writes for version `n` (same construction as the worker).
private func putLoopBody(version: Int, bytes: Int) -> Data {
    let line = Array(String(format: "version %010d\n", version).utf8)
    var data = Data(capacity: bytes)
    while data.count < bytes { data.append(contentsOf: line.prefix(bytes - data.count)) }
    return data
}
