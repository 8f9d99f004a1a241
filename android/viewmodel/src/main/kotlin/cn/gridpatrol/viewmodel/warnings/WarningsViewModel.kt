/**
 * Warnings (预警) that reached this user and their acknowledgement (叫应): unacknowledged ones
 * first, red to blue; acknowledging is one tap and is sent as soon as the phone is online. A
 * supervisor can also issue a warning for grids of their street.
 */
package cn.gridpatrol.viewmodel.warnings

import cn.gridpatrol.core.WarningLevel
import cn.gridpatrol.core.WarningRecord
import cn.gridpatrol.core.WarningType
import cn.gridpatrol.viewmodel.session.AppDispatchers
import cn.gridpatrol.viewmodel.session.CoreEvent
import cn.gridpatrol.viewmodel.session.CoreSession
import cn.gridpatrol.viewmodel.session.StateViewModel
import cn.gridpatrol.viewmodel.session.UiError
import cn.gridpatrol.viewmodel.session.uiError
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job

data class WarningsUiState(
    val warnings: List<WarningRecord> = emptyList(),
    /** The id of the warning a supervisor just issued. */
    val issued: String? = null,
    /** A warning is being issued: the form's button waits (one tap, one warning). */
    val issuing: Boolean = false,
    val error: UiError? = null,
) {
    /** Warnings that still demand 叫应: the home screen shows these on top. */
    val awaitingAck: List<WarningRecord>
        get() = warnings.filter { !it.acknowledged }
}

class WarningsViewModel(
    private val session: CoreSession,
    scope: CoroutineScope,
    dispatchers: AppDispatchers,
) : StateViewModel<WarningsUiState>(WarningsUiState(), scope, dispatchers) {

    /** Loads, and reloads when a warning arrives or a sync ends. */
    fun start(): Job {
        reloadOn(session, { it is CoreEvent.WarningReceived || it is CoreEvent.SyncFinished }, ::load)
        return load()
    }

    fun load(): Job = launchAction {
        val listed = attempt { session.call { it.warnings() } }
        setState { it.copy(warnings = listed.getOrDefault(it.warnings), error = listed.uiError()) }
    }

    /** 叫应: acknowledges a warning (again is harmless). */
    fun acknowledge(warningId: String): Job = launchAction {
        val done = attempt { session.call { it.acknowledgeWarning(warningId) } }
        setState { it.copy(error = done.uiError()) }
        load().join()
    }

    /** A supervisor issues a warning for [grids] of their street (empty: all of them). */
    fun issue(level: WarningLevel, type: WarningType, grids: List<String>, text: String, ackWithinMinutes: Int): Job = launchAction {
        if (state.value.issuing) return@launchAction
        setState { it.copy(issuing = true, error = null) }
        val done = attempt { session.call { it.issueWarning(level, type, grids, text.trim(), ackWithinMinutes.toUInt()) } }
        setState { it.copy(issuing = false, issued = done.getOrNull(), error = done.uiError()) }
    }

    /** The issue-warning screen went back to the warnings; the next form starts afresh. */
    fun onIssuedShown() = setState { it.copy(issued = null) }
}
