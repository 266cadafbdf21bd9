import Foundation
import HTTPServerSupport
import Hummingbird
import HTTPTypes
import HummingbirdCore
import LocalCloud
import Logging
import NIOCore
import ServiceLifecycle

/// `rehearse cloud serve`'s HTTP server: Hummingbird 2 handing every request, body collected,
/// to a `WireGateway`. Runs until SIGTERM or SIGINT, then finishes the requests it has; inside
/// another process (`prepare(stopsOnSignals: false)`), until its task is cancelled.
public struct WireServer: Sendable {
    let gateway: WireGateway
    let host: String
    let port: Int
    /// The largest body accepted (a single PUT or one part).
    let maximumBodyBytes: Int
    let logger: Logger

    public init(gateway: WireGateway, host: String = "127.0.0.1", port: Int, maximumBodyBytes: Int = 1 << 30, logger: Logger) {
        self.gateway = gateway
        self.host = host
        self.port = port
        self.maximumBodyBytes = maximumBodyBytes
        self.logger = logger
    }

    /// A server made ready to run.
    public struct Serving: Sendable {
        let group: ServiceGroup

        /// Serves until the task running it is cancelled (or, if it stops on signals, until
        /// SIGTERM or SIGINT, gracefully).
        public func run() async throws { try await group.run() }
    }

    /// Serves until SIGTERM or SIGINT. `onListening` gets the bound port (the chosen one for port 0).
    public func run(onListening: @escaping @Sendable (Int) -> Void) async throws {
        try await prepare(stopsOnSignals: true, onListening: onListening).run()
    }

    /// The server, ready to run. `stopsOnSignals: false` leaves the process's signals alone, for
    /// a server inside a process that handles them itself (it stops when its task is cancelled).
    public func prepare(stopsOnSignals: Bool, onListening: @escaping @Sendable (Int) -> Void) -> Serving {
        let gateway = self.gateway
        let limit = maximumBodyBytes
        let responder = CallbackResponder { (request: Request, _: BasicRequestContext) async throws -> Response in
            let target = request.head.path ?? "/"
            var headers = request.headers.map { (name: $0.name.rawName, value: $0.value) }
            // HTTP types carry Host as the request's authority, not among the fields; signatures cover it.
            if let authority = request.head.authority { headers.append((name: "Host", value: authority)) }
            // A declared length over the limit is refused at once, not after reading the limit.
            if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > limit {
                return Self.response(Self.tooLarge(limit: limit))
            }
            var request = request
            let body: ByteBuffer
            do {
                body = try await request.collectBody(upTo: limit)
            } catch is NIOTooManyBytesError {
                return Self.response(Self.tooLarge(limit: limit))
            } catch {
                return Self.response(Self.incompleteBody)
            }
            let wire = WireRequest(method: request.method.rawValue, target: target, headers: headers, body: Data(buffer: body))
            return Self.response(await gateway.handle(wire))
        }
        let http1 = HTTP1Channel.Configuration(additionalChannelHandlers: [ConnectionClosing.handler(), ContinueHandler(maximumBodyBytes: limit)])
        let application = Application(
            responder: responder,
            server: .http1(configuration: http1),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in onListening(channel.localAddress?.port ?? 0) },
            logger: logger)
        return Serving(group: ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [application], gracefulShutdownSignals: stopsOnSignals ? [.sigterm, .sigint] : [], logger: logger)))
    }

    /// S3's `413 EntityTooLarge`; the connection closes, as the body is not read.
    static func tooLarge(limit: Int) -> WireResponse {
        WireResponse(status: 413, headers: [("Content-Type", "application/xml"), ("Connection", "close")], body: Data(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>EntityTooLarge</Code><Message>Your proposed upload exceeds the maximum allowed size of \(limit) bytes</Message></Error>".utf8))
    }

    /// S3's `400 IncompleteBody`, for a body that ends before its `Content-Length` (or a broken
    /// chunked encoding); the connection closes.
    static let incompleteBody = WireResponse(status: 400, headers: [("Content-Type", "application/xml"), ("Connection", "close")], body: Data(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>IncompleteBody</Code><Message>You did not provide the number of bytes specified by the Content-Length HTTP header.</Message></Error>".utf8))

    static func response(_ wire: WireResponse) -> Response {
        var fields = HTTPFields()
        for (name, value) in wire.headers {
            if let fieldName = HTTPField.Name(name) { fields.append(HTTPField(name: fieldName, value: value)) }
        }
        return Response(status: HTTPResponse.Status(code: wire.status), headers: fields,
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: wire.body)))
    }
}
