import Determinism

/// Seeded damage to a valid input, for differential tests of a fast-path reader against a
/// strict one: one to three edits, each replacing, deleting or inserting a byte drawn from
/// `hostile`, or cutting the rest off.
public func seededMutation(of bytes: [UInt8], hostile: [UInt8], random: inout SplitMix64) -> [UInt8] {
    var bytes = bytes
    for _ in 0...random.nextIndex(below: 2) {
        if bytes.isEmpty { break }
        let at = random.nextIndex(below: bytes.count)
        switch random.nextIndex(below: 4) {
        case 0: bytes[at] = hostile[random.nextIndex(below: hostile.count)]
        case 1: bytes.remove(at: at)
        case 2: bytes.insert(hostile[random.nextIndex(below: hostile.count)], at: at)
        default: bytes.removeSubrange(at...)
        }
    }
    return bytes
}
