import Foundation
import Hummingbird
import HummingbirdTesting
import JSON
import LocalCloud
import Online
import Testing
import TestSupport

/// Connection-level limits and the drain, over real sockets on 127.0.0.1.
@Suite("Connections and drain")
struct ConnectionTests {
    @Test("a request whose headers do not arrive within the header timeout gets 408 and the connection closes")
    func headerTimeout() async throws {
        let service = artifactService(try TestModels.model(seed: 1), limits: ServiceLimits(headerTimeout: .milliseconds(200)))
        try await service.application().test(.live) { client in
            let port = try #require(client.port)
            let (response, closed) = try await onThread {
                let connection = try RawConnection(port: port)
                try connection.send("POST /predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: app")
                return (try connection.readResponse(), try connection.isClosedByServer())
            }
            #expect(response?.status == 408)
            #expect(response?.header("connection") == "close")
            #expect(response?.text == #"{"error":"the request's headers did not arrive within 0.2 s; the connection is closed"}"#)
            #expect(closed)
        }
    }

    @Test("a connection idle for longer than the idle timeout is closed")
    func idleTimeout() async throws {
        let service = artifactService(try TestModels.model(seed: 1), limits: ServiceLimits(idleTimeout: .milliseconds(200)))
        try await service.application().test(.live) { client in
            let port = try #require(client.port)
            let (status, closed) = try await onThread {
                let connection = try RawConnection(port: port)
                let status = try connection.exchange(method: "GET", path: "/v2/health/live").status
                return (status, try connection.isClosedByServer())
            }
            #expect(status == 200)
            #expect(closed)
        }
    }

