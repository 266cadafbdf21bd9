import Determinism

/// The rules of a stream, in id order, with deterministic ids.
///
/// The n-th rule ever created (counting from 0) gets the id `base + n × 4,194,304`, where `base`
/// is a 19-digit number derived from the seed with SplitMix64. Ids are therefore 19 decimal
/// digits, increase in creation order (so id order is creation order, as with v2's snowflake
/// ids), are never reused after a delete, and are the same in every run with the same seed.
public struct RuleSet: Sendable {
    /// The rules, in id order.
    public private(set) var rules: [FilterRule] = []
    private let base: UInt64
    private var created: UInt64 = 0

    /// Step between consecutive rule ids (one millisecond in a snowflake id).
    private static let idStep: UInt64 = 1 << 22

    /// An empty set whose ids follow from `seed`.
    public init(seed: UInt64) {
        base = 1_000_000_000_000_000_000 + SplitMix64.mix(seed ^ 0x7275_6C65_7365_7473) % 1_000_000_000_000_000_000
    }

    /// Why a rule cannot be added.
    public enum AddError: Error, Equatable, Sendable {
        /// The value is not a rule.
        case invalid(RuleSyntaxError)
        /// A rule with the same value exists (its id).
        case duplicate(id: String)
    }

    /// Checks that `value` could be added, without adding it.
    /// - Returns: the parsed value.
    public func validate(_ value: String) throws(AddError) -> RuleExpression {
        if let existing = rules.first(where: { $0.value == value }) { throw .duplicate(id: existing.id) }
        do {
            return try RuleParser.parse(value)
        } catch {
            throw .invalid(error)
        }
    }

    /// Adds a rule for `value` with `tag`, and returns it.
    /// - Throws: ``AddError`` when the value does not parse or is already a rule.
    @discardableResult
    public mutating func add(value: String, tag: String?) throws(AddError) -> FilterRule {
        let expression = try validate(value)
        let rule = FilterRule(id: String(base + created * Self.idStep), value: value, tag: tag, expression: expression)
        created += 1
        rules.append(rule)  // ids grow with `created`, so the array stays in id order
        return rule
    }

    /// Deletes the rules with these ids; returns the ids that named no rule, in the given order.
    public mutating func delete(ids: [String]) -> [String] {
        let known = Set(rules.map(\.id))
        let wanted = Set(ids)
        rules.removeAll { wanted.contains($0.id) }
        return ids.filter { !known.contains($0) }
    }

    /// The rules that `text` in language `lang` matches, in id order.
    public func matching(text: String, lang: String) -> [FilterRule] {
        guard !rules.isEmpty else { return [] }
        return matching(tokens: TextTokens.of(text), lang: lang)
    }

    /// The rules a tweet with `tokens` (from ``TextTokens/of(_:)``) matches, in id order.
    public func matching(tokens: [String], lang: String) -> [FilterRule] {
        rules.filter { $0.expression.matches(tokens: tokens, lang: lang) }
    }
}
