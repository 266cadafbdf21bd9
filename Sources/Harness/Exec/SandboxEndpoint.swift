import Foundation
import LocalCloud
import Logging
import Synchronization
import Wire

/// A scenario's sandbox served over S3 and SQS on 127.0.0.1 (a free port), inside the harness's
/// process, for the commands its exec steps run. Requests are signed with the `test` / `test`
/// pair; the transcript owns the clock, so `POST /_rehearsal/clock` is refused.
///
/// The server runs on a thread of its own (`ThreadExecutor`), not on Swift's cooperative pool,
/// which whoever drives the rehearsal may be blocking.
final class SandboxEndpoint: Sendable {
    /// `http://127.0.0.1:PORT`.
    let url: String
    private let task: Task<Void, Never>

    /// How long the server may take to listen.
    static let startTimeout: Duration = .seconds(30)

    /// Starts serving `cloud` and waits until it listens.
    /// - Throws: `ExecError.endpointDidNotStart` when it cannot bind or does not listen in time.
    init(cloud: CloudSandbox) throws(ExecError) {
        var logger = Logger(label: "rehearse.exec.endpoint")
        // Stopping cancels the server, which HummingbirdCore reports as errors of no interest here.
        logger.logLevel = .critical
        let server = WireServer(gateway: WireGateway(sandbox: cloud, clientsMoveClock: false), host: "127.0.0.1", port: 0, logger: logger)
        let port = Mutex<Int?>(nil)
        let failure = Mutex<String?>(nil)
        let listening = DispatchSemaphore(value: 0)
        let serving = server.prepare(stopsOnSignals: false) { bound in
            port.withLock { $0 = bound }
            listening.signal()
        }
        let executor = ThreadExecutor(name: "rehearse.exec.endpoint")
        task = Task(executorPreference: executor) {
            do { try await serving.run() } catch { failure.withLock { $0 = "\(error)" } }
            listening.signal()
            executor.shutDown()
        }
        let waited = listening.wait(timeout: .now() + Double(Self.startTimeout.components.seconds))
        guard waited == .success, let bound = port.withLock({ $0 }) else {
            task.cancel()
            throw .endpointDidNotStart(failure.withLock { $0 } ?? "it did not listen within \(Self.startTimeout.components.seconds)s")
        }
        url = "http://127.0.0.1:\(bound)"
    }

    /// Stops serving: cancels the server's task without waiting for it. Commands run one at a
    /// time and have ended by now, so no request is in hand. The server's last steps need Swift's
    /// cooperative pool, which the caller may be blocking (a synchronous test, say), so waiting
    /// here could wait forever; the server closes its socket and its thread as soon as the pool
    /// runs them.
    func stop() { task.cancel() }
}
