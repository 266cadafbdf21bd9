/// Everything besides the data that decides what `TabularTrainer` produces.
///
/// Same data, same parameters (and same warm start) give a bit-identical classifier.
public struct TabularTrainingParameters: Sendable, Equatable, Codable {
    /// The L2 penalty on the weights (not the bias), relative to the mean loss per row: training
    /// minimises `mean loss + l2 / 2 × Σ weight²`, numeric weights being those of the standardised
    /// columns, so `l2` means the same on any number of rows and any column scale.
    public var l2: Double
    /// Newton's method stops once its step leaves no weight (nor the bias) further than this
    /// from the optimum: the step moves none by more, or the next step is predicted (from
    /// quadratic convergence) to move none by more.
    public var tolerance: Double
    /// The most Newton steps; training that has not converged by then fails.
    public var maxIterations: Int
    /// Whether each row's loss is weighted by `n / (2 × n_label)`, so both labels count as much
    /// however rare one of them is.
    public var balancesLabels: Bool

    /// Parameters with these values.
    public init(l2: Double = 1e-4, tolerance: Double = 1e-9, maxIterations: Int = 50, balancesLabels: Bool = false) {
        self.l2 = l2
        self.tolerance = tolerance
        self.maxIterations = maxIterations
        self.balancesLabels = balancesLabels
    }

    /// What is wrong with these parameters, or nil if they can be trained with.
    public var problem: SettingProblem? {
        if !(l2 >= 0 && l2 <= 100) { return SettingProblem(.l2, "must be in [0, 100], got \(l2)") }
        if !(tolerance > 0 && tolerance <= 1) { return SettingProblem(.tolerance, "must be in (0, 1], got \(tolerance)") }
        if !(1...1_000).contains(maxIterations) { return SettingProblem(.maxIterations, "must be from 1 to 1000, got \(maxIterations)") }
        return nil
    }

    enum CodingKeys: String, CodingKey {
        case l2, tolerance, maxIterations = "max_iterations", balancesLabels = "balances_labels"
    }
}
