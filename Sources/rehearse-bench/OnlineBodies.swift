import Corpus
import Foundation
import JSON

/// `rehearse-bench online-bodies`: the request bodies `bench/online` and `bench/online-peers`
/// replay, one tweet per request.
///
/// Writes `count` bodies as JSON lines (canonical JSON, one object a line), rotating through the
/// test split's tweets in corpus order; the default count is the test split's size, each tweet
/// once. The `v2` shape is a KServe V2 infer request for one text, with the id `t<row>` (plus
/// `-<round>` after the first pass):
/// `{"id":"t12","inputs":[{"data":["…"],"datatype":"BYTES","name":"text","parameters":{"content_type":"str"},"shape":[1]}]}`.
/// The `text` shape is `{"text":"…"}`, the body of the bare Hummingbird peer.
enum OnlineBodies {
    /// The body shapes there are.
    enum Shape: String, CaseIterable {
        case v2
        case text
    }

    static func run(corpusPath: String?, outputPath: String, shape: Shape, count: Int?) throws {
        let url = try corpusPath.map { URL(fileURLWithPath: $0) } ?? CorpusFetcher().fetch()
        let test = try TweetCorpus(contentsOf: url).rows(in: .test)
        guard !test.isEmpty else { throw BenchUsageError("the corpus at \(url.path) has no test-split tweets") }
        let total = count ?? test.count
        var lines = ""
        for position in 0..<total {
            let row = test[position % test.count]
            let round = position / test.count
            lines += body(for: row, round: round, shape: shape).canonicalText
            lines += "\n"
        }
        do {
            try Data(lines.utf8).write(to: URL(fileURLWithPath: outputPath))
        } catch {
            throw BenchUsageError("--out: cannot write \(outputPath): \(error.localizedDescription)")
        }
        print("wrote \(total) \(shape.rawValue) request bodies (\(test.count) test-split tweets in turn) to \(outputPath)")
    }

    private static func body(for row: TweetRow, round: Int, shape: Shape) -> JSONValue {
        switch shape {
        case .text:
            return ["text": .string(row.text)]
        case .v2:
            let id = round == 0 ? "t\(row.number)" : "t\(row.number)-\(round)"
            let tensor: JSONValue = [
                "name": "text", "datatype": "BYTES", "shape": [1],
                "parameters": ["content_type": "str"], "data": [.string(row.text)],
            ]
            return ["id": .string(id), "inputs": [tensor]]
        }
    }
}
