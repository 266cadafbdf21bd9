import Corpus
import Foundation
import Harness
import Testing
import TestSupport

/// The scenarios shipped in scenarios/ pass against the committed goldens, and give
/// byte-identical captures whatever the number of scenarios run at once. They read the real
/// tweet corpus and CDNOW purchase log from the cache, and never fetch them: `make test` fetches
/// them first, so CI always runs them; offline without the cache they are skipped, and say so.
@Suite(.serialized, .enabled(if: CachedCorpus.url != nil && CachedCorpus.hasPurchases, CachedCorpus.shippedSkipMessage))
struct ShippedScenarioTests {
    private static let data = DataSource(corpusPath: CachedCorpus.url?.path)

    private func shipped() throws -> [Scenario] {
        try ScenarioCatalog(paths: [repositoryRoot + "/scenarios"]).scenarios
    }

    @Test func shippedScenariosPassInCheckModeUnderCI() async throws {
        let scenarios = try shipped()
        #expect(scenarios.map(\.name) == ["automl-bad-export", "automl-cdnow", "automl-drift", "automl-missed-runs", "automl-policies", "batch-bad-input", "batch-flaky-store", "batch-rerun", "batch-tweets", "exec-daily-scoring", "online-bad-requests",
                                          "online-drain", "online-hot-reload", "online-quality-drift", "online-tweets", "stream-autoscale",
                                          "stream-late-data", "stream-poison", "stream-reconnect", "stream-tweets", "stream-worker-crash"])
        let runner = ScenarioRunner(goldens: GoldenStore(root: repositoryRoot + "/golden"), data: Self.data,
                                    options: .init(mode: .check, environment: RunEnvironment(isCI: true), parallelScenarios: 2))
        for result in try await onThread({ runner.run(scenarios) }) {
            #expect(result.report.status == .pass, "\(result.report.name): \(result.report.error.map { "\($0)" } ?? "") \(result.report.captures.filter { !$0.passed }.map(\.comparison.diff))")
        }
    }

    /// The automl scenarios are left out: their training keeps every core busy for a minute, and
    /// beside them online-hot-reload failed once in a fresh-clone CI when three ran at once (the
    /// error was not recorded; it now is). Their thread-count independence is tested where it
    /// lives: the tabular trainer on 1, 2 and 3 threads, and two loops writing identical bytes.
    @Test func shippedCapturesAreIdenticalForOneOrThreeScenariosAtOnce() async throws {
        let scenarios = try shipped().filter { !$0.name.hasPrefix("automl-") }
        var folders: [[String: Data]] = []
        for parallel in [1, 3] {
            let root = NSTemporaryDirectory() + "shipped-goldens-" + UUID().uuidString
            defer { try? FileManager.default.removeItem(atPath: root) }
            let runner = ScenarioRunner(goldens: GoldenStore(root: root), data: Self.data, options: .init(
                mode: .update, environment: RunEnvironment(isCI: false), parallelScenarios: parallel))
            for result in try await onThread({ runner.run(scenarios) }) {
                #expect(result.report.error == nil, "\(parallel) at once: \(result.report.name): \(result.report.error.map { "\($0)" } ?? "")")
            }
            var files: [String: Data] = [:]
            for file in FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? [] where file.contains(".") {
                files[file] = FileManager.default.contents(atPath: root + "/" + file)
            }
            folders.append(files)
        }
        #expect(folders[0].count == 75)
        #expect(folders[0] == folders[1])
    }
}

enum CachedCorpus {
    /// The verified cached corpus, if there is one.
    static let url: URL? = {
        let url = CorpusCache.fromEnvironment().verifiedFile(for: .tweets)
        if url == nil { print("⚠️  \(skipMessage)") }
        return url
    }()

    /// Whether the verified CDNOW purchase log is cached (the automl scenarios read it).
    static let hasPurchases: Bool = {
        let cached = CorpusCache.fromEnvironment().verifiedFile(for: .cdnow) != nil
        if !cached { print("⚠️  \(shippedSkipMessage)") }
        return cached
    }()

    static let skipMessage: Comment = "SKIPPED: the real tweet corpus is not cached, so the shipped scenarios were not rehearsed. Run `rehearse data fetch` (or `make test`, which fetches it) to run them."

    static let shippedSkipMessage: Comment = "SKIPPED: the tweet corpus or the CDNOW purchase log is not cached, so the shipped scenarios were not rehearsed. Run `rehearse data fetch` and `rehearse data fetch cdnow` (or `make test`, which fetches both) to run them."
}
