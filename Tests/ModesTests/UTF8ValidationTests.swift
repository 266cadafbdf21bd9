import Determinism
import ModelCore
import Modes
import Testing

/// `UTF8Validation` decides which input bytes the batch job passes through untouched, so it
/// must agree exactly with the standard library's UTF-8 decoder.
@Suite struct UTF8ValidationTests {
    private func agrees(_ bytes: [UInt8]) -> Bool {
        let ours = bytes.withUnsafeBufferPointer { UTF8Validation.isValid($0) }
        return ours == (String(validating: bytes, as: UTF8.self) != nil)
    }

    @Test func agreesWithTheStandardLibraryOnEveryOneTwoAndThreeByteSequence() {
        for first in 0...255 {
            #expect(agrees([UInt8(first)]))
            for second in 0...255 {
                guard agrees([UInt8(first), UInt8(second)]) else {
                    Issue.record("disagrees on \([first, second])")
                    return
                }
                for third in [0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xF4, 0xFF] {
                    guard agrees([UInt8(first), UInt8(second), UInt8(third)]) else {
                        Issue.record("disagrees on \([first, second, third])")
                        return
                    }
                }
            }
        }
    }

    @Test func agreesOnRandomMixesOfASCIIAndValidAndInvalidSequences() {
        let pieces: [[UInt8]] = [Array("abcdefgh".utf8), Array("é".utf8), Array("€".utf8), Array("😀".utf8),
                                 [0xE0, 0x80, 0x80], [0xF0, 0x80, 0x80, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80],
                                 [0xED, 0xA0, 0x80], [0xC0, 0xAF], [0x80], [0xE2, 0x82], [0xFF]]
        var random = SplitMix64(seed: 11)
        for _ in 0..<20_000 {
            var bytes: [UInt8] = []
            for _ in 0..<random.nextIndex(below: 8) { bytes += pieces[random.nextIndex(below: pieces.count)] }
            let start = random.nextIndex(below: 3)  // unaligned starts exercise the 8-byte ASCII path
            let slice = Array(bytes.dropFirst(start))
            guard agrees(slice) else {
                Issue.record("disagrees on \(slice)")
                return
            }
        }
    }
}
