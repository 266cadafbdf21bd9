import Dispatch
import Glibc
import Synchronization

/// Empty unnamed files (`O_TMPFILE`) in one folder, made ahead of need on a background queue, for
/// a store's puts to fill and name.
///
/// Making a file costs the file system a search for a free inode. On ext4 without a journal that
/// search steps over every inode freed in the last minutes, one at a time: after a large delete
/// nearby (a test run, a removed sandbox) a new file costs up to a millisecond of CPU. A caller
/// that puts objects between bouts of computing (a scheduled job writing its outputs) then pays
/// that on its own thread; with a reserve it is paid on another core while the caller computes.
///
/// The files have no name until a put links one, so files not taken (a store closed, a process
/// killed) leave nothing on disk. The reserve starts at the first `take()`: a store that never
/// writes makes no file. It stops making files for good after a failure (no `O_TMPFILE` here, a
/// removed folder, too many open files); callers then make their own, which report any error.
final class UnnamedFileReserve: Sendable {
    /// The folder the files are made in.
    let folder: String
    private let capacity: Int
    /// Files ready to take, or nil once closed.
    private let files = Mutex<[Int32]?>([])
    private let isFilling = Atomic<Bool>(false)
    private let hasFailed = Atomic<Bool>(false)
    private let background = DispatchQueue(label: "rehearse.unnamed-files")

    /// A reserve of up to `capacity` files in `folder` (none when `capacity` is 0).
    init(folder: String, capacity: Int) {
        self.folder = folder
        self.capacity = capacity
    }

    /// An empty unnamed file in `folder`, open for writing (the caller closes it), or nil when
    /// none is ready. Each call has the reserve made full again in the background.
    func take() -> Int32? {
        let taken = files.withLock { $0?.popLast() }
        fillInBackground()
        return taken
    }

    /// Closes the files not taken and waits until a file being made is closed too, so that the
    /// reserve holds no descriptor once this returns; later takes return nil. Not to be called
    /// from the reserve's own queue (its owner's `deinit` is the place).
    func close() {
        closeFiles()
        background.sync {}
    }

    deinit { closeFiles() }

    private func closeFiles() {
        let left = files.withLock { files in
            defer { files = nil }
            return files ?? []
        }
        for descriptor in left { Glibc.close(descriptor) }
    }

    /// Makes files until the reserve is full, on `background`, unless that is under way, has
    /// failed or the reserve is closed.
    private func fillInBackground() {
        guard capacity > 0, !hasFailed.load(ordering: .relaxed),
              isFilling.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged
        else { return }
        background.async { [self] in
            fill()
            isFilling.store(false, ordering: .releasing)
            // A take since the last look found the filling under way and left it to this one.
            if isShort { fillInBackground() }
        }
    }

    private var isShort: Bool { files.withLock { ($0?.count ?? capacity) < capacity } }

    private func fill() {
        while isShort {
            guard let descriptor = FileSystem.makeUnnamedFile(in: folder) else {
                hasFailed.store(true, ordering: .relaxed)
                return
            }
            let kept = files.withLock { files in
                guard files != nil else { return false }
                files!.append(descriptor)
                return true
            }
            if !kept { Glibc.close(descriptor) }
        }
    }
}
