import Foundation
import XMLCoder

/// Writing and reading S3's XML with XMLCoder.
enum S3XML {
    static let namespace = "http://s3.amazonaws.com/doc/2006-03-01/"

    /// An XML response: the document under `root`, in S3's namespace (errors have none).
    static func response<Document: Encodable>(_ document: Document, root: String, status: Int = 200, namespaced: Bool = true)
        -> WireResponse
    {
        let encoder = XMLEncoder()
        encoder.outputFormatting = []
        let body = (try? encoder.encode(document, withRootKey: root, rootAttributes: namespaced ? ["xmlns": namespace] : nil,
                                        header: XMLHeader(version: 1.0, encoding: "UTF-8"))) ?? Data()
        return WireResponse(status: status, headers: [("Content-Type", "application/xml")], body: body)
    }

    /// Reads a request document; a body that is not the expected XML is S3's MalformedXML.
    static func decode<Document: Decodable>(_ type: Document.Type, from body: Data) throws(S3Error) -> Document {
        do {
            return try XMLDecoder().decode(type, from: body)
        } catch let DecodingError.typeMismatch(expected, context) {
            let wanted = expected == Bool.self ? "true or false" : expected == Int.self ? "a whole number" : "a \(expected) value"
            throw S3Error.malformedXML("\(path(context)) is not \(wanted)")
        } catch let DecodingError.valueNotFound(_, context) {
            throw S3Error.malformedXML("\(path(context)) has no value")
        } catch let DecodingError.keyNotFound(key, context) {
            throw S3Error.malformedXML("\(path(context, then: key)) is missing")
        } catch let DecodingError.dataCorrupted(context) {
            throw S3Error.malformedXML("\(path(context)): \(context.debugDescription)")
        } catch {
            throw S3Error.malformedXML("the body is not well-formed XML")
        }
    }

    /// Where in the document a decoding error is, as element names below the root: `<Object[0]/Key>`.
    private static func path(_ context: DecodingError.Context, then key: (any CodingKey)? = nil) -> String {
        let names = (context.codingPath + (key.map { [$0] } ?? [])).map { $0.intValue.map { "[\($0)]" } ?? "/" + $0.stringValue }
        let path = names.joined().drop { $0 == "/" }
        return path.isEmpty ? "the document" : "<\(path)>"
    }
}
