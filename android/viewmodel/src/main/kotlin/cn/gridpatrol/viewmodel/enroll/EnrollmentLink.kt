/**
 * The enrollment QR code a street office can show: a server URL and a one-time code in one
 * scan. Two spellings are accepted: `gridpatrol://enroll?server=<url>&code=<code>` and
 * `https://<server>/enroll?code=<code>` (the server is the URL's origin). The server does not
 * print these yet; typing server and code works the same.
 */
package cn.gridpatrol.viewmodel.enroll

import java.net.URI
import java.net.URLDecoder
import java.nio.charset.StandardCharsets

/** A server and code read from an enrollment QR code. */
data class EnrollmentLink(val serverUrl: String, val code: String) {
    companion object {
        /** Reads [text] as an enrollment link, or null when it is none (e.g. a venue code). */
        fun parse(text: String): EnrollmentLink? {
            val uri = runCatching { URI(text.trim()) }.getOrNull() ?: return null
            val query = parseQuery(uri.rawQuery ?: return null)
            val code = query["code"]?.takeIf { it.isNotBlank() } ?: return null
            return when {
                uri.scheme == "gridpatrol" && uri.host == "enroll" -> {
                    val server = query["server"]?.takeIf(::isHttpUrl) ?: return null
                    EnrollmentLink(server.trimEnd('/'), code)
                }
                (uri.scheme == "https" || uri.scheme == "http") && uri.path.trimEnd('/').endsWith("/enroll") -> {
                    val base = uri.path.trimEnd('/').removeSuffix("/enroll")
                    val origin = URI(uri.scheme, uri.rawAuthority, null, null, null).toString()
                    EnrollmentLink(origin + base, code)
                }
                else -> null
            }
        }

        /** An http(s) URL with a host: what the enrollment form accepts as a server. */
        fun isHttpUrl(text: String): Boolean {
            val uri = runCatching { URI(text.trim()) }.getOrNull() ?: return false
            return (uri.scheme == "https" || uri.scheme == "http") && !uri.host.isNullOrEmpty()
        }

        private fun parseQuery(raw: String): Map<String, String> = raw.split('&')
            .mapNotNull { part ->
                val eq = part.indexOf('=')
                if (eq <= 0) return@mapNotNull null
                decode(part.substring(0, eq)) to decode(part.substring(eq + 1))
            }
            .toMap()

        private fun decode(s: String) = URLDecoder.decode(s, StandardCharsets.UTF_8)
    }
}
