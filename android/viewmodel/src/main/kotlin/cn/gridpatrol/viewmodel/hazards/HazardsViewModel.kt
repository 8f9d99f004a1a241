/**
 * The hazard ledger screen: the hazards this device knows, newest first, with filters.
 */
package cn.gridpatrol.viewmodel.hazards

import cn.gridpatrol.core.HazardRecord
import cn.gridpatrol.viewmodel.session.AppDispatchers
import cn.gridpatrol.viewmodel.session.CoreEvent
import cn.gridpatrol.viewmodel.session.CoreSession
import cn.gridpatrol.viewmodel.session.StateViewModel
import cn.gridpatrol.viewmodel.session.UiError
import cn.gridpatrol.viewmodel.session.uiError
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job

data class HazardsUiState(
    val all: List<HazardRecord> = emptyList(),
    val filter: HazardFilter = HazardFilter(),
    val options: HazardFilterOptions = HazardFilterOptions(emptyList(), emptyList(), emptyList()),
    val error: UiError? = null,
) {
    /** What the list shows. */
    val shown: List<HazardRecord>
        get() = all.filter(filter::matches)
}

class HazardsViewModel(
    private val session: CoreSession,
    scope: CoroutineScope,
    dispatchers: AppDispatchers,
) : StateViewModel<HazardsUiState>(HazardsUiState(), scope, dispatchers) {

    /** Loads, and reloads after inspections finish or sync pulls changes. */
    fun start(): Job {
        follow {
            session.events.collect { event ->
                val stale = (event is CoreEvent.JournalAppended && event.kind.startsWith("inspection.finished")) ||
                    (event is CoreEvent.SyncFinished && event.report.changesPulled > 0u)
                if (stale) load()
            }
        }
        return load()
    }

    fun load(): Job = launchAction {
        val loaded = attempt { session.call { it.listHazards() } }
        val hazards = loaded.getOrElse {
            setState { it.copy(error = loaded.uiError()) }
            return@launchAction
        }
        setState { it.copy(all = hazards, options = HazardFilterOptions.of(hazards), error = null) }
    }

    fun setFilter(filter: HazardFilter) = setState { it.copy(filter = filter) }
}
