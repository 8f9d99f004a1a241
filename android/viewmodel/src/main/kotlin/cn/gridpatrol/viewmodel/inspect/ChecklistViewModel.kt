/**
 * The checklist of one inspection: items grouped by area; pass / fail / N/A, a note and the
 * suspected-major mark per item; photos for failed items (required ones enforced before
 * finishing); finishing turns each failure into a hazard. Also shows the proof of presence
 * recorded when the inspection was started from a scan.
 */
package cn.gridpatrol.viewmodel.inspect

import cn.gridpatrol.core.ChecklistEntry
import cn.gridpatrol.core.EvidenceTarget
import cn.gridpatrol.core.InspectionRecord
import cn.gridpatrol.core.InspectionStatus
import cn.gridpatrol.core.InspectionSummary
import cn.gridpatrol.core.Verdict
import cn.gridpatrol.core.VenueScanRecord
import cn.gridpatrol.viewmodel.session.AppDispatchers
import cn.gridpatrol.viewmodel.session.CoreEvent
import cn.gridpatrol.viewmodel.session.CoreSession
import cn.gridpatrol.viewmodel.session.StateViewModel
import cn.gridpatrol.viewmodel.session.UiError
import cn.gridpatrol.viewmodel.session.uiError
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job

data class ChecklistUiState(
    val inspection: InspectionRecord? = null,
    val sections: List<ChecklistSection> = emptyList(),
    val blockers: List<FinishBlocker> = emptyList(),
    /** The scans recorded with this inspection (proof of presence), oldest first. */
    val scans: List<VenueScanRecord> = emptyList(),
    /** The item whose answer is being saved. */
    val savingItem: String? = null,
    val finishing: Boolean = false,
    /** What finishing produced (one hazard per failed item). */
    val summary: InspectionSummary? = null,
    val error: UiError? = null,
) {
    val entries: List<ChecklistEntry>
        get() = sections.flatMap { it.entries }

    val editable: Boolean
        get() = inspection?.status == InspectionStatus.IN_PROGRESS

    val canFinish: Boolean
        get() = editable && !finishing && sections.isNotEmpty() && blockers.isEmpty()

    /** Scanned far from the venue, or without a location fix: shown as a flag, never a block. */
    val presenceFlagged: Boolean
        get() = scans.any { it.farFromVenue || it.location == null }
}

class ChecklistViewModel(
    private val session: CoreSession,
    val inspectionId: String,
    scope: CoroutineScope,
    dispatchers: AppDispatchers,
) : StateViewModel<ChecklistUiState>(ChecklistUiState(), scope, dispatchers) {

    /** Loads once and reloads when a photo is attached from the camera screen. */
    fun start(): Job {
        reloadOn(session, { it is CoreEvent.JournalAppended && it.kind == "evidence.attached" }, ::load)
        return load()
    }

    fun load(): Job = launchAction {
        val loaded = attempt {
            session.call { core ->
                Triple(core.getInspection(inspectionId), core.checklist(inspectionId), core.inspectionScans(inspectionId))
            }
        }
        val (inspection, entries, scans) = loaded.getOrElse {
            setState { it.copy(error = loaded.uiError()) }
            return@launchAction
        }
        setState {
            it.copy(
                inspection = inspection,
                sections = checklistSections(entries),
                blockers = finishBlockers(entries),
                scans = scans,
            )
        }
    }

    /** Sets an item's verdict, keeping its note (and the suspected-major mark while failed). */
    fun answer(itemId: String, verdict: Verdict): Job {
        val current = entry(itemId)?.answer
        val major = verdict == Verdict.FAIL && current?.suspectedMajor == true
        return save(itemId, verdict, current?.note, major)
    }

    /** Sets an answered item's note (blank clears it). */
    fun setNote(itemId: String, note: String): Job {
        val current = entry(itemId)?.answer ?: return launchAction {}
        return save(itemId, current.verdict, note.trim().ifEmpty { null }, current.suspectedMajor)
    }

    /** Marks a failed item that may be major as 疑似重大 (suspected major), or not. */
    fun setSuspectedMajor(itemId: String, on: Boolean): Job {
        val current = entry(itemId)?.answer ?: return launchAction {}
        return save(itemId, current.verdict, current.note, on)
    }

    /** Takes a captured photo in and attaches it to the item's answer. */
    fun attachPhoto(itemId: String, path: String): Job = launchAction {
        setState { it.copy(savingItem = itemId, error = null) }
        val attached = attempt { session.call { it.attachPhoto(EvidenceTarget.Answer(inspectionId, itemId), path) } }
        setState { it.copy(savingItem = null, error = attached.uiError()) }
        load().join()
    }

    /** Finishes the inspection: every item answered, required photos present. */
    fun finish(): Job = launchAction {
        if (!state.value.canFinish) return@launchAction
        setState { it.copy(finishing = true, error = null) }
        val finished = attempt { session.call { it.finishInspection(inspectionId) } }
        setState { it.copy(finishing = false, summary = finished.getOrNull(), error = finished.uiError()) }
        load().join()
    }

    private fun entry(itemId: String) = state.value.entries.firstOrNull { it.itemId == itemId }

    private fun save(itemId: String, verdict: Verdict, note: String?, major: Boolean): Job = launchAction {
        setState { it.copy(savingItem = itemId, error = null) }
        val saved = attempt { session.call { it.answerItem(inspectionId, itemId, verdict, note, major) } }
        setState { it.copy(savingItem = null, error = saved.uiError()) }
        load().join()
    }
}
