import Dispatch
import Foundation
import ModelCore

/// A `TableHasher` fed a table's rows on a thread of its own, while the caller does other work
/// with the same rows; `finish` waits for it. The same hash as feeding the rows in place.
final class BackgroundTableHash: @unchecked Sendable {
    /// Written only by the hashing thread until `done` is signalled, read only after.
    private var hasher: TrainingDataSummary.TableHasher
    private let done = DispatchSemaphore(value: 0)

    /// Starts feeding `table`'s rows, with their `labels`, to `hasher`.
    init(_ hasher: TrainingDataSummary.TableHasher, adding table: TabularTable, labels: [Bool]) {
        self.hasher = hasher
        Thread.detachNewThread {
            self.hasher.add(table, labels: labels)
            self.done.signal()
        }
    }

    /// The hasher with the rows added, once they are.
    func finish() -> TrainingDataSummary.TableHasher {
        done.wait()
        return hasher
    }
}
