import Determinism
import Foundation
import ModelCore
import Testing

/// `PortableMath.exp` and `.log` against a table of 4,000 inputs, generated once: each row holds
/// the result the functions gave (so any platform that computes other bits fails), and the
/// correctly rounded result per mpmath at 256-bit precision with the error in ulps (so the
/// accuracy stated in the doc comment is checked against an independent reference).
@Suite("PortableMath: exp and log, the same bits everywhere")
struct PortableMathTests {
    struct Row {
        let function: String
        let input: Double
        let pinned: UInt64
        let reference: UInt64
        let ulpError: Double
        let line: Int
    }

    static let rows: [Row] = {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Data/portable-math.tsv").path
        let text = try! String(contentsOfFile: path, encoding: .utf8)
        return text.split(separator: "\n").enumerated().compactMap { index, line in
            guard !line.hasPrefix("#") else { return nil }
            let fields = line.split(separator: "\t")
            precondition(fields.count == 5, "portable-math.tsv line \(index + 1): expected 5 fields")
            return Row(function: String(fields[0]), input: Double(bitPattern: UInt64(fields[1], radix: 16)!),
                       pinned: UInt64(fields[2], radix: 16)!, reference: UInt64(fields[3], radix: 16)!,
                       ulpError: Double(fields[4])!, line: index + 1)
        }
    }()

    static func compute(_ row: Row) -> Double {
        row.function == "exp" ? PortableMath.exp(row.input) : PortableMath.log(row.input)
    }

    @Test("every pinned result is reproduced bit for bit")
    func pinnedBits() {
        #expect(Self.rows.filter { $0.function == "exp" }.count == 2000)
        #expect(Self.rows.filter { $0.function == "log" }.count == 2000)
        for row in Self.rows {
            let result = Self.compute(row)
            if Double(bitPattern: row.pinned).isNaN {
                #expect(result.isNaN, "line \(row.line): \(row.function)(\(row.input))")
            } else {
                #expect(result.bitPattern == row.pinned,
                        "line \(row.line): \(row.function)(\(row.input)) = \(result), pinned \(Double(bitPattern: row.pinned))")
            }
        }
    }

    @Test("every result is the correctly rounded value or its neighbour, within the documented error")
    func accuracy() {
        for row in Self.rows where !Double(bitPattern: row.reference).isNaN {
            let result = Self.compute(row)
            let reference = Double(bitPattern: row.reference)
            let neighbours = [reference, reference.nextUp, reference.nextDown]
            #expect(neighbours.contains { $0.bitPattern == result.bitPattern }, "line \(row.line)")
        }
        let worst = Dictionary(grouping: Self.rows, by: \.function).mapValues { $0.map(\.ulpError).max()! }
        #expect(worst["exp"]! <= 0.774 && worst["log"]! <= 0.665)
        #expect(worst["exp"]! > 0.5 && worst["log"]! > 0.5)
    }

    @Test("exp of a pair has the bits of exp of each lane: pinned inputs, every branch's edges, and 400,000 seeded ones")
    func pairMatchesLanes() {
        var inputs = Self.rows.filter { $0.function == "exp" }.map(\.input)
        // fdlibm's branch points (ln 2 / 2, 3 ln 2 / 2, 2⁻²⁸, the pair's 704 and the overflow and
        // underflow thresholds) with their neighbours, on both sides of zero.
        for edge in [0.34657359027997264, 1.0397207708399179, 0x1p-28, 704, 709.782712893384, 745.1332191019411, 0, 0.5, 1, 2] {
            for value in [edge, edge.nextUp, edge.nextDown, edge.nextUp.nextUp, edge.nextDown.nextDown] { inputs += [value, -value] }
        }
        inputs += [.infinity, -.infinity, .nan, Double.leastNonzeroMagnitude, -Double.leastNonzeroMagnitude]
        var random = SplitMix64(seed: 20261202)
        for _ in 0..<400_000 {
            // Magnitudes from 2⁻³⁰ to 2¹⁰, uniform in the exponent, of either sign.
            let magnitude = Double(sign: .plus, exponent: Int(random.next() % 40) - 30, significand: 1 + Double(random.next() >> 11) * 0x1p-53)
            inputs.append(random.next() & 1 == 0 ? magnitude : -magnitude)
        }
        var mismatches: [String] = []
        for index in stride(from: 0, to: inputs.count - 1, by: 1) {
            let pair = PortableMath.exp(SIMD2(inputs[index], inputs[index + 1]))
            for lane in 0..<2 where pair[lane].bitPattern != PortableMath.exp(inputs[index + lane]).bitPattern
                && !(pair[lane].isNaN && inputs[index + lane].isNaN) {
                mismatches.append("exp(\(inputs[index + lane])): pair \(pair[lane]), lane \(PortableMath.exp(inputs[index + lane]))")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches, first: \(mismatches.prefix(5))")
    }

    @Test("special values")
    func specialValues() {
        #expect(PortableMath.exp(0) == 1)
        #expect(PortableMath.exp(-.infinity) == 0)
        #expect(PortableMath.exp(.infinity) == .infinity)
        #expect(PortableMath.exp(710) == .infinity)
        #expect(PortableMath.exp(-746) == 0)
        #expect(PortableMath.exp(-745) == Double.leastNonzeroMagnitude)
        #expect(PortableMath.exp(.nan).isNaN)
        #expect(PortableMath.log(1) == 0)
        #expect(PortableMath.log(0) == -.infinity)
        #expect(PortableMath.log(-0.0) == -.infinity)
        #expect(PortableMath.log(.infinity) == .infinity)
        #expect(PortableMath.log(-1).isNaN)
        #expect(PortableMath.log(.nan).isNaN)
        #expect(PortableMath.log(Double.leastNonzeroMagnitude) == -744.4400719213812)
    }

    @Test("exp is monotone and log inverts it over softmax's range")
    func monotoneAndInverse() {
        var previous = 0.0
        var x = -40.0
        while x <= 0 {
            let value = PortableMath.exp(x)
            #expect(value >= previous)
            let back = PortableMath.log(value)
            #expect(abs(back - x) <= 4 * x.ulp + 1e-15)
            previous = value
            x += 0.001
        }
    }
}
