/**
 * The home screen: who is signed in, warnings awaiting 叫应, today's venues, and the outbox badge (what is waiting to be
 * sent, what the server would not take). Re-reads itself when the journal changes or a sync
 * pass pulled changes.
 */
package cn.gridpatrol.viewmodel.home

import cn.gridpatrol.core.AccountRecord
import cn.gridpatrol.core.WarningRecord
import cn.gridpatrol.viewmodel.platform.Clock
import cn.gridpatrol.viewmodel.session.AppDispatchers
import cn.gridpatrol.viewmodel.session.CoreEvent
import cn.gridpatrol.viewmodel.session.CoreSession
import cn.gridpatrol.viewmodel.session.StateViewModel
import cn.gridpatrol.viewmodel.session.UiError
import cn.gridpatrol.viewmodel.session.uiError
import cn.gridpatrol.viewmodel.sync.SyncController
import cn.gridpatrol.viewmodel.sync.SyncUiState
import cn.gridpatrol.viewmodel.warnings.WarningsViewModel
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job

data class HomeUiState(
    val loading: Boolean = true,
    val account: AccountRecord? = null,
    val venues: List<VenueRow> = emptyList(),
    /** Online, running, outbox counts: the badge is [SyncUiState.pendingCount]. */
    val sync: SyncUiState = SyncUiState(),
    /** Warnings that demand 叫应 (acknowledge on the warnings view model). */
    val warnings: List<WarningRecord> = emptyList(),
    val error: UiError? = null,
) {
    /** Venues not yet inspected today. */
    val remainingToday: Int
        get() = venues.count { !it.inspectedToday }
}

class HomeViewModel(
    private val session: CoreSession,
    private val syncController: SyncController,
    private val warnings: WarningsViewModel,
    private val clock: Clock,
    scope: CoroutineScope,
    dispatchers: AppDispatchers,
) : StateViewModel<HomeUiState>(HomeUiState(), scope, dispatchers) {

    /** Follows sync state and core events; loads once. */
    fun start(): Job {
        follow { syncController.state.collect { sync -> setState { it.copy(sync = sync) } } }
        follow { warnings.state.collect { w -> setState { it.copy(warnings = w.awaitingAck) } } }
        reloadOn(session, { event ->
            (event is CoreEvent.JournalAppended && event.kind.startsWith("inspection.")) ||
                (event is CoreEvent.SyncFinished && event.report.changesPulled > 0u)
        }, ::refresh)
        return refresh()
    }

    /** Re-reads the account, venues and inspections. */
    fun refresh(): Job = launchAction {
        val loaded = attempt {
            session.call { core ->
                Triple(core.account(), core.listVenues(), core.listInspections())
            }
        }
        val (account, venues, inspections) = loaded.getOrElse {
            setState { it.copy(loading = false, error = loaded.uiError()) }
            return@launchAction
        }
        val zone = clock.zone()
        val today = clock.now().atZone(zone).toLocalDate()
        setState {
            it.copy(
                loading = false,
                account = account,
                venues = venueRows(venues, inspections, today, zone),
                error = null,
            )
        }
    }

    /** The pull-to-refresh gesture: a sync pass, then a re-read. */
    fun syncNow(): Job = launchAction {
        syncController.syncNow().join()
        refresh().join()
    }
}
