import LocalCloud
import ModelCore
import Synchronization

/// The model a pipeline's workers predict with: a registered model named `name@alias` (or
/// `name@version`), swapped when the alias moves, as the online service does.
///
/// ``refresh()`` reads the alias (one small object) and loads the new version only when it
/// moved. A version that cannot be loaded never replaces the model being used: the failure is
/// kept in ``lastError`` and the next refresh tries again.
public final class StreamModel: Sendable {
    /// The registry the model comes from.
    public let registry: ModelRegistry
    /// The model's name.
    public let name: String
    /// The alias followed, or the fixed version (digits).
    public let aliasOrVersion: String

    private struct State {
        var current: RegisteredModel
        var lastError: String?
    }

    private let state: Mutex<State>

    /// Loads `name@aliasOrVersion` from `registry`.
    /// - Throws: `ModelRegistryError` when it cannot be resolved or loaded.
    public init(registry: ModelRegistry, name: String, aliasOrVersion: String) throws {
        self.registry = registry
        self.name = name
        self.aliasOrVersion = aliasOrVersion
        state = Mutex(State(current: try registry.resolve(name: name, aliasOrVersion: aliasOrVersion), lastError: nil))
    }

    /// The model in use.
    public var current: RegisteredModel { state.withLock { $0.current } }

    /// Why the last attempt to load a moved alias failed; nil once one succeeds.
    public var lastError: String? { state.withLock { $0.lastError } }

    /// Swaps in the version the alias points at now, if it moved; returns the model in use.
    @discardableResult
    public func refresh() -> RegisteredModel {
        let current = self.current
        guard Int(aliasOrVersion) == nil else { return current }
        do {
            guard let version = try registry.aliasVersion(name: name, alias: aliasOrVersion), version != current.version else {
                return current
            }
            let moved = try registry.resolve(name: name, aliasOrVersion: String(version))
            state.withLock { $0 = State(current: moved, lastError: nil) }
            return moved
        } catch {
            state.withLock { $0.lastError = "\(error)" }
            return current
        }
    }
}
