import Crypto
import Synchronization

/// Signing keys already derived, by access key, date, region and service: a key is four
/// HMACs, and every request of a day with the same scope uses the same one (AWS SDKs cache it
/// the same way). Bounded: when full, it starts again empty.
final class SigningKeyCache: Sendable {
    /// The most keys kept (each scope of each day is one).
    static let capacity = 256

    private let keys = Mutex<[SigV4Scope: [UInt8]]>([:])  // the keys' bytes

    /// The signing key of `credentials` (the scope's access key, whose secret never changes
    /// within one verifier) for `scope`'s date, region and service.
    func key(for credentials: SigV4Credentials, scope: SigV4Scope) -> SymmetricKey {
        if let known = keys.withLock({ $0[scope] }) { return SymmetricKey(data: known) }
        let derived = credentials.signingKey(date: scope.date, region: scope.region, service: scope.service)
        let bytes = derived.withUnsafeBytes { Array($0) }
        keys.withLock { keys in
            if keys.count >= Self.capacity { keys.removeAll() }
            keys[scope] = bytes
        }
        return derived
    }
}
