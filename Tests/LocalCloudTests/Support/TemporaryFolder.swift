import Foundation

/// A fresh folder under the system temp directory, removed when the value is released.
final class TemporaryFolder {
    let url: URL

    init() throws {
        let template = FileManager.default.temporaryDirectory.path + "/rehearse-cloud-XXXXXX"
        var bytes = Array(template.utf8CString)
        guard let made = mkdtemp(&bytes) else { throw CocoaError(.fileWriteUnknown) }
        url = URL(fileURLWithPath: String(cString: made))
    }

    var path: String { url.path }

    deinit { try? FileManager.default.removeItem(at: url) }
}
