import ModelCore
import Testing

@Suite("Metrics against hand-computed examples")
struct ClassificationMetricsTests {
    // truth:     a a a b b c
    // predicted: a a b b c c
    // confusion (rows true a,b,c; columns predicted): a: 2 1 0 / b: 0 1 1 / c: 0 0 1
    // a: P 2/2, R 2/3, F1 0.8;  b: P 1/2, R 1/2, F1 0.5;  c: P 1/2, R 1/1, F1 2/3
    let metrics = ClassificationMetrics(
        truth: ["a", "a", "a", "b", "b", "c"],
        predicted: ["a", "a", "b", "b", "c", "c"]
    )

    @Test func confusionMatrix() {
        #expect(metrics.labels == ["a", "b", "c"])
        #expect(metrics.confusion == [[2, 1, 0], [0, 1, 1], [0, 0, 1]])
        #expect(metrics.count == 6)
    }

    @Test func accuracyAndMacroF1() {
        #expect(abs(metrics.accuracy - 4.0 / 6.0) < 1e-12)
        #expect(abs(metrics.macroF1 - (0.8 + 0.5 + 2.0 / 3.0) / 3) < 1e-12)
    }

    @Test func perClass() {
        let a = metrics.perClass[0]
        #expect(a.label == "a" && a.support == 3)
        #expect(abs(a.precision - 1) < 1e-12 && abs(a.recall - 2.0 / 3.0) < 1e-12 && abs(a.f1 - 0.8) < 1e-12)
        let c = metrics.perClass[2]
        #expect(abs(c.precision - 0.5) < 1e-12 && abs(c.recall - 1) < 1e-12)
    }

    @Test("a label never predicted has precision 0, not NaN; declared labels keep their order")
    func zeroDivision() {
        let metrics = ClassificationMetrics(truth: ["x", "y"], predicted: ["y", "y"], labels: ["y", "x", "z"])
        #expect(metrics.labels == ["y", "x", "z"])
        #expect(metrics.perClass[1].precision == 0 && metrics.perClass[1].f1 == 0)
        #expect(metrics.perClass[2].support == 0 && metrics.perClass[2].recall == 0)
        // x: F1 0; y: P 1/2, R 1, F1 2/3; z never occurs, so it is not averaged in.
        #expect(abs(metrics.macroF1 - (0 + 2.0 / 3.0) / 2) < 1e-12)
    }
}
