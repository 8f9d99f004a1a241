/**
 * Settings: the server and account this device is enrolled with (re-enroll to change), the UI
 * and label language (zh-CN default, English), the device id for support, and a check of the
 * journal's hash chain and the evidence files.
 */
package cn.gridpatrol.viewmodel.settings

import cn.gridpatrol.core.AccountRecord
import cn.gridpatrol.viewmodel.platform.AppPreferences
import cn.gridpatrol.viewmodel.session.AppDispatchers
import cn.gridpatrol.viewmodel.session.CoreSession
import cn.gridpatrol.viewmodel.session.StateViewModel
import cn.gridpatrol.viewmodel.session.UiError
import cn.gridpatrol.viewmodel.session.uiError
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job

/** The result of "check my data". */
data class IntegrityCheck(val journalIntact: Boolean, val events: ULong, val evidenceChecked: ULong, val evidenceProblems: Int)

data class SettingsUiState(
    val account: AccountRecord? = null,
    val deviceId: String? = null,
    /** `zh-CN` or `en`. */
    val language: String = "zh-CN",
    val checking: Boolean = false,
    val integrity: IntegrityCheck? = null,
    val error: UiError? = null,
)

class SettingsViewModel(
    private val session: CoreSession,
    private val preferences: AppPreferences,
    scope: CoroutineScope,
    dispatchers: AppDispatchers,
) : StateViewModel<SettingsUiState>(
    SettingsUiState(language = preferences.language ?: CoreSession.DEFAULT_LOCALE),
    scope,
    dispatchers,
) {
    fun load(): Job = launchAction {
        val loaded = attempt { session.call { it.account() to it.deviceId() } }
        val (account, deviceId) = loaded.getOrElse {
            setState { it.copy(error = loaded.uiError()) }
            return@launchAction
        }
        setState { it.copy(account = account, deviceId = deviceId, error = null) }
    }

    /**
     * Switches the language of the core's labels (venue types, areas) and remembers it; the app
     * switches its own strings (Android: per-app locale) when it sees the state change.
     */
    fun setLanguage(tag: String): Job = launchAction {
        require(tag in LANGUAGES) { "unsupported language $tag" }
        val done = attempt { session.call { it.setLocale(tag) } }
        if (done.isSuccess) preferences.language = tag
        setState { it.copy(language = if (done.isSuccess) tag else it.language, error = done.uiError()) }
    }

    /** Verifies the journal's hash chain and replay, and re-hashes the evidence files. */
    fun checkIntegrity(): Job = launchAction {
        setState { it.copy(checking = true, error = null) }
        val checked = attempt {
            session.call { core ->
                val journal = core.verifyJournal()
                val evidence = core.verifyEvidence()
                IntegrityCheck(journal.intact, journal.events, evidence.checked, evidence.problems.size)
            }
        }
        setState { it.copy(checking = false, integrity = checked.getOrNull(), error = checked.uiError()) }
    }

    companion object {
        /** The languages the app ships strings for. */
        val LANGUAGES = listOf("zh-CN", "en")
    }
}
