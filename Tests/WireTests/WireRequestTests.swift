import Testing
import Wire

@Suite("Wire requests")
struct WireRequestTests {
    @Test("header names match whatever their case, and only the same name matches")
    func headerLookupIgnoresCase() {
        let request = WireRequest(method: "GET", target: "/bucket/key?list-type=2",
                                  headers: [("X-Amz-Date", "20260101T000000Z"), ("content-TYPE", "text/plain"), ("x-amz-date", "later")])
        #expect(request.header("x-amz-date") == "20260101T000000Z")
        #expect(request.header("X-AMZ-DATE") == "20260101T000000Z")
        #expect(request.header("Content-Type") == "text/plain")
        #expect(request.header("content-typ") == nil)
        #expect(request.header("content-type ") == nil)
        #expect(request.header("x_amz_date") == nil)
        #expect(request.rawPath == "/bucket/key" && request.rawQuery == "list-type=2")
    }
}
