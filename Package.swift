// swift-tools-version:6.1
import PackageDescription

/// Rehearsal: a local dress rehearsal for ML inference systems.
///
/// Linux only (built and tested on Debian with Swift 6): LocalCloud calls Glibc directly and
/// reads `stat`'s `st_mtim`, and the code uses Synchronization's `Mutex`; no Apple platform is
/// built or tested, so none is claimed.
///
/// Layers (README.md, "Layout"; data flows down, nothing below imports anything above):
/// `Determinism` and `JSON` (bottom utilities) → `ModelCore` → `LocalCloud` → modes (`Modes`, and
/// `Online`, the inference service, and `TweetStream`, the emulated tweet stream) → `Harness` →
/// the `rehearse` CLI.
/// `Corpus` reads and fetches the data sets (the tweets, the CDNOW purchases) and sits beside
/// `ModelCore`. Hummingbird (HTTP serving) enters only `Online` and `TweetStream`; the model core
/// and the local cloud never see it.
/// `HTTPClient` (libcurl) is a bottom utility too: every HTTP request the project makes goes through it.
let package = Package(
    name: "rehearsal",
    products: [
        .executable(name: "rehearse", targets: ["rehearse"]),
        .library(name: "ModelCore", targets: ["ModelCore"]),
        .library(name: "LocalCloud", targets: ["LocalCloud"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        // The online inference service: HTTP server, lifecycle (graceful drain), logs and metrics.
        // Hummingbird's optional traits (swift-configuration, full Foundation) are not used.
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        // What Hummingbird builds on, named because the service uses it directly: the channel
        // handler for the header timeout, and the thread pool for blocking model loads.
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        // S3's XML documents (listings, errors, multi-object delete) for `rehearse cloud serve`.
        .package(url: "https://github.com/CoreOffice/XMLCoder.git", from: "0.18.2"),
    ],
    targets: [
        // System libraries, found with pkg-config; the Debian package is named as provider.
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        // Linked by `HTTPClient`; its header also holds the non-variadic wrappers Swift needs for
        // curl_easy_setopt and friends (Sources/CCurl/shim.h).
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),

        // The bottom: deterministic building blocks every layer shares (seeded random numbers,
        // stable hashing, hex digests, parallel work with results in item order). No dependencies.
        .target(name: "Determinism"),
        // One inline C function, a cache prefetch hint (Swift has none), for the model core's
        // scoring loop; header-only.
        .target(name: "CPrefetch"),
        // Also at the bottom: one strict JSON reader, one canonical JSON writer, and the one rule
        // for JSON input lines. Pure Swift, no dependencies.
        .target(name: "JSON"),
        // The one HTTP client: every request the project makes (the harness's requests and load
        // runs) goes through libcurl here, with keep-alive connections.
        .target(name: "HTTPClient", dependencies: ["CCurl"]),
        // Layer 1: the model core. Swift (plus CPrefetch's hint), no I/O.
        .target(
            name: "ModelCore",
            dependencies: ["Determinism", "JSON", "CPrefetch", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // The data sets: the tweet corpus (CSV reading, the fixed train/test split), the CDNOW
        // purchase log, and fetching and caching both.
        .target(
            name: "Corpus",
            dependencies: ["Determinism", "ModelCore", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // Layer 2: the emulated cloud.
        .target(
            name: "LocalCloud",
            dependencies: ["CSQLite", "Determinism", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // Child processes for the LocalCloud tests (killed writers, racing writers, consumers).
        .executableTarget(name: "cloud-worker", dependencies: ["LocalCloud"]),
        // Throughput benchmarks of the object store and queue, run by bench/objects and bench/queue.
        .executableTarget(name: "bench-cloud", dependencies: ["Determinism", "LocalCloud"]),
        // Layer 3: the inference modes (batch, the online service's prediction log, the streaming
        // pipeline, whose ingest connector reads a tweet stream through HTTPClient) and the model
        // registry they share.
        .target(
            name: "Modes",
            dependencies: ["Determinism", "JSON", "ModelCore", "LocalCloud", "HTTPClient", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // What the HTTP servers (`Online`, `Wire`) share below Hummingbird's API: closing a
        // connection whose request asks for it (HTTP/1.0 included).
        .target(
            name: "HTTPServerSupport",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
            ]
        ),
        // Layer 3 too: the online inference service (`rehearse serve`): the KServe V2 protocol
        // (Protocol/), models from the registry with hot reload (Models/), and the HTTP server
        // with metrics and graceful drain (Server/, the only folder that imports Hummingbird).
        .target(
            name: "Online",
            dependencies: [
                "JSON", "ModelCore", "LocalCloud", "Modes", "HTTPServerSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        // Layer 3 too, beside `Online`: the emulated tweet stream (`rehearse stream-source`), in
        // the shape of Twitter's API v2 filtered stream: the rule language (Rules/), the seeded
        // replay of corpus texts (Replay/), and the Hummingbird server (Server/).
        .target(
            name: "TweetStream",
            dependencies: [
                "Determinism", "JSON", "LocalCloud",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        // Layer 3 too: the sandbox over the wire (`rehearse cloud serve`): S3 REST and the SQS
        // JSON protocol over the same object store and queue, AWS Signature V4 (Auth/, also the
        // signer clients use), and admin endpoints for the clock, faults and ledger. Only
        // Server/ imports Hummingbird; the protocols are plain request → response functions.
        // Client/ is the reverse path: `S3ObjectStore`, the `ObjectStore` protocol on any
        // S3-compatible endpoint, signed with Auth/ and sent through `HTTPClient`.
        .target(
            name: "Wire",
            dependencies: [
                "Determinism", "JSON", "LocalCloud", "HTTPClient", "HTTPServerSupport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "XMLCoder", package: "XMLCoder"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        // Layer 4: scenarios, golden files, review and reports. Exec steps serve the sandbox to
        // the user's commands through `Wire`.
        .target(
            name: "Harness",
            dependencies: ["Determinism", "JSON", "Modes", "ModelCore", "Corpus", "LocalCloud", "HTTPClient", "TweetStream", "Wire",
                           .product(name: "Logging", package: "swift-log"), .product(name: "Yams", package: "Yams")]
        ),
        // Layer 5: the command line.
        .executableTarget(
            name: "rehearse",
            dependencies: [
                "Determinism", "JSON", "ModelCore", "Corpus", "LocalCloud", "Modes", "Online", "TweetStream", "Wire", "Harness",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),  // to say a server's socket errors plainly
            ]
        ),

        // Benchmarks run by the scripts in bench/.
        .executableTarget(name: "rehearse-bench", dependencies: [
            "Determinism", "HTTPClient", "JSON", "ModelCore", "Corpus", "LocalCloud", "Modes", "TweetStream", "Wire",
            .product(name: "Logging", package: "swift-log"), .product(name: "Crypto", package: "swift-crypto"),
        ]),

        .testTarget(name: "JSONTests", dependencies: ["JSON"]),
        // Runs the Python servers in Tests/Fixtures as child processes.
        .testTarget(name: "HTTPClientTests", dependencies: ["HTTPClient", "JSON"]),
        .testTarget(
            name: "ModelCoreTests",
            dependencies: ["Determinism", "JSON", "ModelCore", .product(name: "Crypto", package: "swift-crypto")],
            exclude: ["Data"]
        ),
        // What several test targets share: finding the built executables, running blocking work
        // off the cooperative pool, and a raw loopback socket for HTTP spoken by hand.
        .target(name: "TestSupport", dependencies: ["Determinism"], path: "Tests/TestSupport"),
        .testTarget(name: "CorpusTests", dependencies: ["Corpus", "Determinism", "ModelCore"]),
        .testTarget(name: "LocalCloudTests", dependencies: ["TestSupport", "Determinism", "LocalCloud", "cloud-worker", "rehearse"]),
        .testTarget(name: "HarnessTests", dependencies: ["TestSupport", "JSON", "Harness", "Modes", "ModelCore", "Corpus", "LocalCloud", "rehearse"]),
        .testTarget(name: "ModesTests", dependencies: ["TestSupport", "CSQLite", "Determinism", "JSON", "HTTPClient", "Modes", "ModelCore", "Corpus", "LocalCloud", "TweetStream", "rehearse"]),
        .testTarget(name: "RehearseCLITests", dependencies: ["TestSupport", "rehearse"]),
        .testTarget(
            name: "OnlineTests",
            dependencies: [
                "Determinism", "JSON", "ModelCore", "LocalCloud", "Modes", "Online", "rehearse", "TestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The wire protocols as functions, and `rehearse cloud serve` as a child process driven
        // by boto3 (a real AWS client) when it is installed.
        .testTarget(
            name: "WireTests",
            dependencies: ["Determinism", "JSON", "LocalCloud", "Wire", "HTTPClient", "rehearse", "TestSupport",
                           .product(name: "Crypto", package: "swift-crypto")]
        ),
        // Servers on 127.0.0.1 port 0 on a virtual clock, read by a raw socket client.
        .testTarget(
            name: "TweetStreamTests",
            dependencies: [
                "Determinism", "JSON", "LocalCloud", "TweetStream", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
    ]
)
