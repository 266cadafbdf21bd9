extension StaticString {
    /// Whether `bytes` holds exactly this text's UTF-8 from `position` on (for the scanners that
    /// match literals such as `true` or `{"data":` in raw bytes).
    func isFound(in bytes: UnsafeBufferPointer<UInt8>, at position: Int) -> Bool {
        let count = utf8CodeUnitCount
        return position + count <= bytes.count
            && UnsafeBufferPointer(rebasing: bytes[position..<(position + count)])
                .elementsEqual(UnsafeBufferPointer(start: utf8Start, count: count))
    }
}
