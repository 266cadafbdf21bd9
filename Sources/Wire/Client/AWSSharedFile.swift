import Foundation

/// One of the AWS CLI's shared files, `~/.aws/credentials` or `~/.aws/config`: INI sections of
/// `name = value` settings. Comment lines start with `#` or `;`; an indented line belongs to the
/// nested block above it (`s3 =` followed by `  addressing_style = path`), which this reader skips.
struct AWSSharedFile {
    /// The file read.
    let path: String
    /// Settings by section name (`default`, `profile dev`, `dev`), then by setting name.
    let sections: [String: [String: String]]

    /// The file at `path`, or nil when there is none.
    /// - Throws: `S3ObjectStoreError.configuration` naming the file and line of anything that is
    ///   not a section header, a setting, a comment or a blank line, or when it cannot be read.
    static func read(_ path: String) throws -> AWSSharedFile? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw S3ObjectStoreError.configuration("cannot read \(path)")
        }
        return try AWSSharedFile(path: path, text: String(decoding: data, as: UTF8.self))
    }

    /// Parses `text`, read from `path`.
    init(path: String, text: String) throws {
        self.path = path
        var sections: [String: [String: String]] = [:]
        var current: String?
        // "\r\n" is one Character in Swift, so lines end at either separator.
        for (offset, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces.union(.init(charactersIn: "\r")))
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") || raw.first == " " || raw.first == "\t" { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]"), line.count > 2 else {
                    throw S3ObjectStoreError.configuration("\(path):\(offset + 1): expected a section header like [default], got \"\(line)\"")
                }
                let name = line.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
                current = name
                if sections[name] == nil { sections[name] = [:] }
                continue
            }
            guard let equals = line.firstIndex(of: "=") else {
                throw S3ObjectStoreError.configuration("\(path):\(offset + 1): expected name = value, got \"\(line)\"")
            }
            guard let section = current else {
                throw S3ObjectStoreError.configuration("\(path):\(offset + 1): \"\(line)\" comes before any [section]")
            }
            let name = line[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            sections[section, default: [:]][name] = value
        }
        self.sections = sections
    }
}
