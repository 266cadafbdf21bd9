import Hummingbird
import NIOCore

/// The request context of the stream's router: Hummingbird's basics plus the connection's
/// channel, so the stream slot can be freed when a client goes away.
struct StreamRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The connection the request came on.
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}
