// Child processes for the LocalCloud tests. Each command prints "ready" once set up, then one
// line per step, flushed at once, so a test can wait for explicit progress and kill it (SIGKILL)
// at any point. Not part of the product.
//
//   cloud-worker put-loop <root> <bucket> <key> <bytes>
//       Overwrites <key> forever with <bytes>-byte bodies made of one repeated line, printing
//       "put <n>" after each.
//   cloud-worker race <root> <bucket> <rounds>
//       For each round, waits for "go <round>" on stdin, then tries to create key "race-<round>"
//       with ifGenerationMatch=0 and prints "<round> won" or "<round> lost".
//   cloud-worker drain <queue.sqlite> <subscription> <clock-root>
//       Pulls batches of 10 and acks them, printing "got <id> <attempt>" per message; exits
//       with "done" when the subscription's backlog is empty. Time is what <clock-root>/clock.txt
//       says when read (the test moves it). When a pull finds nothing but others still hold
//       leases, it prints "idle" — holding no lease itself — and waits for "continue" on stdin.
//   cloud-worker open-rounds <base> <rounds> open|inspect
//       For each round, waits for "go <round>" on stdin, then works on the fresh root
//       <base>/round-<round>: "open" opens a CloudSandbox there (every database), creates a
//       bucket, puts an object and creates a topic, then prints "<round> ok"; "inspect" looks
//       inside read-only as `rehearse cloud` does, again and again (at most 200,000 times) until
//       it can read every database, then prints "<round> ok <why-not-ready,…>" listing the
//       distinct "not ready yet" answers it got on the way ("-" if none). Any other error
//       prints "<round> failed <error>".
//   cloud-worker sandbox-demo <root>
//       Fills a CloudSandbox with a few objects, generations, messages and schedules on a
//       virtual clock, for trying `rehearse cloud` by hand.
import Foundation
import LocalCloud

func emit(_ line: String) {
    let bytes = Array((line + "\n").utf8)
    bytes.withUnsafeBytes { buffer in
        var offset = 0
        while offset < buffer.count {
            let written = write(1, buffer.baseAddress! + offset, buffer.count - offset)
            if written <= 0 { exit(3) }
            offset += written
        }
    }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("cloud-worker: \(message)\n".utf8))
    exit(2)
}

/// The time in `<root>/clock.txt` (as `CloudSandbox.saveClockReading` writes it), read afresh
/// each time, so a test moves every process's clock at once by replacing the file.
struct FileClock: CloudClock {
    let root: URL

    var now: Instant {
        do {
            guard let instant = try CloudSandbox.savedClockReading(root) else { fail("no clock.txt in \(root.path)") }
            return instant
        } catch {
            fail("\(error)")
        }
    }

    func sleep(until deadline: Instant) async throws { fail("the file clock cannot sleep") }
}

/// The body a put-loop writes for version `n`: a repeated line, so a torn file shows mixed lines.
func body(version: Int, bytes: Int) -> Data {
    let line = Array(String(format: "version %010d\n", version).utf8)
    var data = Data(capacity: bytes)
    while data.count < bytes { data.append(contentsOf: line.prefix(bytes - data.count)) }
    return data
}

/// Opens a sandbox at `root` (made by several processes at once) and writes to each part.
func openFresh(_ root: URL) throws {
    let sandbox = try CloudSandbox(root: root, clock: VirtualClock())
    try sandbox.objects.createBucket("shared")
    try sandbox.objects.put(Data("\(getpid())".utf8), bucket: "shared", key: "from-\(getpid())")
    try sandbox.queue.createTopic("shared")
    _ = try sandbox.schedules.records()
}

/// Reads `root` as `rehearse cloud ls`, `topics` and `schedules` do. Returns why it is not
/// ready when the root is still being created (a missing file, or a file without tables yet).
func inspectFresh(_ root: URL) throws -> String? {
    do {
        let store = try DirectoryObjectStore(inspecting: root)
        for bucket in try store.bucketNames() { _ = try store.list(bucket: bucket) }
        _ = try SQLiteMessageQueue(inspecting: CloudSandbox.queuePath(root), clock: VirtualClock()).topics()
        guard FileManager.default.fileExists(atPath: CloudSandbox.schedulesPath(root)) else { return "no-schedules" }
        _ = try ScheduleStore(path: CloudSandbox.schedulesPath(root), readOnly: true).records()
        return nil
    } catch ObjectStoreError.storeNotFound {
        return "no-objects"
    } catch ObjectStoreError.storeNotInitialised {
        return "objects-not-initialised"
    } catch MessageQueueError.queueNotFound {
        return "no-queue"
    } catch MessageQueueError.queueNotInitialised {
        return "queue-not-initialised"
    } catch CronError.schedulesNotInitialised {
        return "schedules-not-initialised"
    }
}

