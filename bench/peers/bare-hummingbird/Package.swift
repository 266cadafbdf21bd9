// swift-tools-version:6.0
import PackageDescription

/// A bare Hummingbird 2 endpoint: the ceiling of the server stack for `bench/online-peers`.
///
/// Its own package, outside the main one, so neither `swift build` at the repository root nor CI
/// ever builds it; `bench/online-peers` builds it with `swift build -c release` in this folder.
let package = Package(
    name: "bare-hummingbird",
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", exact: "2.28.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
    ],
    targets: [
        .executableTarget(
            name: "bare-hummingbird",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
    ]
)
