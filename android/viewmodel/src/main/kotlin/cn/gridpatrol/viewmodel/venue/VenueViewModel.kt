/**
 * The venue card: the venue's details (type, address, responsible person, risk colour), its
 * inspections on this device and the hazards found there; start or continue an inspection
 * without a scan (recorded without proof of presence) when the code is missing or damaged.
 */
package cn.gridpatrol.viewmodel.venue

import cn.gridpatrol.core.HazardRecord
import cn.gridpatrol.core.InspectionRecord
import cn.gridpatrol.core.InspectionStatus
import cn.gridpatrol.core.VenueRecord
import cn.gridpatrol.viewmodel.session.AppDispatchers
import cn.gridpatrol.viewmodel.session.CoreSession
import cn.gridpatrol.viewmodel.session.StateViewModel
import cn.gridpatrol.viewmodel.session.UiError
import cn.gridpatrol.viewmodel.session.uiError
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job

data class VenueUiState(
    val venue: VenueRecord? = null,
    /** This venue's inspections, newest first. */
    val inspections: List<InspectionRecord> = emptyList(),
    val hazards: List<HazardRecord> = emptyList(),
    /** The inspection started or continued by [VenueViewModel.startInspection]: navigate once. */
    val opened: InspectionRecord? = null,
    val error: UiError? = null,
) {
    val openInspection: InspectionRecord?
        get() = inspections.firstOrNull { it.status == InspectionStatus.IN_PROGRESS }
}

class VenueViewModel(
    private val session: CoreSession,
    val venueId: String,
    scope: CoroutineScope,
    dispatchers: AppDispatchers,
) : StateViewModel<VenueUiState>(VenueUiState(), scope, dispatchers) {

    fun load(): Job = launchAction {
        val loaded = attempt {
            session.call { core ->
                Triple(
                    core.getVenue(venueId),
                    core.listInspections().filter { it.venueId == venueId },
                    core.listHazards().filter { it.venueId == venueId },
                )
            }
        }
        val (venue, inspections, hazards) = loaded.getOrElse {
            setState { it.copy(error = loaded.uiError()) }
            return@launchAction
        }
        setState { it.copy(venue = venue, inspections = inspections, hazards = hazards, error = null) }
    }

    /** Starts the inspection (or returns the one in progress) without a scan. */
    fun startInspection(): Job = launchAction {
        val started = attempt { session.call { it.startInspection(venueId) } }
        setState { it.copy(opened = started.getOrNull(), error = started.uiError()) }
        if (started.isSuccess) load().join()
    }

    /** The screen navigated to [VenueUiState.opened]. */
    fun onOpenedShown() = setState { it.copy(opened = null) }
}