    @Test("keep-alive requests are not cut by the header timeout, however many")
    func keepAlive() async throws {
        let service = artifactService(try TestModels.model(seed: 1), limits: ServiceLimits(headerTimeout: .milliseconds(50)))
        try await service.application().test(.live) { client in
            let port = try #require(client.port)
            let statuses = try await onThread {
                let connection = try RawConnection(port: port)
                return try (0..<300).map { _ in try connection.exchange(method: "POST", path: "/predict", body: #"{"text":"good"}"#).status }
            }
            #expect(statuses == Array(repeating: 200, count: 300))
        }
    }

    @Test("a body over the limit gets 413 and the connection closes without reading the rest")
    func oversizedBody() async throws {
        let service = artifactService(try TestModels.model(seed: 1), limits: ServiceLimits(maximumBodyBytes: 1000))
        try await service.application().test(.live) { client in
            let port = try #require(client.port)
            let (response, closed) = try await onThread {
                let connection = try RawConnection(port: port)
                try connection.send("POST /predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 10000000\r\n\r\n{\"text\":\"")
                return (try connection.readResponse(), try connection.isClosedByServer())
            }
            #expect(response?.status == 413)
            #expect(response?.text == #"{"error":"the body is 10000000 bytes; the limit is 1000 bytes"}"#)
            #expect(closed)

            // A chunked body (no Content-Length) is cut off at the limit too.
            let chunked = try await onThread {
                let connection = try RawConnection(port: port)
                let chunk = String(repeating: "x", count: 600)
                try connection.send("POST /predict HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                                    + "258\r\n\(chunk)\r\n258\r\n\(chunk)\r\n")
                return try connection.readResponse()
            }
            #expect(chunked?.status == 413)
            #expect(chunked?.text == #"{"error":"the body is too long; the limit is 1000 bytes"}"#)
        }
    }

    @Test("Expect: 100-continue gets 100 Continue at once; one over the body limit gets 413 instead")
    func expectContinue() async throws {
        let model = try TestModels.model(seed: 1)
        let service = artifactService(model, limits: ServiceLimits(maximumBodyBytes: 1000))
        try await service.application().test(.live) { client in
            let port = try #require(client.port)
            let (interim, final) = try await onThread {
                let connection = try RawConnection(port: port)
                try connection.send("POST /predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 15\r\n"
                                    + "Expect: 100-continue\r\n\r\n")
                let interim = try connection.readResponse()
                try connection.send(#"{"text":"good"}"#)
                return (interim, try connection.readResponse())
            }
            #expect(interim?.status == 100)
            #expect(final?.status == 200)
            #expect(final?.text == model.predict("good").jsonObject())
            let refused = try await onThread {
                let connection = try RawConnection(port: port)
                try connection.send("POST /predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5000\r\nExpect: 100-continue\r\n\r\n")
                return try connection.readResponse()
            }
            #expect(refused?.status == 413)
        }
    }

    /// Starts `service.run` and returns its task and port.
    func start(_ service: OnlineService) async throws -> (Task<Void, any Error>, Int) {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let task = Task { try await service.run { continuation.yield($0) } }
        var iterator = ports.makeAsyncIterator()
        return (task, try #require(await iterator.next()))
    }

    @Test("a drain turns readiness false, answers the requests already accepted, refuses new connections and ends cleanly")
    func drain() async throws {
        let model = try TestModels.model(seed: 1)
        let service = artifactService(model)
        let (task, port) = try await start(service)
        let body = Array(inferBody((0..<200).map { "the good day and table number \($0)" }, id: "accepted").utf8)
        let (busy, idle) = try await onThread { () -> (RawConnection, RawConnection) in
            let busy = try RawConnection(port: port), idle = try RawConnection(port: port)
            guard try busy.exchange(method: "GET", path: "/v2/health/ready").status == 200,
                  try idle.exchange(method: "GET", path: "/v2/health/live").status == 200 else { throw RawConnection.Failure.timedOut }
            // The request is accepted (its head read, its handler waiting for the body) before the drain.
            try busy.send("POST /v2/models/sentiment/infer HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: \(body.count)\r\n\r\n")
            try busy.send(Array(body[..<100]))
            return (busy, idle)
        }
        #expect(try await waitUntil { try await onThread { try requestsInFlight(port: port) } >= 2 })
        #expect(service.isReady)
        await service.triggerDrain()
        #expect(try await waitUntil { !service.isReady })
        // Checked while the accepted connection still holds the port: once the server has ended,
        // another test's server may be given the same port.
        #expect(try await waitUntil {
            try await onThread {
                do { _ = try RawConnection(port: port) } catch RawConnection.Failure.connect(ECONNREFUSED) { return true }
                return false
            }
        }, "new connections are refused once the drain begins")
        let response = try await onThread {
            try busy.send(Array(body[100...]))
            return try busy.readResponse()
        }
        #expect(response?.status == 200)
        let answer = try json(try #require(response).body)
        #expect(answer["id"]?.string == "accepted")
        #expect(answer["outputs"]?[0]?["shape"] == [200])
        #expect(try await onThread { try busy.isClosedByServer() }, "the connection closes after its last answer")
        #expect(try await onThread { try idle.isClosedByServer() }, "idle connections are closed by the drain")
        try await task.value
    }
}

extension ConnectionTests {
    @Test("many clients during a drain: every answer is a 200, the rest are refused cleanly, and the run ends")
    func clientsDuringDrain() async throws {
        let service = artifactService(try TestModels.model(seed: 1))
        let (task, port) = try await start(service)
        let answered = SharedCount()
        let clients = 8
        try await withThrowingTaskGroup(of: [Int].self) { group in
            for client in 0..<clients {
                group.addTask {
                    try await onThread {
                        // Statuses of every answer; the loop ends when a new connection is refused.
                        var statuses: [Int] = []
                        while statuses.count < 100_000 {
                            guard let connection = try? RawConnection(port: port) else { return statuses }
                            while true {
                                guard (try? connection.send(method: "POST", path: "/v2/models/sentiment/infer", body: inferBody(["client \(client)"]))) != nil,
                                      let response = try? connection.readResponse()
                                else { break }  // closed by the drain: refused cleanly, try a new connection
                                statuses.append(response.status)
                                answered.add()
                            }
                        }
                        return statuses
                    }
                }
            }
            #expect(try await waitUntil { answered.current >= clients * 20 })
            await service.triggerDrain()
            for try await statuses in group {
                #expect(!statuses.isEmpty)
                #expect(statuses.allSatisfy { $0 == 200 })
            }
        }
        try await task.value
    }
}

extension ConnectionTests {
    @Test("a drain that runs out of time cuts off what is left and says so")
    func drainTimeout() async throws {
        let model = try TestModels.model(seed: 1)
        let service = OnlineService(configuration: OnlineServiceConfiguration(source: .artifact(model, name: "sentiment"), port: 0,
                                                                              drainTimeout: .milliseconds(300), serverVersion: "test"),
                                    store: nil, clock: VirtualClock(), logger: quietLogger)
        let (task, port) = try await start(service)
        let stuck = try await onThread { () -> RawConnection in
            let connection = try RawConnection(port: port)
            // A body that never arrives in full: the request can only be cut off.
            try connection.send("POST /predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n{\"text\":\"")
            return connection
        }
        #expect(try await waitUntil { try await onThread { try requestsInFlight(port: port) } >= 2 })
        await service.triggerDrain()
        await #expect(throws: OnlineServiceError.drainTimedOut(after: .milliseconds(300))) { try await task.value }
        #expect(try await onThread { try stuck.isClosedByServer() })
    }
}

/// The `rehearse_http_requests_in_flight` gauge of the service on `port` (the asking request included).
func requestsInFlight(port: Int) throws -> Double {
    let metrics = try RawConnection(port: port).exchange(method: "GET", path: "/metrics").text
    let line = metrics.split(separator: "\n").first { $0.hasPrefix("rehearse_http_requests_in_flight ") }
    return line.flatMap { Double($0.split(separator: " ")[1]) } ?? 0
}
