import ArgumentParser
import Harness

/// A duration flag value: whole numbers with a unit, concatenated (`1s`, `250ms`, `1m30s`),
/// read as scenario files read durations.
struct DurationArgument: ExpressibleByArgument, CustomStringConvertible {
    let duration: Duration
    let description: String

    init?(argument: String) {
        guard let duration = DurationText.parse(argument) else { return nil }
        self.duration = duration
        description = argument
    }

    init(_ text: String) {
        self.init(argument: text)!
    }
}

/// A size flag value in bytes: `4096`, `512KiB`, `1MiB`, `2MB` (KiB/MiB/GiB are powers of 1024,
/// KB/MB/GB powers of 1000).
struct ByteSizeArgument: ExpressibleByArgument, CustomStringConvertible {
    let bytes: Int
    let description: String

    init?(argument: String) {
        let units: [(suffix: String, factor: Int)] = [
            ("KiB", 1 << 10), ("MiB", 1 << 20), ("GiB", 1 << 30), ("KB", 1000), ("MB", 1_000_000), ("GB", 1_000_000_000), ("B", 1),
        ]
        let unit = units.first { argument.hasSuffix($0.suffix) } ?? ("", 1)
        guard let number = Int(argument.dropLast(unit.suffix.count)), number >= 0 else { return nil }
        let (bytes, overflow) = number.multipliedReportingOverflow(by: unit.factor)
        guard !overflow else { return nil }
        self.bytes = bytes
        description = argument
    }

    init(_ text: String) {
        self.init(argument: text)!
    }
}
