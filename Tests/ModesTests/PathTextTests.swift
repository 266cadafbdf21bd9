import Determinism
import Testing

@Suite("PathText: a path's folder, as deletingLastPathComponent gives it, for names of any length")
struct PathTextTests {
    @Test("the folder of relative, absolute, one-character and slash-ended paths", arguments: [
        ("x", ""), ("x/", ""), ("ab", ""), ("ab/", ""), ("", ""), ("/", "/"), ("//", "/"), ("/x", "/"), ("/x/", "/"),
        ("a/b", "a"), ("a/b/", "a"), ("a//b", "a"), ("r/index.html", "r"), ("/tmp/x/y.yaml", "/tmp/x"), ("./s", "."),
        ("é/ü", "é"),
    ])
    func parent(path: String, folder: String) {
        #expect(PathText.parent(of: path) == folder)
    }
}
