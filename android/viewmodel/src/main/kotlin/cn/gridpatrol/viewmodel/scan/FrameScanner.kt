/**
 * Camera frames to the core's QR decoder, one at a time: a frame that arrives while the last
 * one is still being decoded is dropped (CameraX's keep-only-latest does the same upstream), so
 * decoding never queues up behind a 30 fps camera.
 */
package cn.gridpatrol.viewmodel.scan

import cn.gridpatrol.core.ScanResult
import cn.gridpatrol.viewmodel.session.CoreSession
import java.util.concurrent.atomic.AtomicBoolean
import kotlin.coroutines.cancellation.CancellationException

/** Decodes luma planes through the core; one in flight. */
class FrameScanner(private val session: CoreSession) {
    private val busy = AtomicBoolean(false)

    /** Claims the decoder for one frame; false while another frame is being decoded. */
    fun tryAcquire(): Boolean = busy.compareAndSet(false, true)

    /**
     * Decodes a frame claimed with [tryAcquire] and releases the claim. [bytes] is the Y plane as
     * the camera gives it: [rowStride] bytes per row (≥ [width]; padding bytes are ignored).
     */
    suspend fun decode(bytes: ByteArray, width: Int, height: Int, rowStride: Int): Result<List<ScanResult>> = try {
        Result.success(
            session.call { it.scanFrame(bytes, width.toUInt(), height.toUInt(), rowStride.toUInt()) },
        )
    } catch (e: CancellationException) {
        throw e
    } catch (e: Exception) {
        Result.failure(e)
    } finally {
        busy.set(false)
    }
}