let arguments = CommandLine.arguments
guard arguments.count >= 2 else { fail("usage: cloud-worker put-loop|race|drain …") }
do {
    switch arguments[1] {
    case "put-loop" where arguments.count == 6:
        let store = try DirectoryObjectStore(root: URL(fileURLWithPath: arguments[2]), clock: SystemClock())
        let size = Int(arguments[5]) ?? 1024
        emit("ready")
        var version = 0
        while true {
            version += 1
            try store.put(body(version: version, bytes: size), bucket: arguments[3], key: arguments[4])
            emit("put \(version)")
        }
    case "race" where arguments.count == 5:
        let store = try DirectoryObjectStore(root: URL(fileURLWithPath: arguments[2]), clock: SystemClock())
        let rounds = Int(arguments[4]) ?? 0
        emit("ready")
        for round in 0..<rounds {
            guard readLine() == "go \(round)" else { fail("expected go \(round)") }
            do {
                try store.put(Data("\(getpid())".utf8), bucket: arguments[3], key: "race-\(round)",
                              options: PutOptions(preconditions: .doesNotExist))
                emit("\(round) won")
            } catch ObjectStoreError.preconditionFailed {
                emit("\(round) lost")
            }
        }
    case "drain" where arguments.count == 5:
        let queue = try SQLiteMessageQueue(path: arguments[2], clock: FileClock(root: URL(fileURLWithPath: arguments[4])))
        let subscription = arguments[3]
        emit("ready")
        while true {
            let batch = try queue.pull(subscription, maxMessages: 10)
            if batch.isEmpty {
                let backlog = try queue.subscriptions().first { $0.name == subscription }?.backlog ?? 0
                if backlog == 0 { break }
                emit("idle")  // others hold leases; the test moves the clock or lets them finish
                guard readLine() == "continue" else { fail("expected continue") }
                continue
            }
            for message in batch { emit("got \(message.messageID) \(message.deliveryAttempt)") }
            try queue.ack(subscription, ackIDs: batch.map(\.ackID))
        }
        emit("done")
    case "open-rounds" where arguments.count == 5 && ["open", "inspect"].contains(arguments[4]):
        let rounds = Int(arguments[3]) ?? 0
        emit("ready")
        for round in 0..<rounds {
            guard readLine() == "go \(round)" else { fail("expected go \(round)") }
            let root = URL(fileURLWithPath: arguments[2] + "/round-\(round)")
            do {
                if arguments[4] == "open" {
                    try openFresh(root)
                    emit("\(round) ok")
                } else {
                    var answers = Set<String>()
                    var ready = false
                    for _ in 0..<200_000 where !ready {
                        if let why = try inspectFresh(root) { answers.insert(why) } else { ready = true }
                    }
                    guard ready else { fail("round \(round): still not ready after 200,000 looks") }
                    emit("\(round) ok \(answers.isEmpty ? "-" : answers.sorted().joined(separator: ","))")
                }
            } catch {
                emit("\(round) failed \(error)")
            }
        }
    case "sandbox-demo" where arguments.count == 3:
        let clock = VirtualClock()
        let sandbox = try CloudSandbox(root: URL(fileURLWithPath: arguments[2]), clock: clock,
                                       notifications: [ObjectNotificationRule(bucket: "inputs", topic: "uploads")])
        try sandbox.queue.createTopic("uploads")
        try sandbox.queue.createTopic("uploads-dead")
        try sandbox.queue.createSubscription("batch-job", topic: "uploads", options: SubscriptionOptions(
            ackDeadline: .seconds(30), maxDeliveryAttempts: 1, deadLetterTopic: "uploads-dead"))
        try sandbox.objects.createBucket("inputs")
        try sandbox.objects.createBucket("models")
        try sandbox.objects.put(Data("sentiment,text\npositive,great day\n".utf8), bucket: "inputs", key: "tweets/day-1.csv")
        clock.advance(by: .seconds(60))
        try sandbox.objects.put(Data("sentiment,text\nnegative,rain again\n".utf8), bucket: "inputs", key: "tweets/day-2.csv")
        for version in 1...3 {
            clock.advance(by: .seconds(3600))
            try sandbox.objects.put(Data("model v\(version)".utf8), bucket: "models", key: "sentiment/model.bin")
        }
        _ = try sandbox.queue.pull("batch-job", maxMessages: 1)
        clock.advance(by: .seconds(31))
        _ = try sandbox.queue.pull("batch-job", maxMessages: 1)  // the first message is dead-lettered
        try sandbox.scheduler.schedule("retrain", CronSchedule("0 3 * * MON", timeZone: "Europe/Berlin")) { _ in }
        try sandbox.scheduler.schedule("score", CronSchedule("@daily")) { _ in }
        try sandbox.scheduler.advance(by: .seconds(2 * 86_400))
        emit("ready")
    default:
        fail("unknown or malformed command: \(arguments.dropFirst().joined(separator: " "))")
    }
} catch {
    fail("\(error)")
}
