import ArgumentParser
import Foundation
import LocalCloud
import Modes

/// `--root` and `--bucket` of the `rehearse models` sub-commands: the registry they work on.
struct RegistryOptions: ParsableArguments {
    @OptionGroup var cloud: CloudRootOptions

    @Option(help: ArgumentHelp("The bucket holding the registry.", valueName: "BUCKET"))
    var bucket: String

    /// The registry, its store opened read-only (`CloudRootOptions.objectStore`), or, when
    /// `writable`, to be written.
    /// - Throws: `CommandFailure` when the root has no object store or no such bucket.
    func registry(writable: Bool = false) throws -> ModelRegistry {
        let store: DirectoryObjectStore
        if writable {
            guard FileManager.default.fileExists(atPath: DirectoryObjectStore.indexPath(cloud.rootURL)) else {
                throw CommandFailure("no cloud at \(cloud.root): \(DirectoryObjectStore.indexPath(cloud.rootURL)) does not exist")
            }
            store = try DirectoryObjectStore(root: cloud.rootURL, clock: SystemClock())
        } else {
            store = try cloud.objectStore()
        }
        guard try store.bucketNames().contains(bucket) else { throw CommandFailure("no bucket \"\(bucket)\" in \(cloud.root)") }
        return ModelRegistry(store: store, bucket: bucket)
    }
}
