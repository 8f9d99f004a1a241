/**
 * The hazard ledger screen (隐患台账): the grid's ledger from the last sync, filtered by the core
 * (region, area, venue type, grade, status, overdue), the counts behind the filter menus, the
 * hazards found on this device that no sync has brought back yet, and the CSV export.
 */
package cn.gridpatrol.viewmodel.hazards

import cn.gridpatrol.core.HazardRecord
import cn.gridpatrol.core.LedgerFilter
import cn.gridpatrol.core.LedgerRow
import cn.gridpatrol.viewmodel.session.AppDispatchers
import cn.gridpatrol.viewmodel.session.CoreEvent
import cn.gridpatrol.viewmodel.session.CoreSession
import cn.gridpatrol.viewmodel.session.StateViewModel
import cn.gridpatrol.viewmodel.session.UiError
import cn.gridpatrol.viewmodel.session.uiError
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job

data class HazardsUiState(
    /** The synced ledger, filtered, newest report first. */
    val rows: List<LedgerRow> = emptyList(),
    /** Found on this device and not in the ledger yet (not synced, or not pulled back). */
    val unsynced: List<HazardRecord> = emptyList(),
    val filter: LedgerFilter = LedgerFilter(),
    val options: HazardFilterOptions = HazardFilterOptions(),
    /** How many hazards the last export wrote. */
    val exported: Int? = null,
    val error: UiError? = null,
)

class HazardsViewModel(
    private val session: CoreSession,
    scope: CoroutineScope,
    dispatchers: AppDispatchers,
) : StateViewModel<HazardsUiState>(HazardsUiState(), scope, dispatchers) {

    /** Loads, and reloads after inspections, hazard actions or a sync that pulled changes. */
    fun start(): Job {
        reloadOn(session, { event ->
            (event is CoreEvent.JournalAppended && (event.kind == "inspection.finished" || event.kind.startsWith("hazard."))) ||
                (event is CoreEvent.SyncFinished && event.report.changesPulled > 0u)
        }, ::load)
        return load()
    }

    fun load(): Job = launchAction {
        val filter = state.value.filter
        val loaded = attempt {
            session.call { core ->
                val inLedger = core.ledger(LedgerFilter()).map { it.hazardId }.toSet()
                Triple(
                    core.ledger(filter),
                    core.listHazards().filter { it.hazardId !in inLedger },
                    HazardFilterOptions.of(HazardFilterOptions.GROUPS.map { core.ledgerCounts(LedgerFilter(), it) }),
                )
            }
        }
        val (rows, unsynced, options) = loaded.getOrElse {
            setState { it.copy(error = loaded.uiError()) }
            return@launchAction
        }
        setState { it.copy(rows = rows, unsynced = unsynced, options = options, error = null) }
    }

    /** Applies a filter (the core filters the ledger). */
    fun setFilter(filter: LedgerFilter): Job {
        setState { it.copy(filter = filter) }
        return load()
    }

    /** Writes the filtered ledger as CSV (UTF-8 with BOM, for Excel) to [path]. */
    fun exportCsv(path: String): Job = launchAction {
        val filter = state.value.filter
        val written = attempt { session.call { it.exportLedgerCsv(filter, path) } }
        setState { it.copy(exported = written.getOrNull()?.toInt(), error = written.uiError()) }
    }
}
