// The real server-stub binary (built by cargo on the Mac) on a free loopback port, with the demo
// district and test controls; the URL and enrollment codes are read from its stdout. Also the
// little HTTP the street office does in the scripted day (a supervisor's token, a venue's QR
// PNG, the ledger) and fault injection. Runs where the test can start a process: macOS
// (`swift test`); in an iOS simulator the tests that need it are skipped.

import Foundation
import XCTest

/// One `enroll <role> <user_id> <name> <grids|street> <code>` line of the server's stdout.
struct EnrollmentCode {
    let role: String
    let userId: String
    let name: String
    let covers: String
    let code: String
}

/// The repository checkout this test file is in (…/ios/GridPatrolKit/Tests/GridPatrolKitTests/).
let repositoryRoot: URL = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<5 { url.deleteLastPathComponent() }
    return url
}()

/// The workspace's test fixtures (photos), or `GRIDPATROL_FIXTURES`.
let fixtures: URL = ProcessInfo.processInfo.environment["GRIDPATROL_FIXTURES"].map { URL(fileURLWithPath: $0) }
    ?? repositoryRoot.appendingPathComponent("tests/fixtures")

final class ServerStub {
    let url: String
    let codes: [EnrollmentCode]
    #if os(macOS)
    private let process: Process
    #endif

    func code(_ userId: String) -> EnrollmentCode {
        codes.first { $0.userId == userId }!
    }

    /// Enrolls a device over HTTP (`POST /v1/enroll`) and returns its bearer token.
    func enrollToken(_ code: String) async throws -> String {
        let body = #"{"code":"\#(code)","device_id":"office-\#(UUID().uuidString)","device_name":"street office"}"#
        let answer = try await send("POST", "/v1/enroll", body: body)
        let json = try JSONSerialization.jsonObject(with: answer) as? [String: Any]
        return try XCTUnwrap(json?["token"] as? String, "no token in the enrollment answer")
    }

    /// GET with a bearer token; the body's bytes (throws unless 200).
    func get(_ path: String, _ token: String) async throws -> Data {
        try await send("GET", path, token: token)
    }

    /// Every request from now on has its connection dropped: the phone is as good as offline.
    func dropAllConnections() async throws {
        _ = try await send("POST", "/v1/test/faults", body: #"{"faults":[{"action":{"type":"drop_connection"},"times":1000000}]}"#)
    }

    func clearFaults() async throws {
        _ = try await send("DELETE", "/v1/test/faults")
    }

    private func send(_ method: String, _ path: String, body: String? = nil, token: String? = nil) async throws -> Data {
        var request = URLRequest(url: URL(string: url + path)!, timeoutInterval: 20)
        request.httpMethod = method
        if let body {
            request.httpBody = Data(body.utf8)
            request.setValue("application/json", forHTTPHeaderField: "content-type")
        }
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "authorization") }
        let (data, response) = try await URLSession.shared.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard status == 200 else {
            throw NSError(domain: "ServerStub", code: status, userInfo: [
                NSLocalizedDescriptionKey: "HTTP \(status): \(String(decoding: data, as: UTF8.self))",
            ])
        }
        return data
    }

    #if os(macOS)
    private init(process: Process, url: String, codes: [EnrollmentCode]) {
        self.process = process
        self.url = url
        self.codes = codes
    }

    /// Stops the server (SIGTERM, then SIGKILL if it lingers).
    func close() {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning && Date() < deadline { usleep(50_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// Starts `target/debug/server-stub` (or `GRIDPATROL_SERVER_STUB`) in memory with the demo
    /// district on 127.0.0.1, port chosen by the OS.
    static func start() async throws -> ServerStub {
        let binary = ProcessInfo.processInfo.environment["GRIDPATROL_SERVER_STUB"].map { URL(fileURLWithPath: $0) }
            ?? repositoryRoot.appendingPathComponent("target/debug/server-stub")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw XCTSkip("server-stub not built at \(binary.path): run `cargo build -p server-stub` first")
        }
        let process = Process()
        process.executableURL = binary
        process.arguments = ["--memory", "--seed-demo", "--listen", "127.0.0.1:0", "--test-controls"]
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
        do {
            // Lines are read for the whole life of the server, so its stdout never fills up.
            let lines = AsyncStream<String> { continuation in
                Task.detached {
                    for try await line in stdout.fileHandleForReading.bytes.lines { continuation.yield(line) }
                    continuation.finish()
                }
            }
            var iterator = lines.makeAsyncIterator()
            let firstLine = await iterator.next()
            let first = try XCTUnwrap(firstLine, "server-stub printed nothing")
            guard first.hasPrefix("listening on http://") else { throw startFailure("unexpected first line: \(first)") }
            let url = String(first.dropFirst("listening on ".count))
            var codes: [EnrollmentCode] = []
            while codes.count < demoUsers, let line = await iterator.next() {
                let parts = line.split(separator: " ").map(String.init)
                if parts.count == 6 && parts[0] == "enroll" {
                    codes.append(EnrollmentCode(role: parts[1], userId: parts[2], name: parts[3], covers: parts[4], code: parts[5]))
                }
            }
            guard !codes.isEmpty else { throw startFailure("no enrollment codes printed") }
            return ServerStub(process: process, url: url, codes: codes)
        } catch {
            process.terminate()
            throw error
        }
    }

    private static func startFailure(_ message: String) -> Error {
        NSError(domain: "ServerStub", code: 1, userInfo: [NSLocalizedDescriptionKey: message])
    }
    #else
    static func start() async throws -> ServerStub {
        throw XCTSkip("the scripted day starts server-stub as a process: run it on macOS with `swift test`")
    }

    func close() {}
    #endif

    /// The demo district's users (two workers, one supervisor).
    private static let demoUsers = 3
}
