import Determinism
import ModelCore

/// Labelled tweets made up in the test from word lists, so unit tests need no data set.
enum SyntheticTweets {
    static let positive = ["love", "great", "awesome", "happy", "amazing", "best", "excited", "thanks"]
    static let negative = ["hate", "awful", "terrible", "sad", "worst", "broken", "angry", "fail"]
    static let neutral = ["meeting", "today", "schedule", "update", "report", "monday", "office", "notes"]
    static let filler = ["the", "my", "this", "new", "phone", "app", "at", "is", "so", "really"]

    /// `count` examples, labels cycling, words chosen by `SplitMix64(seed)`.
    static func make(count: Int, seed: UInt64) -> [LabeledText] {
        var random = SplitMix64(seed: seed)
        return (0..<count).map { index in
            let (label, words) = [("positive", positive), ("negative", negative), ("neutral", neutral)][index % 3]
            var text: [String] = []
            for _ in 0..<6 {
                let useSignal = random.nextIndex(below: 3) == 0
                text.append(useSignal ? words[random.nextIndex(below: words.count)] : filler[random.nextIndex(below: filler.count)])
            }
            text.append(words[random.nextIndex(below: words.count)])
            return LabeledText(text: text.joined(separator: " "), label: label)
        }
    }
}
