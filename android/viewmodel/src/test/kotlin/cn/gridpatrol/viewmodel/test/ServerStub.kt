package cn.gridpatrol.viewmodel.test

import java.io.BufferedReader
import java.io.File
import java.io.InputStreamReader
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.nio.charset.StandardCharsets
import java.time.Duration
import java.util.UUID
import java.util.concurrent.TimeUnit

/** One `enroll <role> <user_id> <name> <grids|street> <code>` line of the server's stdout. */
data class EnrollmentCode(val role: String, val userId: String, val name: String, val covers: String, val code: String)

/**
 * The real server-stub binary (built by cargo) on a free loopback port, with the demo district
 * and test controls; the URL and enrollment codes are read from its stdout. Also the little HTTP
 * the street office does in the scripted day (a supervisor's token, a venue's QR PNG, the
 * ledger) and fault injection.
 */
class ServerStub private constructor(
    private val process: Process,
    val url: String,
    val codes: List<EnrollmentCode>,
    /** The demo venue's code URL as printed on its sticker (`venue <id> <url>`). */
    val venueCodes: Map<String, String>,
) : AutoCloseable {
    private val http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()

    fun code(userId: String): EnrollmentCode = codes.first { it.userId == userId }

    /** Enrolls a device over HTTP (`POST /v1/enroll`) and returns its bearer token. */
    fun enrollToken(code: String): String {
        val body = """{"code":"$code","device_id":"office-${UUID.randomUUID()}","device_name":"street office"}"""
        val response = post("/v1/enroll", body)
        return stringField(response, "token")
    }

    /** A fresh single-use code for a demo [user] (test controls), e.g. for a second device. */
    fun freshCode(user: EnrollmentCode): String {
        val covers = if (user.role == "supervisor") "\"street\":\"${user.covers}\"" else "\"grids\":[\"${user.covers}\"]"
        val body = """{"user_id":"${user.userId}","display_name":"${user.name}","role":"${user.role}",$covers}"""
        val response = post("/v1/test/enrollment-codes", body)
        return stringField(response, "code")
    }

    /** GET with a bearer token; the body's bytes (throws unless 200). */
    fun get(path: String, token: String): ByteArray =
        send(HttpRequest.newBuilder(URI("$url$path")).header("authorization", "Bearer $token").GET())

    /** Every request from now on has its connection dropped: the phone is as good as offline. */
    fun dropAllConnections() {
        val plan = """{"faults":[{"action":{"type":"drop_connection"},"times":1000000}]}"""
        post("/v1/test/faults", plan)
    }

    fun clearFaults() {
        send(HttpRequest.newBuilder(URI("$url/v1/test/faults")).DELETE())
    }

    private fun send(request: HttpRequest.Builder): ByteArray {
        val response = http.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofByteArray())
        check(response.statusCode() == 200) { "HTTP ${response.statusCode()}: ${String(response.body())}" }
        return response.body()
    }

    private fun post(path: String, json: String): ByteArray =
        send(HttpRequest.newBuilder(URI("$url$path")).header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)))

    /** The string value of [key] in a small JSON answer. */
    private fun stringField(json: ByteArray, key: String): String =
        Regex("\"$key\"\\s*:\\s*\"([^\"]+)\"").find(String(json, StandardCharsets.UTF_8))?.groupValues?.get(1)
            ?: error("no $key in the answer")

    /** Stops the server (SIGTERM, then SIGKILL if it lingers). */
    override fun close() {
        process.destroy()
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor()
    }

    companion object {
        /** Starts `target/debug/server-stub` (or `-Dgridpatrol.serverStub`) in memory with the demo district. */
        fun start(): ServerStub {
            val binary = File(System.getProperty("gridpatrol.serverStub") ?: "target/debug/server-stub")
            check(binary.canExecute()) { "server-stub not built at $binary" }
            val process = ProcessBuilder(
                binary.path, "--memory", "--seed-demo", "--listen", "127.0.0.1:0", "--test-controls",
            ).redirectError(ProcessBuilder.Redirect.DISCARD).start()
            try {
                val out = BufferedReader(InputStreamReader(process.inputStream, StandardCharsets.UTF_8))
                val first = out.readLine() ?: error("server-stub printed nothing")
                val url = Regex("^listening on (http://\\S+)$").find(first)?.groupValues?.get(1)
                    ?: error("unexpected first line: $first")
                // `enroll ...` lines for every demo user, then the demo venue's code: the last line.
                val codes = mutableListOf<EnrollmentCode>()
                val venueCodes = mutableMapOf<String, String>()
                while (venueCodes.isEmpty()) {
                    val parts = (out.readLine() ?: break).split(' ')
                    if (parts.size == 6 && parts[0] == "enroll") codes += EnrollmentCode(parts[1], parts[2], parts[3], parts[4], parts[5])
                    if (parts.size == 3 && parts[0] == "venue") venueCodes[parts[1]] = parts[2]
                }
                check(codes.isNotEmpty()) { "no enrollment codes printed" }
                // A JVM ended by a signal (Ctrl-C, CI's time limit) still stops its server.
                Runtime.getRuntime().addShutdownHook(Thread { process.destroy() })
                return ServerStub(process, url, codes, venueCodes)
            } catch (e: Throwable) {
                process.destroyForcibly()
                throw e
            }
        }
    }
}
