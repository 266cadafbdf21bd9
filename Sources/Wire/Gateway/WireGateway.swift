import Crypto
import Determinism
import Foundation
import LocalCloud
import Synchronization

/// The front door of `rehearse cloud serve`: checks each request's Signature V4, then hands it
/// to the admin endpoints, SQS (a POST with `X-Amz-Target: AmazonSQS.*`) or S3 (everything
/// else). Authentication failures are answered in the shape of the protocol asked.
public final class WireGateway: Sendable {
    /// The credentials the defaults of LocalStack and moto use.
    public static let defaultCredentials = SigV4Credentials(accessKeyID: "test", secretAccessKey: "test")

    let sandbox: CloudSandbox
    let s3: S3Service
    let sqs: SQSService
    private let admin: AdminEndpoints
    private let verifier: SigV4Verifier?
    private let allowAnonymous: Bool
    private let signatureClock: any CloudClock
    private let requestCount = Atomic<UInt64>(0)

    /// Serves `sandbox`. Requests must be signed with one of `credentials` unless
    /// `allowAnonymous`, which accepts unsigned requests (signed ones are still checked).
    /// Signing times (the 15-minute skew, a presigned URL's expiry) are judged on
    /// `signatureClock`: clients sign with the real time, even when the sandbox runs on a
    /// virtual clock. `clientsMoveClock` lets `POST /_rehearsal/clock` move a virtual clock and
    /// SQS long polls wait for it; a scenario, whose transcript moves the clock, turns it off
    /// (the clock then stands still while a client runs, so a long poll answers at once).
    public init(sandbox: CloudSandbox, credentials: [SigV4Credentials] = [WireGateway.defaultCredentials],
                allowAnonymous: Bool = false, signatureClock: any CloudClock = SystemClock(), clientsMoveClock: Bool = true) {
        self.sandbox = sandbox
        self.signatureClock = signatureClock
        s3 = S3Service(store: sandbox.objects, uploadsFolder: sandbox.root.appendingPathComponent("multipart"), clock: sandbox.clock)
        sqs = SQSService(queue: sandbox.queue, clock: sandbox.clock, longPollsWait: clientsMoveClock)
        admin = AdminEndpoints(sandbox: sandbox, clockControl: clientsMoveClock)
        verifier = credentials.isEmpty ? nil : SigV4Verifier(credentials: credentials)
        self.allowAnonymous = allowAnonymous || credentials.isEmpty
    }

    /// Answers one request: an admin endpoint, or an authenticated S3 or SQS call.
    public func handle(_ request: WireRequest) async -> WireResponse {
        if request.rawPath.hasPrefix(AdminEndpoints.prefix) { return admin.handle(request) }
        let requestID = nextRequestID()
        if SQSQueryProtocol.isQueryCall(request) { return SQSQueryProtocol.unsupported(requestID: requestID) }
        let isSQS = SQSService.operation(of: request) != nil
        if let failure = authenticate(request, service: isSQS ? "sqs" : "s3") {
            return isSQS ? Self.sqsError(failure).response
                : S3Service.errorResponse(Self.s3Error(failure, inQuery: request.header("authorization") == nil), requestID: requestID,
                                          method: request.method)
        }
        return isSQS ? await sqs.handle(request, requestID: requestID) : s3.handle(request, requestID: requestID)
    }

    /// Why `request` may not be answered as a call to `service`, nil when it may: its signature
    /// (unless anonymous requests are allowed and it has none), and the service its credential
    /// is scoped to, as AWS checks it (a request signed for SQS is not an S3 request).
    private func authenticate(_ request: WireRequest, service: String) -> SigV4Failure? {
        guard let verifier else { return nil }
        let declared = request.header("x-amz-content-sha256")
        // Hashing the body costs time; do it only when the signature covers it.
        let needsHash = declared == nil || declared?.count == 64
        let signed = SignedRequest(method: request.method, rawPath: request.rawPath, rawQuery: request.rawQuery,
                                   headers: request.headers,
                                   payloadSHA256: needsHash ? Self.sha256(of: request.body) : nil)
        do {
            let scope = try verifier.verify(signed, now: signatureClock.now)
            guard scope.service == service else {
                return .malformed("the credential is scoped to service \"\(scope.service)\"; this is a request for \"\(service)\"")
            }
            return nil
        } catch .missing where allowAnonymous {
            return nil
        } catch {
            return error
        }
    }

    /// The lower-case hex SHA-256 of `body` (a constant for the empty bodies of GETs and HEADs).
    private static func sha256(of body: Data) -> String {
        body.isEmpty ? PayloadHash.emptyBody : Hex.string(SHA256.hash(data: body))
    }

    private func nextRequestID() -> String {
        let count = requestCount.add(1, ordering: .relaxed).newValue
        let hex = String(count, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 16 - hex.count)) + hex
    }

    /// The S3 error for `failure`; `inQuery` when the request carried its authorization in the
    /// query (a presigned URL), whose malformed parts S3 calls AuthorizationQueryParametersError.
    static func s3Error(_ failure: SigV4Failure, inQuery: Bool) -> S3Error {
        switch failure {
        case .missing:
            return S3Error("AccessDenied", status: 403, "Access Denied: \(failure) (start with --allow-anonymous to accept unsigned requests)")
        case .malformed:
            return S3Error(inQuery ? "AuthorizationQueryParametersError" : "AuthorizationHeaderMalformed", status: 400, failure.description)
        case .unknownAccessKey:
            return S3Error("InvalidAccessKeyId", status: 403, "The AWS Access Key Id you provided does not exist in our records. (\(failure))")
        case .signatureMismatch:
            return S3Error("SignatureDoesNotMatch", status: 403, "The request signature we calculated does not match the signature you "
                               + "provided. Check your key and signing method. (\(failure))")
        case .expired: return S3Error("AccessDenied", status: 403, "Request has expired: \(failure)")
        case .contentSHA256Mismatch:
            return S3Error("XAmzContentSHA256Mismatch", status: 400, "The provided 'x-amz-content-sha256' header does not match what was computed.")
        }
    }

    static func sqsError(_ failure: SigV4Failure) -> SQSError {
        switch failure {
        case .missing: return SQSError("MissingAuthenticationToken", status: 403, "Request is missing Authentication Token: \(failure)")
        case .malformed: return SQSError("IncompleteSignature", status: 400, failure.description)
        case .unknownAccessKey:
            return SQSError("InvalidClientTokenId", status: 403, "The security token included in the request is invalid. (\(failure))")
        case .signatureMismatch, .contentSHA256Mismatch:
            return SQSError("SignatureDoesNotMatch", status: 403, "The request signature we calculated does not match the signature you "
                                + "provided. (\(failure))")
        case .expired: return SQSError("RequestExpired", status: 403, failure.description)
        }
    }
}
