import Foundation
import JSON

/// Finds a stream line's tweet id (`data.id`).
enum TweetID {
    /// The id, or nil when the line is not an object with a non-empty `data.id` string.
    static func find(in line: Data) -> String? {
        if let tweet = StreamedTweet.scan(line) { return tweet.id }
        guard case .object(let root)? = try? JSONParser.parse(String(decoding: line, as: UTF8.self)),
              case .object(let data)? = root["data"], case .string(let id)? = data["id"], !id.isEmpty
        else { return nil }
        return id
    }
}
