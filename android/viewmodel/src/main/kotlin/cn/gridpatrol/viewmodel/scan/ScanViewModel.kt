/**
 * Scan-to-inspect (扫码检查): camera frames go to the core, which decodes and verifies each
 * venue code offline; the first verified code of a venue in the worker's list starts (or
 * continues) its inspection with a location fix as proof of presence. Every other outcome is
 * shown with its own message and starts nothing.
 */
package cn.gridpatrol.viewmodel.scan

import cn.gridpatrol.core.ScanInspection
import cn.gridpatrol.core.ScanVerification
import cn.gridpatrol.viewmodel.platform.LocationSource
import cn.gridpatrol.viewmodel.session.AppDispatchers
import cn.gridpatrol.viewmodel.session.CoreSession
import cn.gridpatrol.viewmodel.session.StateViewModel
import cn.gridpatrol.viewmodel.session.UiError
import cn.gridpatrol.viewmodel.session.uiError
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job

/** A code seen in the viewfinder and what the offline check said. */
data class ScannedCode(val text: String, val verification: ScanVerification)

/** What the scan screen shows. */
data class ScanUiState(
    /** Frames are being decoded (false once an inspection started, until [ScanViewModel.rescan]). */
    val active: Boolean = true,
    val torchOn: Boolean = false,
    /** The codes in the last frame that had any. */
    val codes: List<ScannedCode> = emptyList(),
    /** Getting a location fix and starting the inspection. */
    val starting: Boolean = false,
    /** The inspection a verified code started: the screen navigates to its checklist once. */
    val started: ScanInspection? = null,
    val error: UiError? = null,
) {
    /** The first code that is not a valid venue of this worker, to explain why nothing happened. */
    val refusal: ScanVerification?
        get() = codes.map { it.verification }.firstOrNull { it !is ScanVerification.Verified }
}

class ScanViewModel(
    private val session: CoreSession,
    private val location: LocationSource,
    scope: CoroutineScope,
    dispatchers: AppDispatchers,
) : StateViewModel<ScanUiState>(ScanUiState(), scope, dispatchers) {
    private val scanner = FrameScanner(session)

    /**
     * One camera frame's Y plane (CameraX `ImageProxy.planes[0]`: its buffer copied as is, its
     * real `rowStride`). Returns null when the frame was dropped (busy, or not active).
     */
    fun onFrame(bytes: ByteArray, width: Int, height: Int, rowStride: Int): Job? {
        val now = state.value
        if (!now.active || now.starting || !scanner.tryAcquire()) return null
        return launchAction {
            val decoded = scanner.decode(bytes, width, height, rowStride)
            val results = decoded.getOrElse {
                setState { it.copy(error = decoded.uiError()) }
                return@launchAction
            }
            if (results.isEmpty()) return@launchAction
            val codes = results.map { ScannedCode(it.text, it.verification) }
            setState { it.copy(codes = codes, error = null) }
            codes.firstOrNull { it.verification is ScanVerification.Verified }?.let { start(it.text) }
        }
    }

    /** Starts the inspection of a verified code's venue (also for a code from a deep link). */
    fun startFromCode(text: String): Job = launchAction { start(text) }

    fun setTorch(on: Boolean) = setState { it.copy(torchOn = on) }

    /** The screen navigated to the started inspection; scanning stays paused. */
    fun onStartedShown() = setState { it.copy(started = null) }

    /** Back to scanning (e.g. the next venue). */
    fun rescan() = setState { ScanUiState(torchOn = it.torchOn) }

    private suspend fun start(text: String) {
        setState { it.copy(starting = true, active = false) }
        // The fix is asked for only now, after consent and at the moment of the scan.
        val fix = attempt { location.currentFix() }.getOrNull()
        val started = attempt { session.call { it.startInspectionFromScan(text, fix) } }
        setState {
            it.copy(
                starting = false,
                started = started.getOrNull(),
                active = started.isFailure,
                error = started.uiError(),
            )
        }
    }
}
