/// The tokens that stand in for URLs, mentions and numbers.
enum Placeholder {
    static let url = Array("<url>".utf8)
    static let user = Array("<user>".utf8)
    static let number = Array("<num>".utf8)
    static let urlPrefixes = ["http://", "https://", "www."].map { Array($0.utf8) }
}
