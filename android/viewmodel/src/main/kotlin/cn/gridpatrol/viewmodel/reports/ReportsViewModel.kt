/**
 * Residents' reports dispatched to the worker's grids (never who reported): those still to check
 * first. Checking one on site records a hazard (which enters the lifecycle at once) or "no
 * hazard" with a reason the reporter will see.
 */
package cn.gridpatrol.viewmodel.reports

import cn.gridpatrol.core.HazardAreaRecord
import cn.gridpatrol.core.ReportCategory
import cn.gridpatrol.core.ReportFinding
import cn.gridpatrol.core.ReportRecord
import cn.gridpatrol.viewmodel.session.AppDispatchers
import cn.gridpatrol.viewmodel.session.CoreEvent
import cn.gridpatrol.viewmodel.session.CoreSession
import cn.gridpatrol.viewmodel.session.StateViewModel
import cn.gridpatrol.viewmodel.session.UiError
import cn.gridpatrol.viewmodel.session.uiError
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job

data class ReportsUiState(
    val reports: List<ReportRecord> = emptyList(),
    /** The hazard areas a hazard is filed under (checklist order, labelled): the check's choices. */
    val areas: List<HazardAreaRecord> = emptyList(),
    /** The report just checked (its `hazardId` opens the hazard detail). */
    val checked: ReportRecord? = null,
    val error: UiError? = null,
) {
    val toCheck: List<ReportRecord>
        get() = reports.filter { !it.checkedHere && it.hazardId == null }
}

class ReportsViewModel(
    private val session: CoreSession,
    scope: CoroutineScope,
    dispatchers: AppDispatchers,
) : StateViewModel<ReportsUiState>(ReportsUiState(), scope, dispatchers) {

    fun start(): Job {
        reloadOn(session, { it is CoreEvent.SyncFinished && it.report.changesPulled > 0u }, ::load)
        return load()
    }

    fun load(): Job = launchAction {
        val listed = attempt { session.call { it.reports() } }
        val areas = attempt { session.call { it.hazardAreas() } }
        setState {
            it.copy(
                reports = listed.getOrDefault(it.reports),
                areas = areas.getOrDefault(it.areas),
                error = listed.uiError() ?: areas.uiError(),
            )
        }
    }

    /** Records what the on-site check found. */
    fun check(reportId: String, finding: ReportFinding): Job = launchAction {
        val done = attempt { session.call { it.checkReport(reportId, finding) } }
        setState { it.copy(checked = done.getOrNull(), error = done.uiError()) }
        load().join()
    }
}

/**
 * The hazard area a report's category most likely belongs to, preselected when a worker turns a
 * report into a hazard (the worker can choose another of [ReportsUiState.areas]; area codes are
 * the reference pack's).
 */
fun suggestedArea(category: ReportCategory): String = when (category) {
    ReportCategory.FIRE -> "extinguishers"
    ReportCategory.GAS -> "gas"
    ReportCategory.ELECTRICAL -> "electrical"
    ReportCategory.ESCAPE_ROUTE -> "escape_routes"
    ReportCategory.E_BIKE -> "e_bikes"
    ReportCategory.BUILDING, ReportCategory.FLOOD_GEOLOGICAL -> "self_built_house"
    ReportCategory.OTHER -> "management"
}
