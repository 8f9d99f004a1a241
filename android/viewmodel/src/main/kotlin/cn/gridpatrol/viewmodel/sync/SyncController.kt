/**
 * Sync as the screens see it: whether the phone is online (the platform's connectivity drives
 * the core's `setOnline`), whether a pass is running and how far it got, the last pass's report
 * and the outbox counts. Also asks the OS for a background sync whenever work is waiting.
 */
package cn.gridpatrol.viewmodel.sync

import cn.gridpatrol.core.OutboxStatus
import cn.gridpatrol.core.SyncProgress
import cn.gridpatrol.core.SyncReport
import cn.gridpatrol.viewmodel.platform.BackgroundSync
import cn.gridpatrol.viewmodel.platform.Connectivity
import cn.gridpatrol.viewmodel.session.AppDispatchers
import cn.gridpatrol.viewmodel.session.CoreEvent
import cn.gridpatrol.viewmodel.session.CoreSession
import cn.gridpatrol.viewmodel.session.StateViewModel
import cn.gridpatrol.viewmodel.session.UiError
import cn.gridpatrol.viewmodel.session.uiError
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job

/** The sync part of every screen's state. */
data class SyncUiState(
    val online: Boolean = false,
    val running: Boolean = false,
    /** The running pass's progress (null between passes). */
    val progress: SyncProgress? = null,
    val lastReport: SyncReport? = null,
    val outbox: OutboxStatus? = null,
    val error: UiError? = null,
) {
    /** Items waiting to be sent: the home screen's badge. */
    val pendingCount: Long
        get() = outbox?.let { (it.eventsPending + it.blobsPending).toLong() } ?: 0L

    /** Items the server would not take (the outbox screen offers retry / discard). */
    val wedgedCount: Long
        get() = outbox?.let { (it.eventsWedged + it.blobsWedged).toLong() } ?: 0L
}

/** One per session; [start] it once. */
class SyncController(
    private val session: CoreSession,
    private val connectivity: Connectivity,
    private val backgroundSync: BackgroundSync,
    scope: CoroutineScope,
    dispatchers: AppDispatchers,
) : StateViewModel<SyncUiState>(SyncUiState(), scope, dispatchers) {

    /** Follows connectivity and the core's events; reads the outbox once. */
    fun start(): Job {
        follow {
            connectivity.online.collect { online ->
                setState { it.copy(online = online) }
                attempt { session.call { core -> core.setOnline(online) } }
            }
        }
        follow { session.events.collect(::onEvent) }
        return refresh()
    }

    /** Re-reads the outbox counts. */
    fun refresh(): Job = launchAction {
        val status = attempt { session.call { it.outboxStatus() } }
        status.getOrNull()?.let(::onOutbox)
    }

    /**
     * Runs a pass now and waits for it. Network trouble is not an error: it is the report's
     * outcome, and the queue retries by itself.
     */
    fun syncNow(): Job = launchAction {
        setState { it.copy(running = true, error = null) }
        val report = attempt { session.callAsync { it.syncNow() } }
        val status = attempt { session.call { it.outboxStatus() } }
        setState {
            it.copy(
                running = false,
                progress = null,
                lastReport = report.getOrNull() ?: it.lastReport,
                error = report.uiError(),
            )
        }
        status.getOrNull()?.let(::onOutbox)
    }

    /** Stops syncing (and the pass in flight); [resume] lets it run again. */
    fun pause(): Job = launchAction { attempt { session.call { it.pauseSync() } } }

    fun resume(): Job = launchAction { attempt { session.call { it.resumeSync() } } }

    private fun onEvent(event: CoreEvent) {
        when (event) {
            is CoreEvent.OutboxChanged -> onOutbox(event.status)
            is CoreEvent.SyncProgressed -> setState { it.copy(running = true, progress = event.progress) }
            is CoreEvent.SyncFinished -> setState {
                it.copy(running = false, progress = null, lastReport = event.report)
            }
            is CoreEvent.JournalAppended, is CoreEvent.WarningReceived, is CoreEvent.EventRefused -> Unit
        }
    }

    private fun onOutbox(status: OutboxStatus) {
        setState { it.copy(outbox = status) }
        if (status.eventsPending > 0u || status.blobsPending > 0u) backgroundSync.request()
    }
}
