import Determinism
import Foundation
import Synchronization

/// What identifies one version of a file: if any of these change, the file was replaced or
/// edited and the index must look at it again. (mtime is the file system's, used only for this
/// comparison and never reported.)
struct FileIdentity: Equatable {
    var inode: UInt64
    var size: Int64
    var modifiedNanoseconds: Int64

    init(_ status: stat) {
        inode = UInt64(status.st_ino)
        size = Int64(status.st_size)
        modifiedNanoseconds = Int64(status.st_mtim.tv_sec) * 1_000_000_000 + Int64(status.st_mtim.tv_nsec)
    }

    init(inode: UInt64, size: Int64, modifiedNanoseconds: Int64) {
        self.inode = inode
        self.size = size
        self.modifiedNanoseconds = modifiedNanoseconds
    }
}

/// What is at a path, without following a final symlink.
enum PathStatus: Equatable {
    case missing
    case file(FileIdentity)
    case directory
    case symlink
    case other
}

/// Thin, errno-checked wrappers over the POSIX calls the directory object store needs.
enum FileSystem {
    static func status(_ path: String) throws -> PathStatus {
        var info = stat()
        if lstat(path, &info) != 0 {
            if errno == ENOENT || errno == ENOTDIR { return .missing }
            throw ObjectStoreError.io(operation: "lstat", path: path, errno: errno)
        }
        return status(of: info)
    }

