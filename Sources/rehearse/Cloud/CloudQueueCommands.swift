import ArgumentParser
import Foundation
import LocalCloud

/// `rehearse cloud topics`: topics and subscriptions with their counts.
struct CloudTopicsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topics",
        abstract: "List topics and their subscriptions with backlog, leased and dead-lettered counts.",
        discussion: "DELIVERY is `leased` (pulled and acked) or `in-order` (read by one reader that commits its position, with no leases).")

    @OptionGroup var cloud: CloudRootOptions

    func run() throws {
        let queue = try cloud.queue()
        let subscriptions = try queue.subscriptions()
        var rows = [["TOPIC", "SUBSCRIPTION", "DELIVERY", "BACKLOG", "LEASED", "DEAD-LETTERED", "DEAD-LETTER TOPIC"]]
        for topic in try queue.topics() {
            let subscribed = subscriptions.filter { $0.topic == topic.name }
            if subscribed.isEmpty { rows.append([topic.name, "-", "-", "-", "-", "-", "-"]) }
            rows += subscribed.map {
                let inOrder = $0.options.delivery == .inOrder
                return [topic.name, $0.name, inOrder ? "in-order" : "leased", String($0.backlog), inOrder ? "-" : String($0.leased),
                        inOrder ? "-" : String($0.deadLettered), $0.options.deadLetterTopic ?? "-"]
            }
        }
        print(table(rows))
    }
}

/// `rehearse cloud peek`: the next messages of a subscription, without leasing them.
struct CloudPeekCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "peek",
        abstract: "Show a subscription's unacked (or, in order, uncommitted) messages, oldest first, without taking them.")

    @OptionGroup var cloud: CloudRootOptions

    @Argument(help: "The subscription.")
    var subscription: String

    @Option(parsing: .unconditional, help: "How many messages to show.")
    var limit: Int = 10

    @Flag(help: "Show each body whole (by default, its first \(Self.shownCharacters) characters).")
    var full = false

    /// How much of a body is shown without `--full`.
    static let shownCharacters = 200

    func validate() throws {
        guard limit >= 1 else { throw ValidationError("--limit must be at least 1, got \(limit)") }
    }

    func run() throws {
        let queue = try cloud.queue()
        // An in-order subscription keeps no delivery attempts: its messages are only not yet committed.
        let inOrder = try queue.subscriptions().first { $0.name == subscription }?.options.delivery == .inOrder
        for message in try queue.peek(subscription, limit: limit) {
            var header = "#\(message.messageID) published \(message.publishTime.iso8601), "
                + (inOrder ? "not yet committed" : "delivered \(message.deliveryAttempts)×")
            if let lease = message.leasedUntil { header += ", leased until \(lease.iso8601)" }
            if let key = message.orderingKey { header += ", ordering key \(key)" }
            print(header)
            for (name, value) in message.attributes.sorted(by: { $0.key < $1.key }) { print("  \(name)=\(value)") }
            let text = String(data: message.data, encoding: .utf8) ?? "<\(message.data.count) bytes, not UTF-8>"
            print("  " + (full || text.count <= Self.shownCharacters ? text : String(text.prefix(Self.shownCharacters)) + "…"))
        }
    }
}

/// `rehearse cloud schedules`: schedules with their next run times.
struct CloudSchedulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedules", abstract: "List cron schedules with their last and next run times.")

    @OptionGroup var cloud: CloudRootOptions

    @Option(help: "Compute next runs after this ISO-8601 time instead of after each schedule's last run.")
    var after: String?

    func validate() throws {
        if let after, Instant(iso8601: after) == nil {
            throw ValidationError("--after \(after) is not an ISO-8601 time like 2026-01-31T12:00:00Z")
        }
    }

    func run() throws {
        let path = CloudSandbox.schedulesPath(cloud.rootURL)
        guard FileManager.default.fileExists(atPath: path) else { throw CommandFailure("no schedules: \(path) does not exist") }
        let start = after.flatMap { Instant(iso8601: $0) }
        var rows = [["NAME", "SCHEDULE", "TIME ZONE", "MISSED RUNS", "LAST RUN", "NEXT RUN"]]
        for record in try ScheduleStore(path: path, readOnly: true).records() {
            let schedule = try CronSchedule(record.expression, timeZone: record.timeZone)
            let next = schedule.nextRun(after: start ?? record.lastScheduledAt)
            rows.append([record.name, record.expression, record.timeZone, record.missedRuns.rawValue,
                         record.hasRun ? record.lastScheduledAt.iso8601 : "-", next?.iso8601 ?? "never"])
        }
        print(table(rows))
    }
}
