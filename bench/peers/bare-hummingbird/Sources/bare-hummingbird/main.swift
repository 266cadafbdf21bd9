// The bare Hummingbird 2 peer of `bench/online-peers`: the least a Swift JSON endpoint can do, as
// the ceiling of the stack `rehearse serve` is built on, measured under the same load.
//
// `POST /predict` decodes `{"text": "..."}` with Hummingbird's default JSON decoder (Foundation's
// JSONDecoder), hashes the text's UTF-8 bytes with SHA-256 and encodes a small JSON answer
// `{"sha256": "<hex>", "bytes": N}`. No model, no metrics, no log. `GET /v2/health/ready`
// answers 200. It listens on 127.0.0.1 and the port given as the only argument (0, the default,
// picks a free port), prints `listening on http://127.0.0.1:PORT` on stdout once it accepts
// connections, and stops gracefully on SIGTERM or SIGINT.
import Crypto
import Foundation
import Hummingbird
import Logging

/// The request body.
struct Query: Decodable {
    let text: String
}

/// The answer: the text's SHA-256 in lowercase hex and its length in UTF-8 bytes.
struct Answer: ResponseEncodable {
    let sha256: String
    let bytes: Int
}

/// Lowercase hex of the bytes.
func hex(_ bytes: some Sequence<UInt8>) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var text: [UInt8] = []
    for byte in bytes {
        text.append(digits[Int(byte >> 4)])
        text.append(digits[Int(byte & 0x0f)])
    }
    return String(decoding: text, as: UTF8.self)
}

guard CommandLine.arguments.count <= 2, let port = Int(CommandLine.arguments.dropFirst().first ?? "0"), (0...65535).contains(port) else {
    FileHandle.standardError.write(Data("usage: bare-hummingbird [PORT]   (0 or none: a free port)\n".utf8))
    exit(2)
}

let router = Router()
router.post("/predict") { request, context -> Answer in
    let query = try await request.decode(as: Query.self, context: context)
    let digest = SHA256.hash(data: Array(query.text.utf8))
    return Answer(sha256: hex(digest), bytes: query.text.utf8.count)
}
router.get("/v2/health/ready") { _, _ in HTTPResponse.Status.ok }

var logger = Logger(label: "bare-hummingbird")
logger.logLevel = .warning
let app = Application(
    router: router,
    configuration: .init(address: .hostname("127.0.0.1", port: port)),
    onServerRunning: { channel in
        FileHandle.standardOutput.write(Data("listening on http://127.0.0.1:\(channel.localAddress?.port ?? port)\n".utf8))
    },
    logger: logger
)
try await app.runService()
