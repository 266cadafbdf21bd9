import Dispatch
import Synchronization

/// Checkpoints a WAL database from a connection of its own, outside the lock that guards its
/// owner's connection, so that no writer waits for a checkpoint.
///
/// SQLite's automatic checkpoint runs inside the commit that crosses its threshold, on the
/// committing connection: under the owner's lock, so every other thread of the process waits
/// while the whole WAL is copied back into the database. Instead, the owner's connection only
/// reports the WAL's length after each commit (``SQLiteDatabase/reportWALLength(to:)``, which
/// turns the automatic checkpoint off), and the owner calls ``checkpointIfDue()`` once it has
/// released its lock. When the WAL has reached the threshold, that hands a `PASSIVE` checkpoint
/// to a background queue, on this checkpointer's own connection: it copies every frame no
/// reader still needs while other connections go on reading and writing, and no caller waits
/// for it (a caller holding a leased batch, say). One checkpoint runs at a time; a write that
/// finds one due while one is scheduled or running leaves it be.
///
/// A checkpoint that fails (a full disk, say) loses nothing: the frames stay in the WAL, and
/// the next write tries again.
final class WALCheckpointer: Sendable {
    private let path: String
    private let synchronous: SQLiteDatabase.Synchronous
    private let thresholdFrames: Int
    private let walFrames = Atomic<Int>(0)
    private let isScheduled = Atomic<Bool>(false)
    private let background = DispatchQueue(label: "rehearse.wal-checkpoint")
    /// Opened on the first checkpoint; used only on `background`.
    private let connection = Mutex<SQLiteDatabase?>(nil)

    /// A checkpointer for `database` (a WAL file), due once the WAL holds `thresholdFrames`
    /// frames; it checkpoints with `database`'s durability.
    init(for database: SQLiteDatabase, synchronous: SQLiteDatabase.Synchronous, thresholdFrames: Int) {
        path = database.path
        self.synchronous = synchronous
        self.thresholdFrames = thresholdFrames
        database.reportWALLength(to: self)
    }

    /// Told by the watched connection after each commit: the WAL now holds `frames` frames.
    func walLength(_ frames: Int) {
        walFrames.store(frames, ordering: .relaxed)
    }

    /// Schedules a checkpoint if the WAL has reached the threshold and none is scheduled or
    /// running. Call it without holding the lock of the watched connection.
    func checkpointIfDue() {
        guard walFrames.load(ordering: .relaxed) >= thresholdFrames,
              isScheduled.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged
        else { return }
        background.async { [self] in
            defer { isScheduled.store(false, ordering: .releasing) }
            connection.withLock { connection in
                do {
                    // Never creates the file: the owner may have removed it (and its folder) by now.
                    if connection == nil { connection = try SQLiteDatabase(path: path, mustExist: true, synchronous: synchronous) }
                    try connection?.checkpointPassively()
                    // The next commit reports the WAL's length again (short once it restarts).
                    walFrames.store(0, ordering: .relaxed)
                } catch {
                    // Nothing is lost: the frames stay in the WAL for the next try.
                }
            }
        }
    }

    /// Waits until a checkpoint scheduled before this call has finished.
    func waitUntilIdle() {
        background.sync {}
    }
}
