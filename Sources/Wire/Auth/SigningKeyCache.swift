import Crypto
import Synchronization

/// Signing keys already derived, by access key, date, region and service, each kept as an HMAC
/// already keyed with it: a key is four HMACs to derive, and keying an HMAC hashes the key
/// again, while every request of a day with the same scope uses the same one (AWS SDKs cache
/// it the same way). Bounded: when full, it starts again empty.
final class SigningKeyCache: Sendable {
    /// The most keys kept (each scope of each day is one).
    static let capacity = 256

    private let authenticators = Mutex<[SigV4Scope: Keyed]>([:])

    /// A keyed HMAC as stored. Never mutated in the cache; each caller gets a copy, and
    /// swift-crypto's hash state is copy-on-write (a copy that is updated first copies the
    /// shared state, which is only read), so handing copies to concurrent callers is safe.
    private struct Keyed: @unchecked Sendable {
        let hmac: HMAC<SHA256>
    }

    /// An HMAC-SHA256 keyed with the signing key of `credentials` (the scope's access key, whose
    /// secret never changes within one verifier) for `scope`'s date, region and service, with
    /// nothing authenticated yet: a copy to feed one string to sign.
    func authenticator(for credentials: SigV4Credentials, scope: SigV4Scope) -> HMAC<SHA256> {
        if let known = authenticators.withLock({ $0[scope] }) { return known.hmac }
        let keyed = Keyed(hmac: HMAC<SHA256>(key: credentials.signingKey(date: scope.date, region: scope.region, service: scope.service)))
        authenticators.withLock { authenticators in
            if authenticators.count >= Self.capacity { authenticators.removeAll() }
            authenticators[scope] = keyed
        }
        return keyed.hmac
    }
}
