/**
 * Evidence photo capture for one target (a checklist answer or a hazard): the camera writes the
 * photo into an app-private file this view model hands out, then the core takes it in (upright,
 * ≤1600 px, q80, EXIF stripped, hashed) and attaches it. The camera's file is deleted afterwards:
 * the evidence copy is the record.
 */
package cn.gridpatrol.viewmodel.photo

import cn.gridpatrol.core.EvidenceInfo
import cn.gridpatrol.core.EvidenceTarget
import cn.gridpatrol.viewmodel.platform.AppFiles
import cn.gridpatrol.viewmodel.session.AppDispatchers
import cn.gridpatrol.viewmodel.session.CoreSession
import cn.gridpatrol.viewmodel.session.ErrorKind
import cn.gridpatrol.viewmodel.session.StateViewModel
import cn.gridpatrol.viewmodel.session.UiError
import cn.gridpatrol.viewmodel.session.uiError
import java.io.File
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.withContext

data class PhotoCaptureUiState(
    /** Photos already attached to the target, in the order attached (thumbnails for the strip). */
    val photos: List<EvidenceInfo> = emptyList(),
    /** The shutter was pressed; the camera is writing. */
    val capturing: Boolean = false,
    /** The core is taking the photo in. */
    val saving: Boolean = false,
    /** The photo just attached: the screen may close. */
    val lastAttached: EvidenceInfo? = null,
    val error: UiError? = null,
)

class PhotoCaptureViewModel(
    private val session: CoreSession,
    private val files: AppFiles,
    val target: EvidenceTarget,
    scope: CoroutineScope,
    dispatchers: AppDispatchers,
) : StateViewModel<PhotoCaptureUiState>(PhotoCaptureUiState(), scope, dispatchers) {

    fun load(): Job = launchAction {
        val listed = attempt { session.call { it.listEvidence(target) } }
        setState { it.copy(photos = listed.getOrDefault(it.photos), error = listed.uiError()) }
    }

    /** The file the camera writes the next photo into (app-private). */
    fun beginCapture(): File {
        setState { it.copy(capturing = true, error = null, lastAttached = null) }
        return files.newCaptureFile()
    }

    /** The camera wrote [file]: attach it, then delete the camera's copy. */
    fun onCaptured(file: File): Job = launchAction {
        setState { it.copy(capturing = false, saving = true) }
        val attached = attempt { session.call { it.attachPhoto(target, file.path) } }
        withContext(dispatchers.io) { file.delete() }
        val listed = attempt { session.call { it.listEvidence(target) } }
        setState {
            it.copy(
                saving = false,
                photos = listed.getOrDefault(it.photos),
                lastAttached = attached.getOrNull(),
                error = attached.uiError() ?: listed.uiError(),
            )
        }
    }

    /** The camera failed (no permission, hardware error); [reason] is the platform's text. */
    fun onCaptureFailed(file: File?, reason: String): Job = launchAction {
        if (file != null) withContext(dispatchers.io) { file.delete() }
        setState { it.copy(capturing = false, error = UiError(ErrorKind.INTERNAL, reason)) }
    }
}
