/**
 * One hazard: what was found, where, its grade and status, and its evidence photos; photos can
 * be added (before/after a fix, re-check).
 */
package cn.gridpatrol.viewmodel.hazards

import cn.gridpatrol.core.EvidenceInfo
import cn.gridpatrol.core.EvidenceTarget
import cn.gridpatrol.core.HazardRecord
import cn.gridpatrol.viewmodel.session.AppDispatchers
import cn.gridpatrol.viewmodel.session.CoreSession
import cn.gridpatrol.viewmodel.session.ErrorKind
import cn.gridpatrol.viewmodel.session.StateViewModel
import cn.gridpatrol.viewmodel.session.UiError
import cn.gridpatrol.viewmodel.session.uiError
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job

data class HazardDetailUiState(
    val hazard: HazardRecord? = null,
    /** Photos of the failed answer that raised it, then photos attached to the hazard itself. */
    val findingPhotos: List<EvidenceInfo> = emptyList(),
    val hazardPhotos: List<EvidenceInfo> = emptyList(),
    val error: UiError? = null,
)

class HazardDetailViewModel(
    private val session: CoreSession,
    val hazardId: String,
    scope: CoroutineScope,
    dispatchers: AppDispatchers,
) : StateViewModel<HazardDetailUiState>(HazardDetailUiState(), scope, dispatchers) {

    /** Where new photos of this hazard go (the photo screen's target). */
    val photoTarget: EvidenceTarget
        get() = EvidenceTarget.Hazard(hazardId)

    fun load(): Job = launchAction {
        val loaded = attempt {
            session.call { core ->
                val hazard = core.listHazards().firstOrNull { it.hazardId == hazardId }
                val finding = hazard?.let {
                    runCatching { core.listEvidence(EvidenceTarget.Answer(it.inspectionId, it.itemId)) }.getOrNull()
                }
                Triple(hazard, finding.orEmpty(), core.listEvidence(photoTarget))
            }
        }
        val (hazard, finding, photos) = loaded.getOrElse {
            setState { it.copy(error = loaded.uiError()) }
            return@launchAction
        }
        setState {
            it.copy(
                hazard = hazard,
                findingPhotos = finding,
                hazardPhotos = photos,
                error = if (hazard == null) UiError(ErrorKind.NOT_FOUND, "hazard $hazardId is not on this device") else null,
            )
        }
    }
}
