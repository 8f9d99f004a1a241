/**
 * The outbox screen: what is waiting to be sent (events and photos), the running pass's
 * progress, and the items the server would not take with its reason: retry (both), discard
 * (photos only: every later event depends on an event, so events cannot be discarded), and
 * the events the server took but did not apply, with its reason.
 */
package cn.gridpatrol.viewmodel.outbox

import cn.gridpatrol.core.OutboxItemKind
import cn.gridpatrol.core.RefusalRecord
import cn.gridpatrol.core.WedgedItem
import cn.gridpatrol.viewmodel.session.AppDispatchers
import cn.gridpatrol.viewmodel.session.CoreEvent
import cn.gridpatrol.viewmodel.session.CoreSession
import cn.gridpatrol.viewmodel.session.StateViewModel
import cn.gridpatrol.viewmodel.session.UiError
import cn.gridpatrol.viewmodel.session.uiError
import cn.gridpatrol.viewmodel.sync.SyncController
import cn.gridpatrol.viewmodel.sync.SyncUiState
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job

data class OutboxUiState(
    val sync: SyncUiState = SyncUiState(),
    val wedged: List<WedgedItem> = emptyList(),
    /** Events the server took but did not apply (refused, or conflicting), newest first. */
    val refusals: List<RefusalRecord> = emptyList(),
    val paused: Boolean = false,
    val error: UiError? = null,
)

/** Whether the outbox screen offers "discard" for [item]. */
fun canDiscard(item: WedgedItem): Boolean = item.kind == OutboxItemKind.BLOB

class OutboxViewModel(
    private val session: CoreSession,
    private val syncController: SyncController,
    scope: CoroutineScope,
    dispatchers: AppDispatchers,
) : StateViewModel<OutboxUiState>(OutboxUiState(), scope, dispatchers) {

    fun start(): Job {
        follow { syncController.state.collect { sync -> setState { it.copy(sync = sync) } } }
        reloadOn(session, { it is CoreEvent.SyncFinished || it is CoreEvent.EventRefused }, ::loadWedged)
        return loadWedged()
    }

    /** Re-reads the wedged items and the refusals. */
    fun loadWedged(): Job = launchAction {
        val listed = attempt { session.call { it.wedgedItems() to it.refusals() } }
        setState {
            it.copy(
                wedged = listed.getOrNull()?.first ?: it.wedged,
                refusals = listed.getOrNull()?.second ?: it.refusals,
                error = listed.uiError(),
            )
        }
    }

    fun syncNow(): Job = launchAction {
        syncController.syncNow().join()
        loadWedged().join()
    }

    /** Queues a wedged item again, due now, and runs a pass. */
    fun retry(item: WedgedItem): Job = launchAction {
        val done = attempt { session.call { it.retryWedged(item.kind, item.id) } }
        setState { it.copy(error = done.uiError()) }
        if (done.isSuccess) syncNow().join()
    }

    /** Drops a wedged photo upload (the server keeps its record as evidence-pending). */
    fun discard(item: WedgedItem): Job = launchAction {
        val done = attempt { session.call { it.discardWedged(item.kind, item.id) } }
        setState { it.copy(error = done.uiError()) }
        loadWedged().join()
        syncController.refresh().join()
    }

    fun setPaused(paused: Boolean): Job = launchAction {
        (if (paused) syncController.pause() else syncController.resume()).join()
        setState { it.copy(paused = paused) }
    }
}
