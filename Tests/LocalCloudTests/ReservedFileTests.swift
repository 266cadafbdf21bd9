import Foundation
import LocalCloud
import Testing

/// Puts fill unnamed files made ahead of need in the store's `tmp/` folder (its reserve): what a
/// put leaves must not depend on which file it got, and the reserve must not outlive its store.
@Suite struct ReservedFileTests {
    @Test(arguments: [0, 1, 8])
    func putsBackToBackLandWholeAndLeaveNothingInTmp(reservedFiles: Int) throws {
        let fixture = try StoreFixture(options: .init(reservedFiles: reservedFiles))
        // More puts than the reserve holds, empty objects among them, some keys written twice.
        var expected: [String: Data] = [:]
        for number in 0..<40 {
            let key = "k\(number % 30)"
            let data = Data((0..<(number * 53 % 700)).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ number) })
            try fixture.store.put(data, bucket: "in", key: key)
            expected[key] = data
        }
        for (key, data) in expected {
            #expect(try fixture.store.get(bucket: "in", key: key).data == data, "\(key)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: fixture.folder.path + "/tmp").isEmpty)
    }

    @Test func aReleasedStoreHoldsNoReservedFile() throws {
        // A reserve large enough to be still filling when the store goes.
        let options = DirectoryObjectStore.Options(reservedFiles: 200)
        for round in 0..<5 {
            let folder = try TemporaryFolder()
            do {
                let store = try DirectoryObjectStore(root: folder.url, clock: VirtualClock(), options: options)
                try store.createBucket("b")
                try store.put(Data("\(round)".utf8), bucket: "b", key: "k")
            }
            #expect(try openFiles(under: folder.path + "/tmp") == 0, "round \(round)")
        }
    }

    @Test func aPutAfterTmpWasRemovedSaysSoAndTheNextOneWorks() throws {
        let fixture = try StoreFixture()
        for number in 0..<3 { try fixture.store.put(Data([UInt8(number)]), bucket: "in", key: "before\(number)") }
        let temporary = fixture.folder.path + "/tmp"
        try FileManager.default.removeItem(atPath: temporary)
        #expect {
            try fixture.store.put(Data("lost".utf8), bucket: "in", key: "during")
        } throws: { error in
            guard case ObjectStoreError.io("create", let path, ENOENT) = error else { return false }
            return path.hasPrefix(temporary + "/")
        }
        #expect(throws: ObjectStoreError.objectNotFound(bucket: "in", key: "during", generation: nil)) {
            try fixture.store.get(bucket: "in", key: "during")
        }
        try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: false)
        for number in 0..<12 { try fixture.store.put(Data([UInt8(number), 1]), bucket: "in", key: "after\(number)") }
        for number in 0..<12 { #expect(try fixture.store.get(bucket: "in", key: "after\(number)").data == Data([UInt8(number), 1])) }
        #expect(try fixture.store.get(bucket: "in", key: "before2").data == Data([2]))
    }
}
