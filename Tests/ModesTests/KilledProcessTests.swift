import Determinism
import Foundation
import LocalCloud
import ModelCore
import Modes
import Testing
import TestSupport

/// Real `rehearse batch` processes killed with SIGKILL at seeded random moments: a killed run
/// leaves no manifest (or the previous one), and re-running after any number of kills ends with
/// output byte-identical to a run that was never interrupted.
///
/// A moment is measured in the process's own output — after its n-th progress line, n drawn
/// from a seeded generator over 0…L, where L is the number of lines an uninterrupted run prints
/// (0: as soon as it starts; L: after predicting, while it writes the last shards, the rejects
/// and the manifest) — never by sleeping.
@Suite struct KilledProcessTests {
    static let rows = 60_000
    static let seed: UInt64 = 0x6B69_6C6C
    /// Each round kills a first run, then kills its re-run, then re-runs it to the end.
    static let rounds = 3

    @Test func killsAtSeededMomentsThenRerunsEndByteIdenticalToAnUninterruptedRun() throws {
        let reference = try Self.prepared()
        let clean = try Self.runBatch(in: reference, killAfterProgressLines: nil)
        #expect(clean.reason == .exit && clean.status == 0)
        #expect(clean.progressLines >= 10, "too few progress lines to choose moments from")
        let expected = try Self.outputs(of: reference)
        #expect(expected.keys.contains("out/_MANIFEST.json"))

        var random = SplitMix64(seed: Self.seed)
        var interrupted = 0
        for round in 0..<Self.rounds {
            let fixture = try Self.prepared()
            let moments = (0..<2).map { _ in random.nextIndex(below: clean.progressLines + 1) }
            for moment in moments {
                let killed = try Self.runBatch(in: fixture, killAfterProgressLines: moment)
                // Whenever the kill lands, a manifest is either absent or complete: every
                // object it lists is there with the bytes of the uninterrupted run.
                let now = try Self.outputs(of: fixture)
                if let manifest = now["out/_MANIFEST.json"] {
                    #expect(manifest == expected["out/_MANIFEST.json"], "round \(round), killed after \(moment) lines")
                    let listed = try BatchManifest(fileData: manifest)
                    for key in listed.shards.map(\.key) + [listed.rejects.key] {
                        #expect(now[key] == expected[key], "round \(round): \(key) is torn")
                    }
                } else if killed.reason == .uncaughtSignal {
                    interrupted += 1
                }
            }
            let rerun = try Self.runBatch(in: fixture, killAfterProgressLines: nil)
            #expect(rerun.reason == .exit && rerun.status == 0, "round \(round)")
            let actual = try Self.outputs(of: fixture)
            #expect(actual.keys.sorted() == expected.keys.sorted(), "round \(round), kills after \(moments) progress lines")
            #expect(actual == expected, "round \(round), kills after \(moments) progress lines: the bytes differ")
        }
        #expect(interrupted > 0, "no kill interrupted a run before its manifest")
    }

    /// A store with `m@production` and one input of `rows` rows, set up by the same operations
    /// every time (so the input's generation, which the manifest records, is the same too).
    static func prepared() throws -> StoreFixture {
        let fixture = try StoreFixture()
        let registry = ModelRegistry(store: fixture.store, bucket: "data")
        try registry.setAlias("production", name: "m", version: try registry.register(try TinyData.model(), name: "m"))
        try fixture.put(TinyData.csv(rows: rows), "in/big.csv")
        return fixture
    }

    /// Every object under `out/` and its bytes.
    static func outputs(of fixture: StoreFixture) throws -> [String: Data] {
        Dictionary(uniqueKeysWithValues: try fixture.keys(under: "out/").map {
            ($0, try fixture.store.get(bucket: "data", key: $0).data)
        })
    }

    /// Runs `rehearse batch` over `fixture`; with `killAfterProgressLines`, sends SIGKILL once
    /// the process has printed that many progress lines (if it gets that far).
    static func runBatch(in fixture: StoreFixture, killAfterProgressLines moment: Int?) throws
        -> (reason: Process.TerminationReason, status: Int32, progressLines: Int) {
        let process = Process()
        process.executableURL = try rehearseURL()
        process.arguments = ["batch", "--root", fixture.root.path, "--bucket", "data", "--input", "in/", "--output", "out/",
                             "--model", "m@production", "--shard-rows", "1000", "--threads", "1", "--progress", "lines"]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        var lines = 0
        if let moment {
            while lines < moment {
                let chunk = errors.fileHandleForReading.availableData
                if chunk.isEmpty { break }  // the process ended first
                lines += chunk.count(where: { $0 == UInt8(ascii: "\n") })
            }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        lines += errors.fileHandleForReading.readDataToEndOfFile().count(where: { $0 == UInt8(ascii: "\n") })
        process.waitUntilExit()
        return (process.terminationReason, process.terminationStatus, lines)
    }
}
