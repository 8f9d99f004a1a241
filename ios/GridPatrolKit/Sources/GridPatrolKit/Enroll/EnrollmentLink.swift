// The enrollment QR code a street office can show: a server URL and a one-time code in one
// scan. Two spellings are accepted: `gridpatrol://enroll?server=<url>&code=<code>` and
// `https://<server>/enroll?code=<code>` (the server is the URL's origin). The server does not
// print these yet; typing server and code works the same.

import Foundation

/// A server and code read from an enrollment QR code.
public struct EnrollmentLink: Equatable, Sendable {
    public let serverUrl: String
    public let code: String

    public init(_ serverUrl: String, _ code: String) {
        self.serverUrl = serverUrl
        self.code = code
    }

    /// Reads `text` as an enrollment link, or nil when it is none (e.g. a venue code).
    public static func parse(_ text: String) -> EnrollmentLink? {
        guard let url = URLComponents(string: text.trimmingCharacters(in: .whitespacesAndNewlines)),
              let items = url.queryItems else { return nil }
        let query = Dictionary(items.map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { first, _ in first })
        guard let code = query["code"], !code.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        switch url.scheme?.lowercased() {
        case "gridpatrol" where url.host == "enroll":
            guard let server = query["server"], isHttpUrl(server) else { return nil }
            return EnrollmentLink(trimTrailingSlashes(server), code)
        case "https", "http":
            let path = trimTrailingSlashes(url.path)
            guard path.hasSuffix("/enroll") else { return nil }
            var origin = URLComponents()
            origin.scheme = url.scheme
            origin.percentEncodedUser = url.percentEncodedUser
            origin.percentEncodedPassword = url.percentEncodedPassword
            origin.percentEncodedHost = url.percentEncodedHost
            origin.port = url.port
            guard let base = origin.string else { return nil }
            return EnrollmentLink(base + path.dropLast("/enroll".count), code)
        default:
            return nil
        }
    }

    /// An http(s) URL with a host: what the enrollment form accepts as a server.
    public static func isHttpUrl(_ text: String) -> Bool {
        guard let url = URLComponents(string: text.trimmingCharacters(in: .whitespacesAndNewlines)),
              let scheme = url.scheme?.lowercased() else { return false }
        return (scheme == "https" || scheme == "http") && !(url.host ?? "").isEmpty
    }

    private static func trimTrailingSlashes(_ text: String) -> String {
        var text = Substring(text)
        while text.hasSuffix("/") { text = text.dropLast() }
        return String(text)
    }
}
