extension Duration {
    /// The duration in seconds, for rates, timeouts and measured compute.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
