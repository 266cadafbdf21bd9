/// A MIME type guessed from a key's extension; `application/octet-stream` when unknown.
func guessContentType(forKey key: String) -> String {
    guard let dot = key.lastIndex(of: "."), !key[dot...].contains("/") else { return "application/octet-stream" }
    switch key[key.index(after: dot)...].lowercased() {
    case "json": return "application/json"
    case "jsonl", "ndjson": return "application/x-ndjson"
    case "csv": return "text/csv"
    case "txt", "log": return "text/plain"
    case "html", "htm": return "text/html"
    case "yaml", "yml": return "application/yaml"
    case "parquet": return "application/vnd.apache.parquet"
    case "png": return "image/png"
    case "jpg", "jpeg": return "image/jpeg"
    case "gz": return "application/gzip"
    default: return "application/octet-stream"
    }
}
