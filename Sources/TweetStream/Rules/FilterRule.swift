/// One rule of the filtered stream: its id, its value (the operator text) and its optional tag.
public struct FilterRule: Sendable, Equatable {
    /// The rule's id: 19 decimal digits, given by the ``RuleSet`` that created it.
    public let id: String
    /// The rule's text, e.g. `happy -sad lang:en` (see ``RuleParser`` for the subset).
    public let value: String
    /// A free label that comes back with every tweet the rule matches; nil when none was given.
    public let tag: String?
    /// The parsed value.
    public let expression: RuleExpression

    /// A rule; `expression` must be `value` parsed.
    init(id: String, value: String, tag: String?, expression: RuleExpression) {
        self.id = id
        self.value = value
        self.tag = tag
        self.expression = expression
    }
}
