/**
 * CameraX ImageAnalysis → the core's QR decoder: hands over the Y plane of each YUV_420_888
 * frame exactly as the camera delivers it — its buffer copied as is and its real row stride
 * (rows are padded on most phones), never repacked. The view model drops frames while one is
 * being decoded; the image is closed at once either way.
 */
package cn.gridpatrol.app.camera

import androidx.camera.core.ImageAnalysis
import androidx.camera.core.ImageProxy

/** Receives (bytes, width, height, rowStride) of one Y plane; returns whether it was taken. */
fun interface LumaSink {
    fun onLuma(bytes: ByteArray, width: Int, height: Int, rowStride: Int): Boolean
}

class LumaAnalyzer(private val sink: LumaSink) : ImageAnalysis.Analyzer {
    private var buffer = ByteArray(0)

    override fun analyze(image: ImageProxy) {
        image.use { frame ->
            val plane = frame.planes[0] // Y; pixelStride is 1 for the Y plane of YUV_420_888
            val data = plane.buffer
            data.rewind()
            val size = data.remaining()
            // The view model keeps the array until its decode ends, so a taken frame gets a new one.
            if (buffer.size != size) buffer = ByteArray(size)
            data.get(buffer, 0, size)
            if (sink.onLuma(buffer, frame.width, frame.height, plane.rowStride)) buffer = ByteArray(size)
        }
    }
}
