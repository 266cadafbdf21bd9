import Foundation

/// A task executor with a thread of its own. The streaming session runs the emulated stream's
/// server and the ingest connector on it, not on Swift's cooperative pool: whoever drives a
/// rehearsal (a synchronous test, `ParallelWork`'s threads) may be blocking every thread of
/// that pool, and the stream must still run.
///
/// Child tasks (task groups, `async let`) inherit the preference, so everything a server task
/// starts runs here too. The thread ends after ``shutDown()`` once no job is left.
final class ThreadExecutor: TaskExecutor, @unchecked Sendable {
    private let condition = NSCondition()
    /// Jobs waiting to run, guarded by `condition`.
    private var jobs: [UnownedJob] = []
    /// Whether the thread should end once `jobs` is empty, guarded by `condition`.
    private var shuttingDown = false

    /// Starts the executor's thread, named `name`.
    init(name: String) {
        let thread = Thread { [self] in loop() }
        thread.name = name
        thread.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Lets the thread end once it has run every job enqueued.
    func shutDown() {
        condition.lock()
        shuttingDown = true
        condition.signal()
        condition.unlock()
    }

    private func loop() {
        while true {
            condition.lock()
            while jobs.isEmpty && !shuttingDown { condition.wait() }
            if jobs.isEmpty {
                condition.unlock()
                return
            }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
