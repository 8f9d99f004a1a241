/**
 * Resident mode (群众举报): register anonymously (a phone number only if the resident offers
 * one), report a hazard with a category, what they saw, photos, and either the venue code they
 * scanned or — only if they choose to share it — their location; then follow each report's
 * steps. The report is sent like all other work: kept on the phone until the server has it.
 */
package cn.gridpatrol.viewmodel.resident

import cn.gridpatrol.core.AccountRecord
import cn.gridpatrol.core.CoordSystem
import cn.gridpatrol.core.EvidenceTarget
import cn.gridpatrol.core.GeoPoint
import cn.gridpatrol.core.MyReportRecord
import cn.gridpatrol.core.ReportCategory
import cn.gridpatrol.viewmodel.platform.PlatformServices
import cn.gridpatrol.viewmodel.session.AppDispatchers
import cn.gridpatrol.viewmodel.session.CoreEvent
import cn.gridpatrol.viewmodel.session.CoreSession
import cn.gridpatrol.viewmodel.session.StateViewModel
import cn.gridpatrol.viewmodel.session.UiError
import cn.gridpatrol.viewmodel.session.uiError
import java.io.File
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.withContext

/** The report being written. */
data class ReportDraft(
    val category: ReportCategory = ReportCategory.FIRE,
    val description: String = "",
    /** The venue code the resident scanned (URL or token), if any. */
    val venueCode: String? = null,
    /** The resident chose to share their location. */
    val shareLocation: Boolean = false,
    /** Photos taken for this report, attached when it is submitted. */
    val photos: List<File> = emptyList(),
) {
    val canSubmit: Boolean
        get() = description.isNotBlank()
}

data class ResidentUiState(
    val draft: ReportDraft = ReportDraft(),
    val submitting: Boolean = false,
    /** The id of the report just submitted. */
    val submitted: String? = null,
    val myReports: List<MyReportRecord> = emptyList(),
    val enrolling: Boolean = false,
    val error: UiError? = null,
)

class ResidentViewModel(
    private val session: CoreSession,
    private val platform: PlatformServices,
    private val onEnrolled: (AccountRecord) -> Unit,
    scope: CoroutineScope,
    dispatchers: AppDispatchers,
) : StateViewModel<ResidentUiState>(ResidentUiState(), scope, dispatchers) {

    fun start(): Job {
        reloadOn(session, { it is CoreEvent.SyncFinished || it is CoreEvent.EventRefused }, ::load)
        return load()
    }

    fun load(): Job = launchAction {
        val listed = attempt { session.call { it.myReports() } }
        setState { it.copy(myReports = listed.getOrDefault(it.myReports), error = listed.uiError()) }
    }

    /** Registers this phone as a resident's with [serverUrl]; no code needed. */
    fun enroll(serverUrl: String, phone: String?): Job = launchAction {
        setState { it.copy(enrolling = true, error = null) }
        val enrolled = attempt { session.callAsync { it.enrollResident(serverUrl.trim().trimEnd('/'), phone?.trim()?.ifEmpty { null }) } }
        setState { it.copy(enrolling = false, error = enrolled.uiError()) }
        enrolled.getOrNull()?.let {
            platform.preferences.lastServerUrl = serverUrl.trim()
            onEnrolled(it)
        }
    }

    fun editDraft(change: (ReportDraft) -> ReportDraft) = setState { it.copy(draft = change(it.draft), submitted = null) }

    /** A file for the camera to write the next report photo into. */
    fun newPhotoFile(): File = platform.files.newCaptureFile()

    fun addPhoto(file: File) = editDraft { it.copy(photos = it.photos + file) }

    /** Submits the draft, attaches its photos, and clears it. */
    fun submit(): Job = launchAction {
        val draft = state.value.draft
        if (!draft.canSubmit || state.value.submitting) return@launchAction
        setState { it.copy(submitting = true, error = null) }
        // Location only when the resident chose to share it, asked for at this moment.
        val fix = if (draft.shareLocation) attempt { platform.location.currentFix() }.getOrNull() else null
        val point = fix?.let { GeoPoint(it.latitude, it.longitude, CoordSystem.WGS84) }
        val submitted = attempt {
            session.call { it.submitReport(draft.category, draft.description.trim(), point, draft.venueCode) }
        }
        val reportId = submitted.getOrElse {
            setState { it.copy(submitting = false, error = submitted.uiError()) }
            return@launchAction
        }
        // The report is recorded: photos that fail are reported, never a reason to submit twice.
        val attached = draft.photos.map { photo ->
            attempt { session.call { it.attachPhoto(EvidenceTarget.Report(reportId), photo.path) } }
        }
        withContext(dispatchers.io) { draft.photos.forEach(File::delete) }
        setState {
            it.copy(
                submitting = false,
                submitted = reportId,
                draft = ReportDraft(),
                error = attached.firstNotNullOfOrNull { result -> result.uiError() },
            )
        }
        load().join()
    }
}
