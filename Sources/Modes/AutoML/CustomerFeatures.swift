import ModelCore

/// The features of one customer as of the start of a week, from purchases before it only.
///
/// - `recency_days`: days since the last purchase;
/// - `frequency`: purchase days (several purchases on one day count once);
/// - `mean_dollars`: mean amount per purchase;
/// - `total_items`: items bought in all;
/// - `tenure_days`: days since the first purchase;
/// - `purchases_4w`, `purchases_12w`: purchase days in the last 28 and 84 days.
public enum CustomerFeatures {
    /// The columns, in the order above.
    public static let columns = ["recency_days", "frequency", "mean_dollars", "total_items", "tenure_days", "purchases_4w", "purchases_12w"]

    /// The tabular schema of the columns (all numeric).
    public static let schema = try! TabularSchema(numeric: columns)

    /// How a customer's features move from one week to the next while they buy nothing and no
    /// purchase leaves the 4- and 12-week windows: 7 days more since the last and the first
    /// purchase. The training rows' series step (`TabularTrainingData`).
    public static let weeklyStep: [Double] = [7, 0, 0, 0, 7, 0, 0]
}
