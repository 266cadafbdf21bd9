import NIOCore
import NIOHTTP1
import NIOHTTPTypesHTTP1

/// Makes a Hummingbird HTTP/1 server close a connection once it has answered a request that does
/// not ask to keep it open: an HTTP/1.0 request without `Connection: keep-alive`, or a request
/// whose `Connection` header says `close` in any spelling (RFC 9112, section 9.3).
///
/// Hummingbird closes only after a request with exactly `Connection: close`, and the HTTP-types
/// codec it puts in front of its handlers drops the request's version, so an HTTP/1.0 client that
/// reads its answer to the end of the connection waited until its own timeout.
///
/// Put `ConnectionClosing.handler()` among `HTTP1Channel.Configuration`'s additional channel
/// handlers. Those sit after the codec; once in the pipeline, this one places a
/// `RequestHeadNormaliser` in front of the codec, where the head still has its version, and
/// passes everything on.
public enum ConnectionClosing {
    /// The handler to add to a server's HTTP/1 channel.
    public static func handler() -> any RemovableChannelHandler { Installer() }

    /// Installs the normaliser before the codec.
    private final class Installer: ChannelInboundHandler, RemovableChannelHandler, Sendable {
        typealias InboundIn = NIOAny

        func handlerAdded(context: ChannelHandlerContext) {
            let pipeline = context.pipeline.syncOperations
            if let codec = try? pipeline.handler(type: HTTP1ToHTTPServerCodec.self) {
                try? pipeline.addHandler(RequestHeadNormaliser(), position: .before(codec))
            }
        }
    }

    /// Spells a request's wish to close the connection as `Connection: close`, the one spelling
    /// Hummingbird acts on.
    private final class RequestHeadNormaliser: ChannelInboundHandler, RemovableChannelHandler, Sendable {
        typealias InboundIn = HTTPServerRequestPart
        typealias InboundOut = HTTPServerRequestPart

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard case .head(var head) = unwrapInboundIn(data), !head.isKeepAlive else {
                context.fireChannelRead(data)
                return
            }
            head.headers.replaceOrAdd(name: "Connection", value: "close")
            context.fireChannelRead(wrapInboundOut(.head(head)))
        }
    }
}
