/**
 * How the Android app seals the bearer token with a key the Keystore holds (AES-256-GCM: a fresh
 * 12-byte IV, then ciphertext and tag). Plain javax.crypto, so the format and its tamper check
 * are tested on the JVM; the key itself never leaves the Keystore on a phone.
 */
package cn.gridpatrol.viewmodel.platform

import java.util.Base64
import javax.crypto.Cipher
import javax.crypto.SecretKey
import javax.crypto.spec.GCMParameterSpec

object TokenSeal {
    private const val TRANSFORMATION = "AES/GCM/NoPadding"
    private const val IV_BYTES = 12
    private const val TAG_BITS = 128

    /** The token encrypted under [key], as text for a preferences file. */
    fun seal(key: SecretKey, token: String): String {
        val cipher = Cipher.getInstance(TRANSFORMATION)
        cipher.init(Cipher.ENCRYPT_MODE, key)
        val sealed = cipher.iv + cipher.doFinal(token.toByteArray(Charsets.UTF_8))
        return Base64.getEncoder().encodeToString(sealed)
    }

    /** The token, or null when [sealed] is damaged, altered or was sealed under another key. */
    fun open(key: SecretKey, sealed: String): String? = runCatching {
        val bytes = Base64.getDecoder().decode(sealed)
        val cipher = Cipher.getInstance(TRANSFORMATION)
        cipher.init(Cipher.DECRYPT_MODE, key, GCMParameterSpec(TAG_BITS, bytes, 0, IV_BYTES))
        String(cipher.doFinal(bytes, IV_BYTES, bytes.size - IV_BYTES), Charsets.UTF_8)
    }.getOrNull()
}
