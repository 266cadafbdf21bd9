import Dispatch
import Foundation
import Synchronization

/// Runs `count` independent work items on `threads` workers, each worker with its own state,
/// and returns the results in item order, so the outcome never depends on the thread count.
public enum ParallelWork {
    /// Every core the process may use.
    public static var availableCores: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    public static func map<State, Result: Sendable>(
        count: Int, threads: Int, makeState: @escaping @Sendable () -> State, _ work: @escaping @Sendable (Int, inout State) -> Result
    ) -> [Result] {
        let results = ResultSlots<Result>(count: count)
        let next = NextIndex()
        let workers = Swift.max(1, Swift.min(threads, count))
        // The closures escape for real: a finished worker thread may still hold them for a
        // moment after it says it is done.
        run(workers: workers) {
            var state = makeState()
            while let index = next.take(below: count) {
                results.store(work(index, &state), at: index)
            }
        }
        return results.values
    }

    /// Runs `drain` on `workers` threads at once (this one and `workers - 1` new ones) and
    /// waits for all of them.
    private static func run(workers: Int, _ drain: @escaping @Sendable () -> Void) {
        // Workers are threads of their own, not the dispatch pool that Swift's concurrency
        // runs on: work that blocks (a rehearsal waiting on its stream server) must never
        // starve the async tasks it waits for.
        let finished = DispatchGroup()
        for _ in 1..<workers {
            finished.enter()
            Thread.detachNewThread {
                drain()
                finished.leave()
            }
        }
        drain()
        finished.wait()
    }
}

/// One slot per work item; each slot is written by exactly one worker, then read after all
/// workers have finished, so no lock is needed.
private final class ResultSlots<Value: Sendable>: @unchecked Sendable {
    private let slots: UnsafeMutableBufferPointer<Value?>

    init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil)
    }

    deinit {
        _ = slots.deinitialize()
        slots.deallocate()
    }

    func store(_ value: Value, at index: Int) { slots[index] = value }

    var values: [Value] { slots.map { $0! } }
}

/// A shared counter handing out work item indices.
private final class NextIndex: Sendable {
    private let next = Atomic<Int>(0)

    func take(below count: Int) -> Int? {
        let index = next.add(1, ordering: .relaxed).oldValue
        return index < count ? index : nil
    }
}
