package cn.gridpatrol.viewmodel.test

import cn.gridpatrol.core.CredentialStore
import cn.gridpatrol.core.SyncOutcome
import cn.gridpatrol.viewmodel.app.AppPhase
import cn.gridpatrol.viewmodel.app.AppViewModel
import cn.gridpatrol.viewmodel.platform.TokenSeal
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNull
import org.junit.Test

/**
 * The bearer token outside the database: the seal the Android Keystore store uses (round trip,
 * tamper and wrong-key checks), and a phone whose PlatformServices carry a credential store —
 * enrollment puts the token there and nowhere in the database files, and a reopened app syncs
 * with it.
 */
class TokenStoreTest {
    /** The app's secret store, in memory (a phone: `KeystoreTokenStore`). */
    private class MemoryTokenStore : CredentialStore {
        @Volatile var token: String? = null

        override fun loadToken(): String? = token

        override fun saveToken(token: String?): Boolean {
            this.token = token
            return true
        }
    }

    private fun aesKey(): SecretKey = KeyGenerator.getInstance("AES").apply { init(256) }.generateKey()

    @Test
    fun aSealedTokenOpensOnlyUnalteredAndUnderItsKey() {
        val key = aesKey()
        val sealed = TokenSeal.seal(key, "bearer-令牌-123")
        assertEquals("bearer-令牌-123", TokenSeal.open(key, sealed))
        assertFalse("a fresh IV each time", sealed == TokenSeal.seal(key, "bearer-令牌-123"))
        val bytes = java.util.Base64.getDecoder().decode(sealed)
        bytes[bytes.size / 2] = (bytes[bytes.size / 2].toInt() xor 1).toByte()
        assertNull(TokenSeal.open(key, java.util.Base64.getEncoder().encodeToString(bytes)))
        assertNull(TokenSeal.open(aesKey(), sealed))
        assertNull(TokenSeal.open(key, "not base64 at all"))
    }

    @Test(timeout = 300_000)
    fun theTokenLivesInTheStoreAndAReopenedAppSyncsWithIt() {
        val store = MemoryTokenStore()
        ServerStub.start().use { server ->
            TestPlatform(fix = null, credentials = store).use { platform ->
                val first = AppViewModel(platform.services, platform.scope, platform.dispatchers)
                first.start().await()
                first.acceptConsent().await()
                val screens = assertNotNull(first.screens)
                screens.enrollment.setServerUrl(server.url)
                screens.enrollment.setCode(server.code("u-zhangwei").code)
                screens.enrollment.enroll().await()
                assertNull(screens.enrollment.state.value.error)
                val token = assertNotNull("the token went to the store", store.token)
                first.close()
                val core = platform.files.databaseFile.parentFile
                val leaked = core.walk().filter { it.isFile && String(it.readBytes(), Charsets.ISO_8859_1).contains(token) }
                assertEquals("no database file holds the token", emptyList<String>(), leaked.map { it.name }.toList())

                val reopened = AppViewModel(platform.services, platform.scope, platform.dispatchers)
                reopened.start().await()
                assertEquals(AppPhase.READY, reopened.state.value.phase)
                val again = assertNotNull(reopened.screens)
                again.outbox.syncNow().await()
                assertEquals(SyncOutcome.COMPLETED, again.outbox.state.value.sync.lastReport?.outcome)
                reopened.close()
            }
        }
    }
}
