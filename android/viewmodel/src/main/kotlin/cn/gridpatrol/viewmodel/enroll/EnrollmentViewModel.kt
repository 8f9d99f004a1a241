/**
 * Enrollment: the server URL and the code from the street office (typed, or from an enrollment
 * QR code scanned with the camera), then the first sync so the worker's venues, checklists and
 * signing keys arrive before they go into the field.
 */
package cn.gridpatrol.viewmodel.enroll

import cn.gridpatrol.core.AccountRecord
import cn.gridpatrol.core.SyncOutcome
import cn.gridpatrol.viewmodel.platform.PlatformServices
import cn.gridpatrol.viewmodel.scan.FrameScanner
import cn.gridpatrol.viewmodel.session.AppDispatchers
import cn.gridpatrol.viewmodel.session.CoreSession
import cn.gridpatrol.viewmodel.session.StateViewModel
import cn.gridpatrol.viewmodel.session.UiError
import cn.gridpatrol.viewmodel.session.uiError
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job

/** What the enrollment screen shows. */
data class EnrollmentUiState(
    val serverUrl: String = "",
    val code: String = "",
    /** The camera is open to scan an enrollment QR code. */
    val scanning: Boolean = false,
    /** The last scanned code was not an enrollment code. */
    val scannedSomethingElse: Boolean = false,
    val enrolling: Boolean = false,
    /** Enrolled; the first sync is running. */
    val firstSync: Boolean = false,
    val account: AccountRecord? = null,
    /** How the first sync ended (offline is fine: the venues arrive later). */
    val firstSyncOutcome: SyncOutcome? = null,
    val error: UiError? = null,
) {
    /** The form can be sent: an http(s) server and a code. */
    val canEnroll: Boolean
        get() = !enrolling && EnrollmentLink.isHttpUrl(serverUrl) && code.isNotBlank()
}

/** Created with the session; [onEnrolled] tells the root to show the main screens. */
class EnrollmentViewModel(
    private val session: CoreSession,
    private val platform: PlatformServices,
    private val onEnrolled: (AccountRecord) -> Unit,
    scope: CoroutineScope,
    dispatchers: AppDispatchers,
) : StateViewModel<EnrollmentUiState>(
    EnrollmentUiState(serverUrl = platform.preferences.lastServerUrl.orEmpty()),
    scope,
    dispatchers,
) {
    private val scanner = FrameScanner(session)

    fun setServerUrl(url: String) = setState { it.copy(serverUrl = url.trim(), error = null) }

    fun setCode(code: String) = setState { it.copy(code = code.trim(), error = null) }

    /** Opens or closes the camera for an enrollment QR code. */
    fun setScanning(on: Boolean) = setState { it.copy(scanning = on, scannedSomethingElse = false) }

    /**
     * A camera frame's Y plane while [EnrollmentUiState.scanning]: decoded by the core; an
     * enrollment link fills the form. Returns null when the frame was dropped (one at a time).
     */
    fun onFrame(bytes: ByteArray, width: Int, height: Int, rowStride: Int): Job? {
        if (!state.value.scanning || !scanner.tryAcquire()) return null
        return launchAction {
            val texts = scanner.decode(bytes, width, height, rowStride).map { results -> results.map { it.text } }
            texts.getOrNull()?.let(::onScannedTexts)
        }
    }

    /** Texts decoded elsewhere (a deep link, a picked image). */
    fun onScannedTexts(texts: List<String>) {
        if (texts.isEmpty()) return
        val link = texts.firstNotNullOfOrNull(EnrollmentLink::parse)
        setState {
            if (link == null) {
                it.copy(scannedSomethingElse = true)
            } else {
                it.copy(serverUrl = link.serverUrl, code = link.code, scanning = false, scannedSomethingElse = false)
            }
        }
    }

    /** Enrolls with the server, then runs the first sync. */
    fun enroll(): Job = launchAction {
        val form = state.value
        if (!form.canEnroll) return@launchAction
        setState { it.copy(enrolling = true, error = null) }
        platform.preferences.lastServerUrl = form.serverUrl
        val enrolled = attempt {
            session.callAsync { it.enroll(form.serverUrl.trimEnd('/'), form.code, platform.deviceName) }
        }
        val account = enrolled.getOrElse {
            setState { it.copy(enrolling = false, error = enrolled.uiError()) }
            return@launchAction
        }
        setState { it.copy(account = account, firstSync = true) }
        val report = attempt { session.callAsync { it.syncNow() } }
        setState {
            it.copy(enrolling = false, firstSync = false, code = "", firstSyncOutcome = report.getOrNull()?.outcome)
        }
        onEnrolled(account)
    }
}
