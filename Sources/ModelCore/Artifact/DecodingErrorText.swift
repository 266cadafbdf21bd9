/// Readable text for a `DecodingError`: what was wrong and at which field path.
enum DecodingErrorText {
    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return keys.isEmpty ? "the top level" : String(keys.dropFirst(keys.hasPrefix(".") ? 1 : 0))
        }
        switch error {
        case .keyNotFound(let key, let context):
            let parent = path(context)
            return "missing field '\(key.stringValue)' in \(parent == "the top level" ? parent : "'\(parent)'")"
        case .typeMismatch(let type, let context):
            return "field '\(path(context))' should be \(type): \(context.debugDescription)"
        case .valueNotFound(let type, let context):
            return "field '\(path(context))' should be \(type) but is null"
        case .dataCorrupted(let context):
            return "\(context.debugDescription) at \(path(context))"
        @unknown default:
            return "\(error)"
        }
    }
}
