// swift-tools-version:6.0
import PackageDescription

/// Rehearsal: a local dress rehearsal for ML inference systems.
///
/// Layers (see DESIGN.md; data flows down, nothing below imports anything above):
/// `ModelCore` → `LocalCloud` → modes → `Harness` → the `rehearse` CLI.
/// `Corpus` reads and fetches the tweet data set and sits beside `ModelCore`. `JSON` (one
/// strict reader, one canonical writer) sits below them all.
let package = Package(
    name: "rehearsal",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "rehearse", targets: ["rehearse"]),
        .library(name: "ModelCore", targets: ["ModelCore"]),
        .library(name: "LocalCloud", targets: ["LocalCloud"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
    ],
    targets: [
        // System libraries, found with pkg-config; the Debian package is named as provider.
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),

        // Below every layer: one strict JSON reader, one canonical JSON writer, and the one rule
        // for JSON input lines. Pure Swift, no dependencies.
        .target(name: "JSON"),
        // Layer 1: the model core. Pure Swift, no I/O.
        .target(
            name: "ModelCore",
            dependencies: ["JSON", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // The tweet corpus: CSV reading, the fixed train/test split, fetching and caching.
        .target(
            name: "Corpus",
            dependencies: ["ModelCore", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // Layer 2: the emulated cloud.
        .target(
            name: "LocalCloud",
            dependencies: ["CSQLite", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // Child processes for the LocalCloud tests (killed writers, racing writers, consumers).
        .executableTarget(name: "cloud-worker", dependencies: ["LocalCloud"]),
        // Throughput benchmarks of the object store and queue, run by bench/objects and bench/queue.
        .executableTarget(name: "bench-cloud", dependencies: ["LocalCloud"]),
        // Layer 3: the inference modes (batch) and the model registry they share.
        .target(
            name: "Modes",
            dependencies: ["JSON", "ModelCore", "Corpus", "LocalCloud", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // Layer 4: scenarios, golden files, review and reports.
        .target(
            name: "Harness",
            dependencies: ["JSON", "Modes", "ModelCore", "Corpus", "LocalCloud", .product(name: "Yams", package: "Yams")]
        ),
        // Layer 5: the command line.
        .executableTarget(
            name: "rehearse",
            dependencies: [
                "JSON", "ModelCore", "Corpus", "LocalCloud", "Modes", "Harness",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // Benchmarks run by the scripts in bench/.
        .executableTarget(name: "rehearse-bench", dependencies: ["ModelCore", "Corpus", "LocalCloud", "Modes"]),

        .testTarget(name: "JSONTests", dependencies: ["JSON"]),
        .testTarget(name: "ModelCoreTests", dependencies: ["JSON", "ModelCore", .product(name: "Crypto", package: "swift-crypto")]),
        .testTarget(name: "CorpusTests", dependencies: ["Corpus", "ModelCore"]),
        .testTarget(name: "LocalCloudTests", dependencies: ["LocalCloud", "cloud-worker"]),
        .testTarget(name: "HarnessTests", dependencies: ["JSON", "Harness", "Modes", "ModelCore", "LocalCloud", "rehearse"]),
        .testTarget(name: "ModesTests", dependencies: ["JSON", "Modes", "ModelCore", "Corpus", "LocalCloud", "rehearse"]),
        .testTarget(name: "RehearseCLITests", dependencies: ["rehearse"]),
    ]
)
