/**
 * The bearer token under the Android Keystore: an AES-256-GCM key generated inside the Keystore
 * (never exported, this device only) seals the token (`TokenSeal`); the sealed text sits in
 * app-private SharedPreferences, which are not backed up. The core's `CredentialStore`, set by
 * CoreSession.open: the counterpart of iOS's KeychainTokenStore. Called on a core thread.
 */
package cn.gridpatrol.app.platform

import android.content.Context
import android.security.keystore.KeyGenParameterSpec
import android.security.keystore.KeyProperties
import cn.gridpatrol.core.CredentialStore
import cn.gridpatrol.viewmodel.platform.TokenSeal
import java.security.KeyStore
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey

class KeystoreTokenStore(context: Context) : CredentialStore {
    private val prefs = context.getSharedPreferences(PREFS, Context.MODE_PRIVATE)

    /** Null also when the key is gone (app data restored elsewhere): the user enrolls again. */
    @Synchronized
    override fun loadToken(): String? {
        val sealed = prefs.getString(KEY_TOKEN, null) ?: return null
        return runCatching { TokenSeal.open(key(), sealed) }.getOrNull()
    }

    @Synchronized
    override fun saveToken(token: String?): Boolean {
        if (token == null) return prefs.edit().remove(KEY_TOKEN).commit()
        return runCatching { prefs.edit().putString(KEY_TOKEN, TokenSeal.seal(key(), token)).commit() }
            .getOrDefault(false)
    }

    /** The Keystore key, created on first use. */
    private fun key(): SecretKey {
        val keyStore = KeyStore.getInstance(KEYSTORE).apply { load(null) }
        (keyStore.getKey(ALIAS, null) as? SecretKey)?.let { return it }
        val generator = KeyGenerator.getInstance(KeyProperties.KEY_ALGORITHM_AES, KEYSTORE)
        generator.init(
            KeyGenParameterSpec.Builder(ALIAS, KeyProperties.PURPOSE_ENCRYPT or KeyProperties.PURPOSE_DECRYPT)
                .setBlockModes(KeyProperties.BLOCK_MODE_GCM)
                .setEncryptionPaddings(KeyProperties.ENCRYPTION_PADDING_NONE)
                .setKeySize(256)
                .build(),
        )
        return generator.generateKey()
    }

    private companion object {
        const val KEYSTORE = "AndroidKeyStore"
        const val ALIAS = "gridpatrol-token"
        const val PREFS = "gridpatrol-credentials"
        const val KEY_TOKEN = "token"
    }
}
