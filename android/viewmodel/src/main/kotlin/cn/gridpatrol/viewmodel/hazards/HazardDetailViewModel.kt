/**
 * One hazard: its state as this device knows it (the server's ledger plus this device's actions
 * not synced yet), the server's timeline, pending actions, what the server refused or recorded
 * as a conflict, its photos, and the lifecycle actions the user may take now. Actions are
 * checked by the core at once against the shared transition table; the server decides later.
 */
package cn.gridpatrol.viewmodel.hazards

import cn.gridpatrol.core.EvidenceInfo
import cn.gridpatrol.core.EvidenceTarget
import cn.gridpatrol.core.HazardAction
import cn.gridpatrol.core.HazardDetail
import cn.gridpatrol.viewmodel.session.AppDispatchers
import cn.gridpatrol.viewmodel.session.CoreEvent
import cn.gridpatrol.viewmodel.session.CoreSession
import cn.gridpatrol.viewmodel.session.StateViewModel
import cn.gridpatrol.viewmodel.session.UiError
import cn.gridpatrol.viewmodel.session.uiError
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job

data class HazardDetailUiState(
    val detail: HazardDetail? = null,
    /** Photos of the failed checklist answer that raised it (inspection hazards). */
    val findingPhotos: List<EvidenceInfo> = emptyList(),
    /** Photos attached to the hazard itself (before/after a fix, re-checks): actions cite their SHA-256. */
    val hazardPhotos: List<EvidenceInfo> = emptyList(),
    val acting: Boolean = false,
    val error: UiError? = null,
) {
    /** Names of the actions the user may take now, e.g. `confirm`, `recheck_pass`. */
    val availableActions: List<String>
        get() = detail?.availableActions.orEmpty()
}

class HazardDetailViewModel(
    private val session: CoreSession,
    val hazardId: String,
    scope: CoroutineScope,
    dispatchers: AppDispatchers,
) : StateViewModel<HazardDetailUiState>(HazardDetailUiState(), scope, dispatchers) {

    /** Where new photos of this hazard go (the photo screen's target). */
    val photoTarget: EvidenceTarget
        get() = EvidenceTarget.Hazard(hazardId)

    /** Loads, and reloads when a photo is attached, a sync ends or the server refused something. */
    fun start(): Job {
        reloadOn(session, { event ->
            (event is CoreEvent.JournalAppended && event.kind == "evidence.attached") ||
                event is CoreEvent.SyncFinished || event is CoreEvent.EventRefused
        }, ::load)
        return load()
    }

    fun load(): Job = launchAction {
        val loaded = attempt {
            session.call { core ->
                val detail = core.hazardDetail(hazardId)
                val inspection = detail.state.inspectionId
                val item = detail.state.itemId
                val finding = if (inspection != null && item != null) {
                    runCatching { core.listEvidence(EvidenceTarget.Answer(inspection, item)) }.getOrDefault(emptyList())
                } else {
                    emptyList()
                }
                Triple(detail, finding, core.listEvidence(photoTarget))
            }
        }
        val (detail, finding, photos) = loaded.getOrElse {
            setState { it.copy(error = loaded.uiError()) }
            return@launchAction
        }
        setState { it.copy(detail = detail, findingPhotos = finding, hazardPhotos = photos, error = null) }
    }

    /** Takes a lifecycle action (build it with [buildAction]); an impossible one comes back as an error. */
    fun act(action: HazardAction, note: String?): Job = launchAction {
        setState { it.copy(acting = true, error = null) }
        val done = attempt { session.call { it.transitionHazard(hazardId, action, note?.trim()?.ifEmpty { null }) } }
        setState { it.copy(acting = false, detail = done.getOrDefault(it.detail), error = done.uiError()) }
    }
}
