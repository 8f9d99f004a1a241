package cn.gridpatrol.core.test

import java.io.File
import java.util.concurrent.TimeUnit

/**
 * The reference server (`target/debug/server-stub`, or `-Dgridpatrol.serverStub`) in memory with
 * the demo district on a free loopback port, for the binding tests whose glue needs a server:
 * async enrollment, a sync pass, a listener called from the core's threads.
 */
class DemoServer : AutoCloseable {
    private val process: Process
    /** `http://127.0.0.1:<port>` */
    val url: String
    private val codes = mutableMapOf<String, String>()

    init {
        val binary = File(System.getProperty("gridpatrol.serverStub") ?: "target/debug/server-stub")
        check(binary.canExecute()) { "server-stub is not built at $binary" }
        process = ProcessBuilder(binary.path, "--memory", "--seed-demo", "--listen", "127.0.0.1:0")
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start()
        val out = process.inputStream.bufferedReader()
        url = out.readLine()?.removePrefix("listening on ") ?: error("server-stub did not start")
        // `enroll <role> <user_id> <name> <grids or street> <code>`, one line per demo user.
        while (!codes.keys.containsAll(NEEDED)) {
            val line = out.readLine() ?: error("server-stub printed no codes for $NEEDED")
            val fields = line.split(' ')
            if (fields.first() == "enroll") codes[fields[2]] = fields.last()
        }
    }

    /** The enrollment code of a demo user. */
    fun code(userId: String): String = codes.getValue(userId)

    override fun close() {
        process.destroy()
        process.waitFor(10, TimeUnit.SECONDS)
    }

    companion object {
        const val WORKER = "u-zhangwei"
        const val SUPERVISOR = "u-wangjing"
        const val GRID = "劲松三区-03"
        private val NEEDED = setOf(WORKER, SUPERVISOR)
    }
}
