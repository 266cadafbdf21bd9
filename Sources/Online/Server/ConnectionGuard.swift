import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Two per-connection rules Hummingbird's HTTP/1 pipeline does not have:
///
/// - **Header timeout.** Once the first byte of a request has arrived, its head (request line
///   and headers) must be complete within `headerTimeout`; otherwise the connection gets
///   `408 Request Timeout` with `{"error": …}` and is closed. A client that dribbles its headers
///   cannot hold a connection for ever (the idle timeout only counts silence).
/// - **Close after `Connection: close`.** A response carrying `Connection: close` (the service
///   sends it with 413, when it stops reading an oversized body) closes the connection once
///   written, instead of reading the rest of that body.
/// - **`Expect: 100-continue`.** A client that asks (curl does, for large bodies) gets
///   `100 Continue` at once, unless its `Content-Length` is over the body limit (then the 413
///   comes straight away), instead of waiting a second before it sends the body anyway.
///
/// It sits after the HTTP decoder (it sees request and response parts) and installs a
/// ``FirstByteWatcher`` at the front of the pipeline to learn when a request's bytes start.
/// The timer is re-armed lazily: a busy keep-alive connection costs one clock read per request
/// and at most one scheduled task per timeout period.
final class ConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let headerTimeout: TimeAmount
    private let maximumBodyBytes: Int
    /// When the head being read must be complete; nil while no head is being read.
    private var headDeadline: NIODeadline?
    private var timer: Scheduled<Void>?
    /// Requests whose head was read and whose response is not written in full.
    private var requestsOpen = 0
    /// Whether a request's body is being read (its head arrived, its end not yet).
    private var readingBody = false
    private var closeAfterResponse = false
    /// The front of the pipeline, where the 408 is written.
    private var front: ChannelHandlerContext?

    init(headerTimeout: Duration, maximumBodyBytes: Int) {
        self.headerTimeout = TimeAmount(headerTimeout)
        self.maximumBodyBytes = maximumBodyBytes
    }

    func handlerAdded(context: ChannelHandlerContext) {
        try? context.pipeline.syncOperations.addHandler(FirstByteWatcher(owner: self), position: .first)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        front = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        front = nil
        context.fireChannelInactive()
    }

    /// Bytes arrived: if no request is open, a head starts now and must be complete in time.
    fileprivate func bytesArrived(front context: ChannelHandlerContext) {
        guard requestsOpen == 0, !readingBody, headDeadline == nil else { return }
        let deadline = NIODeadline.now() + headerTimeout
        headDeadline = deadline
        front = context
        if timer == nil { schedule(at: deadline, on: context.eventLoop) }
    }

    private func schedule(at deadline: NIODeadline, on eventLoop: any EventLoop) {
        timer = eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            timer = nil
            guard let headDeadline else { return }
            if NIODeadline.now() >= headDeadline {
                timeOut()
            } else {
                schedule(at: headDeadline, on: eventLoop)
            }
        }
    }

    private func timeOut() {
        guard let front else { return }
        let seconds = Double(headerTimeout.nanoseconds) / 1e9
        let body = ServiceError(status: 408, "the request's headers did not arrive within \(seconds) s; the connection is closed").body
        let response = "HTTP/1.1 408 Request Timeout\r\ncontent-type: application/json\r\ncontent-length: \(body.utf8.count)\r\n"
            + "connection: close\r\n\r\n" + body
        front.writeAndFlush(NIOAny(front.channel.allocator.buffer(string: response))).assumeIsolated().whenComplete { [front] _ in
            front.close(promise: nil)
        }
        self.front = nil
        headDeadline = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let request):
            headDeadline = nil
            requestsOpen += 1
            readingBody = true
            if request.headerFields[.expect]?.lowercased() == "100-continue",
               (request.headerFields[.contentLength].flatMap { Int($0) } ?? 0) <= maximumBodyBytes {
                context.writeAndFlush(wrapOutboundOut(.head(HTTPResponse(status: .continue))), promise: nil)
            }
        case .body:
            break
        case .end:
            readingBody = false
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let response):
            if response.headerFields[.connection]?.lowercased() == "close" { closeAfterResponse = true }
            context.write(data, promise: promise)
        case .body:
            context.write(data, promise: promise)
        case .end:
            requestsOpen = max(0, requestsOpen - 1)
            guard closeAfterResponse, requestsOpen == 0 else {
                context.write(data, promise: promise)
                return
            }
            let written = context.eventLoop.makePromise(of: Void.self)
            context.writeAndFlush(data, promise: written)
            written.futureResult.assumeIsolated().whenComplete { [context] result in
                promise?.completeWith(result)
                context.close(promise: nil)
            }
        }
    }
}

/// Tells its ``ConnectionGuard`` when bytes arrive, before the HTTP decoder sees them.
final class FirstByteWatcher: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let owner: ConnectionGuard

    init(owner: ConnectionGuard) {
        self.owner = owner
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        owner.bytesArrived(front: context)
        context.fireChannelRead(data)
    }
}
