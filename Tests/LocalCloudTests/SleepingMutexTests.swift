import Dispatch
import LocalCloud
import Testing

@Suite struct SleepingMutexTests {
    @Test("threads that change the guarded value one at a time lose no change")
    func exclusiveAccess() {
        let counter = SleepingMutex((count: 0, inside: 0, overlaps: 0))
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for _ in 0..<20_000 {
                counter.withLock { state in
                    state.inside += 1
                    if state.inside > 1 { state.overlaps += 1 }
                    state.count += 1
                    state.inside -= 1
                }
            }
        }
        let final = counter.withLock { $0 }
        #expect(final.count == 160_000)
        #expect(final.overlaps == 0)
    }

    @Test("an error thrown inside releases the mutex")
    func throwingBodyReleases() {
        struct Failure: Error {}
        let value = SleepingMutex(1)
        #expect(throws: Failure.self) { try value.withLock { _ in throw Failure() } }
        #expect(value.withLock { $0 } == 1)
    }
}
