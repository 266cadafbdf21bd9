import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Answers `Expect: 100-continue` (boto3 and the AWS CLI send it with every upload) with
/// `100 Continue` as soon as the request's head arrives, so the client sends its body at once
/// instead of waiting a second for an answer Hummingbird never gives. A request whose
/// `Content-Length` is over the body limit gets no `100`: its `413` follows without the body.
///
/// It sits after Hummingbird's HTTP decoder, where it sees request parts.
final class ContinueHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundOut = HTTPResponsePart

    private let maximumBodyBytes: Int

    init(maximumBodyBytes: Int) {
        self.maximumBodyBytes = maximumBodyBytes
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(let request) = unwrapInboundIn(data),
           request.headerFields[.expect]?.lowercased() == "100-continue",
           (request.headerFields[.contentLength].flatMap { Int($0) } ?? 0) <= maximumBodyBytes {
            context.writeAndFlush(wrapOutboundOut(.head(HTTPResponse(status: .continue))), promise: nil)
        }
        context.fireChannelRead(data)
    }
}
