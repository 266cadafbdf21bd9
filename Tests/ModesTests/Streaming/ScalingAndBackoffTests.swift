import Foundation
import LocalCloud
import Modes
import Testing

@Suite("Autoscaling and reconnect backoff")
struct ScalingAndBackoffTests {
    @Test("the policy wants backlog ÷ target workers, within bounds, and one more for a stuck backlog")
    func wantedWorkers() throws {
        let policy = try AutoscalingPolicy(minWorkers: 1, maxWorkers: 4, targetBacklogPerWorker: 100,
                                           maxOldestUnackedAge: .seconds(30), coolDown: .seconds(60))
        #expect(policy.wantedWorkers(backlog: 0, oldestAge: nil, current: 2) == 1)
        #expect(policy.wantedWorkers(backlog: 101, oldestAge: .seconds(1), current: 1) == 2)
        #expect(policy.wantedWorkers(backlog: 10_000, oldestAge: .seconds(1), current: 1) == 4)
        #expect(policy.wantedWorkers(backlog: 50, oldestAge: .seconds(31), current: 2) == 3)
        #expect(policy.wantedWorkers(backlog: 50, oldestAge: .seconds(31), current: 4) == 4)
    }

    @Test("a policy out of range names its field")
    func validation() {
        #expect(throws: AutoscalingPolicyError.outOfRange(field: "min_workers", expected: "at least 1", found: "0")) {
            try AutoscalingPolicy(minWorkers: 0, maxWorkers: 2, targetBacklogPerWorker: 1, coolDown: .zero)
        }
        #expect(throws: AutoscalingPolicyError.outOfRange(field: "max_workers", expected: "at least min_workers (3)", found: "2")) {
            try AutoscalingPolicy(minWorkers: 3, maxWorkers: 2, targetBacklogPerWorker: 1, coolDown: .zero)
        }
    }

    @Test("the autoscaler scales up on a burst and down after the cool-down, recording each decision")
    func decisions() throws {
        let fixture = try StreamingFixture()
        let policy = try AutoscalingPolicy(minWorkers: 1, maxWorkers: 3, targetBacklogPerWorker: 10, coolDown: .seconds(60))
        var scaler = Autoscaler(policy: policy, queue: fixture.queue, subscription: "workers", clock: fixture.clock)
        #expect(try scaler.evaluate(current: 1) == nil)
        try fixture.publish((0..<25).map { StreamingFixture.line(id: "\($0)", text: "t") })
        fixture.clock.advance(by: .seconds(5))
        let up = try #require(try scaler.evaluate(current: 1))
        #expect(up.from == 1 && up.to == 3 && up.backlog == 25 && up.oldestUnackedAge == .seconds(5))
        guard case .object(let decision) = up.json else { Issue.record("not an object"); return }
        #expect(decision["action"] == "scale-up")
        _ = try fixture.drain(try fixture.worker(batchSize: 100))
        fixture.clock.advance(by: .seconds(59))
        #expect(try scaler.evaluate(current: 3) == nil)  // cooling down
        fixture.clock.advance(by: .seconds(1))
        let down = try #require(try scaler.evaluate(current: 3))
        #expect(down.from == 3 && down.to == 1 && down.backlog == 0 && down.oldestUnackedAge == nil)
    }

    @Test("reconnect waits follow Twitter's guidance, jittered within [d/2, d], the same for a seed")
    func backoff() {
        #expect(ReconnectBackoff.baseDelay(after: .network, count: 1) == .milliseconds(250))
        #expect(ReconnectBackoff.baseDelay(after: .network, count: 3) == .milliseconds(750))
        #expect(ReconnectBackoff.baseDelay(after: .network, count: 500) == .seconds(16))
        #expect(ReconnectBackoff.baseDelay(after: .http, count: 1) == .seconds(5))
        #expect(ReconnectBackoff.baseDelay(after: .http, count: 7) == .seconds(320))
        #expect(ReconnectBackoff.baseDelay(after: .http, count: 30) == .seconds(320))
        #expect(ReconnectBackoff.baseDelay(after: .rateLimited, count: 2) == .seconds(120))
        var one = ReconnectBackoff(seed: 5)
        var two = ReconnectBackoff(seed: 5)
        let failures: [ReconnectBackoff.Failure] = [.network, .network, .network, .http, .http, .rateLimited]
        for (index, failure) in failures.enumerated() {
            // Consecutive failures of one kind count up; another kind starts again at 1.
            let count = failures[...index].reversed().prefix { $0 == failure }.count
            let base = ReconnectBackoff.baseDelay(after: failure, count: count)
            let wait = one.delay(after: failure)
            #expect(wait >= base / 2 && wait <= base)
            #expect(two.delay(after: failure) == wait)
        }
        one.reset()
        let afterReset = one.delay(after: .network)
        #expect(afterReset <= .milliseconds(250))
    }
}