    private static func status(of info: stat) -> PathStatus {
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .file(FileIdentity(info))
        case S_IFDIR: return .directory
        case S_IFLNK: return .symlink
        default: return .other
        }
    }

    /// Writes `data` to a new file at `path` (which must not exist); fsyncs it if `durable`.
    ///
    /// Where the file system allows it, the file is made unnamed in `path`'s folder
    /// (`O_TMPFILE`), filled, and only then given its name (`linkat`). Creating a named file
    /// holds the folder's lock while the file system finds a free inode, which on ext4 without
    /// a journal means stepping over every inode deleted in the last minutes (milliseconds after
    /// a large delete); a rename out of the same folder on another thread waited all that time.
    /// Named last, the file holds the lock only to add its entry. Otherwise the file is created
    /// by name, as it is for good once unnamed files turn out not to work here.
    ///
    /// With a `reserve` for `path`'s folder, the unnamed file is taken from it when one is ready.
    static func writeNewFile(_ path: String, _ data: Data, durable: Bool, reserve: UnnamedFileReserve? = nil) throws -> FileIdentity {
        if UnnamedFiles.available, let identity = try writeUnnamed(path, data, durable: durable, reserve: reserve) { return identity }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw ObjectStoreError.io(operation: "create", path: path, errno: errno) }
        defer { close(descriptor) }
        return try fill(descriptor, data, durable: durable, path: path)
    }

    /// `writeNewFile` through an unnamed file; nil when that did not work and the file should be
    /// created by name (which reports a failure the way it always has).
    private static func writeUnnamed(_ path: String, _ data: Data, durable: Bool, reserve: UnnamedFileReserve?) throws -> FileIdentity? {
        let folder = PathText.parent(of: path)
        // A reserved file made before its folder was removed cannot be named there; then a file
        // made now finds out why.
        if let reserve, reserve.folder == folder, let descriptor = reserve.take(),
           let identity = try fillAndName(descriptor, path, data, durable: durable) {
            return identity
        }
        guard let descriptor = makeUnnamedFile(in: folder) else { return nil }
        if let identity = try fillAndName(descriptor, path, data, durable: durable) { return identity }
        // No /proc to name the file through, or links refused here: name files as they are made.
        UnnamedFiles.available = false
        return nil
    }

    /// Fills the unnamed file `descriptor` with `data` and names it `path`, closing it; nil when
    /// it could not be named (other than for an existing `path`, which throws).
    private static func fillAndName(_ descriptor: Int32, _ path: String, _ data: Data, durable: Bool) throws -> FileIdentity? {
        defer { close(descriptor) }
        let identity = try fill(descriptor, data, durable: durable, path: path)
        if linkat(AT_FDCWD, "/proc/self/fd/\(descriptor)", AT_FDCWD, path, AT_SYMLINK_FOLLOW) == 0 { return identity }
        if errno == EEXIST { throw ObjectStoreError.io(operation: "create", path: path, errno: EEXIST) }
        return nil
    }

    /// An unnamed file in `folder`, open for writing; nil when it cannot be made (the named path
    /// reports failures). The first failure for want of `O_TMPFILE` turns unnamed files off.
    static func makeUnnamedFile(in folder: String) -> Int32? {
        guard UnnamedFiles.available else { return nil }
        let descriptor = open(folder, UnnamedFiles.openFlags, 0o644)
        if descriptor >= 0 { return descriptor }
        if [EOPNOTSUPP, EISDIR, EINVAL].contains(errno) { UnnamedFiles.available = false }
        return nil
    }

    /// Writes `data` to an open, empty file, fsyncs it if `durable`, and returns its identity.
    private static func fill(_ descriptor: Int32, _ data: Data, durable: Bool, path: String) throws -> FileIdentity {
        try data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw ObjectStoreError.io(operation: "write", path: path, errno: errno)
                }
                offset += written
            }
        }
        if durable, fsync(descriptor) != 0 { throw ObjectStoreError.io(operation: "fsync", path: path, errno: errno) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw ObjectStoreError.io(operation: "fstat", path: path, errno: errno) }
        return FileIdentity(info)
    }

    /// An open file, not following a final symlink; nil if no file is there (nothing, a
    /// folder, or a symlink).
    static func openForReading(_ path: String) throws -> Int32? {
        let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        if descriptor >= 0 { return descriptor }
        // ELOOP: a symlink put there by hand, which is never followed (not an object).
        if errno == ENOENT || errno == ENOTDIR || errno == EISDIR || errno == ELOOP { return nil }
        throw ObjectStoreError.io(operation: "open", path: path, errno: errno)
    }

    /// The identity of an open file, or nil if it is not a regular file.
    static func identity(of descriptor: Int32, path: String) throws -> FileIdentity? {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw ObjectStoreError.io(operation: "fstat", path: path, errno: errno) }
        return (info.st_mode & S_IFMT) == S_IFREG ? FileIdentity(info) : nil
    }

    /// Reads `count` bytes from the start of an open file.
    static func read(_ descriptor: Int32, count: Int, path: String) throws -> Data {
        var data = Data(count: count)
        try data.withUnsafeMutableBytes { buffer in
            var offset = 0
            while offset < count {
                let got = pread(descriptor, buffer.baseAddress! + offset, count - offset, off_t(offset))
                if got < 0 {
                    if errno == EINTR { continue }
                    throw ObjectStoreError.io(operation: "read", path: path, errno: errno)
                }
                if got == 0 { throw ObjectStoreError.io(operation: "read (file shrank)", path: path, errno: EIO) }
                offset += got
            }
        }
        return data
    }

    /// The whole content of a regular file we own (not following symlinks).
    static func readFile(_ path: String) throws -> Data {
        guard let descriptor = try openForReading(path) else {
            throw ObjectStoreError.io(operation: "open", path: path, errno: ENOENT)
        }
        defer { close(descriptor) }
        guard let identity = try identity(of: descriptor, path: path) else {
            throw ObjectStoreError.io(operation: "read (not a regular file)", path: path, errno: EISDIR)
        }
        return try read(descriptor, count: Int(identity.size), path: path)
    }

    static func rename(_ source: String, _ destination: String) throws {
        if Glibc.rename(source, destination) != 0 {
            throw ObjectStoreError.io(operation: "rename to \(destination)", path: source, errno: errno)
        }
    }

    /// Creates a hard link; replaces nothing (fails with EEXIST if `destination` exists).
    static func link(_ source: String, _ destination: String) throws {
        if Glibc.link(source, destination) != 0 {
            throw ObjectStoreError.io(operation: "link to \(destination)", path: source, errno: errno)
        }
    }

    /// Removes a file; a missing file is not an error.
    static func removeFile(_ path: String) throws {
        if unlink(path) != 0 && errno != ENOENT {
            throw ObjectStoreError.io(operation: "unlink", path: path, errno: errno)
        }
    }

    /// Creates a directory; an existing one is not an error.
    static func makeDirectory(_ path: String) throws {
        if mkdir(path, 0o755) != 0 && errno != EEXIST {
            throw ObjectStoreError.io(operation: "mkdir", path: path, errno: errno)
        }
    }

    /// Creates a directory and its missing parents.
    /// Fails with the real `errno` (`ENOTDIR` when a file is in the way, `EACCES`, …).
    static func makeDirectories(_ path: String) throws {
        if mkdir(path, 0o755) == 0 { return }
        let code = errno
        switch code {
        case EEXIST:
            var info = stat()
            guard stat(path, &info) == 0 else { throw ObjectStoreError.io(operation: "create folder", path: path, errno: errno) }
            if info.st_mode & S_IFMT != S_IFDIR { throw ObjectStoreError.io(operation: "create folder", path: path, errno: ENOTDIR) }
        case ENOENT:
            let parent = PathText.parent(of: path)
            guard !parent.isEmpty, parent != path else { throw ObjectStoreError.io(operation: "create folder", path: path, errno: code) }
            try makeDirectories(parent)
            if mkdir(path, 0o755) != 0 && errno != EEXIST {
                throw ObjectStoreError.io(operation: "create folder", path: path, errno: errno)
            }
        default:
            throw ObjectStoreError.io(operation: "create folder", path: path, errno: code)
        }
    }

    /// Removes a directory if it is empty; returns whether it did.
    @discardableResult
    static func removeDirectoryIfEmpty(_ path: String) -> Bool { rmdir(path) == 0 }

    /// Removes a directory and every directory under it, if none of them holds anything else
    /// (a file, a link); returns whether the directory is gone. Never removes a file.
    @discardableResult
    static func removeEmptyTree(_ path: String) throws -> Bool {
        for name in try entries(path) where try status(path + "/" + name) == .directory {
            try removeEmptyTree(path + "/" + name)
        }
        return removeDirectoryIfEmpty(path)
    }

    /// fsyncs a directory so a rename or unlink in it survives a power loss.
    static func syncDirectory(_ path: String) throws {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw ObjectStoreError.io(operation: "open folder", path: path, errno: errno) }
        defer { close(descriptor) }
        if fsync(descriptor) != 0 { throw ObjectStoreError.io(operation: "fsync folder", path: path, errno: errno) }
    }

    /// The entries of a directory (no `.`/`..`), sorted by name bytes; empty if it is missing.
    static func entries(_ path: String) throws -> [String] {
        var names: [String] = []
        try forEachEntry(path) { _, name in names.append(name) }
        return names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// The entries of a directory and what each one is (as `status` says, without following
    /// symlinks), in the order the directory holds them; empty if it is missing. Each entry is
    /// looked at relative to the open directory, not by its whole path again.
    static func entryStatuses(_ path: String) throws -> [(name: String, status: PathStatus)] {
        var statuses: [(name: String, status: PathStatus)] = []
        try forEachEntry(path) { directory, name in
            var info = stat()
            if fstatat(dirfd(directory), name, &info, AT_SYMLINK_NOFOLLOW) != 0 {
                if errno == ENOENT { return }  // removed since it was read
                throw ObjectStoreError.io(operation: "fstatat", path: path + "/" + name, errno: errno)
            }
            statuses.append((name, status(of: info)))
        }
        return statuses
    }

    /// Calls `body` with the open directory and each entry's name (no `.`/`..`) in the order
    /// the directory holds them; with none if it is missing.
    private static func forEachEntry(_ path: String, _ body: (OpaquePointer, String) throws -> Void) throws {
        guard let directory = opendir(path) else {
            if errno == ENOENT || errno == ENOTDIR { return }
            throw ObjectStoreError.io(operation: "opendir", path: path, errno: errno)
        }
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            guard name != "." && name != ".." else { continue }
            try body(directory, name)
        }
    }

    /// Whether a process with this id is running (used to clean up after killed writers).
    static func isProcessAlive(_ pid: Int32) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }
}

/// Whether files can be created unnamed and named later (Linux's `O_TMPFILE` and `linkat`
/// through `/proc/self/fd`): assumed until the file system or the process's view says no.
private enum UnnamedFiles {
    /// `O_TMPFILE` (`__O_TMPFILE | O_DIRECTORY`, a macro Swift does not import) for writing.
    static let openFlags: Int32 = 0o20000000 | O_DIRECTORY | O_WRONLY | O_CLOEXEC

    private static let state = Atomic<Bool>(true)

    static var available: Bool {
        get { state.load(ordering: .relaxed) }
        set { state.store(newValue, ordering: .relaxed) }
    }
}
