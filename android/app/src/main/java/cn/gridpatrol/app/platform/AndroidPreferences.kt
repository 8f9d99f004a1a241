/** The small settings outside the core (consent, language, last server) in SharedPreferences. */
package cn.gridpatrol.app.platform

import android.content.Context
import cn.gridpatrol.viewmodel.platform.AppPreferences

class AndroidPreferences(context: Context) : AppPreferences {
    private val prefs = context.applicationContext.getSharedPreferences("gridpatrol", Context.MODE_PRIVATE)

    override var consentVersion: Int?
        get() = prefs.getInt(KEY_CONSENT, 0).takeIf { it > 0 }
        set(value) = prefs.edit().putInt(KEY_CONSENT, value ?: 0).apply()

    override var language: String?
        get() = prefs.getString(KEY_LANGUAGE, null)
        set(value) = prefs.edit().putString(KEY_LANGUAGE, value).apply()

    override var lastServerUrl: String?
        get() = prefs.getString(KEY_SERVER, null)
        set(value) = prefs.edit().putString(KEY_SERVER, value).apply()

    private companion object {
        const val KEY_CONSENT = "consent_version"
        const val KEY_LANGUAGE = "language"
        const val KEY_SERVER = "last_server_url"
    }
}
