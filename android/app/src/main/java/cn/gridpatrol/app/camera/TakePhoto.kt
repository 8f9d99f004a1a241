/** One ImageCapture shot written to an app-private file (the photo view model hands out the file). */
package cn.gridpatrol.app.camera

import android.content.Context
import androidx.camera.core.ImageCapture
import androidx.camera.core.ImageCaptureException
import androidx.core.content.ContextCompat
import java.io.File

/** Takes a JPEG into [file]; exactly one of the callbacks runs, on the main thread. */
fun takePhoto(context: Context, capture: ImageCapture, file: File, onSaved: (File) -> Unit, onError: (String) -> Unit) {
    val options = ImageCapture.OutputFileOptions.Builder(file).build()
    capture.takePicture(
        options,
        ContextCompat.getMainExecutor(context),
        object : ImageCapture.OnImageSavedCallback {
            override fun onImageSaved(output: ImageCapture.OutputFileResults) = onSaved(file)

            override fun onError(exception: ImageCaptureException) = onError(exception.message ?: "camera error ${exception.imageCaptureError}")
        },
    )
}

/** A capture use case for evidence: full quality, the core downscales and strips EXIF. */
fun evidenceCapture(): ImageCapture = ImageCapture.Builder()
    .setCaptureMode(ImageCapture.CAPTURE_MODE_MAXIMIZE_QUALITY)
    .build()
