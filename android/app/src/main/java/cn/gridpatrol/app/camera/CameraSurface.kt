/**
 * The camera preview as a composable, bound to the screen's lifecycle, with one extra use case:
 * ImageAnalysis for QR scanning (keep-only-latest, YUV) or ImageCapture for evidence photos.
 * Opened only on screens the user navigated to after consent, and only with the permission.
 */
package cn.gridpatrol.app.camera

import androidx.camera.core.Camera
import androidx.camera.core.CameraSelector
import androidx.camera.core.ImageAnalysis
import androidx.camera.core.ImageCapture
import androidx.camera.core.Preview
import androidx.camera.core.UseCase
import androidx.camera.lifecycle.ProcessCameraProvider
import androidx.camera.view.PreviewView
import androidx.compose.runtime.Composable
import androidx.compose.runtime.DisposableEffect
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.viewinterop.AndroidView
import androidx.core.content.ContextCompat
import androidx.lifecycle.compose.LocalLifecycleOwner
import java.util.concurrent.Executors

/** What the camera is for. */
sealed class CameraUse {
    /** QR scanning: frames to [sink]; [torch] on or off. */
    data class Scan(val sink: LumaSink, val torch: Boolean) : CameraUse()

    /** Evidence photos through [capture] (see [takePhoto]). */
    data class Photo(val capture: ImageCapture) : CameraUse()
}

@Composable
fun CameraSurface(use: CameraUse, modifier: Modifier = Modifier) {
    val context = LocalContext.current
    val lifecycleOwner = LocalLifecycleOwner.current
    val previewView = remember { PreviewView(context) }
    val analysisExecutor = remember { Executors.newSingleThreadExecutor() }
    var camera by remember { mutableStateOf<Camera?>(null) }
    val isScan = use is CameraUse.Scan

    DisposableEffect(lifecycleOwner, isScan) {
        val providerFuture = ProcessCameraProvider.getInstance(context)
        var bound: List<UseCase> = emptyList()
        providerFuture.addListener({
            val provider = providerFuture.get()
            val preview = Preview.Builder().build().also { it.surfaceProvider = previewView.surfaceProvider }
            val extra: UseCase = when (use) {
                is CameraUse.Scan -> ImageAnalysis.Builder()
                    .setBackpressureStrategy(ImageAnalysis.STRATEGY_KEEP_ONLY_LATEST)
                    .setOutputImageFormat(ImageAnalysis.OUTPUT_IMAGE_FORMAT_YUV_420_888)
                    .build()
                    .also { it.setAnalyzer(analysisExecutor, LumaAnalyzer(use.sink)) }
                is CameraUse.Photo -> use.capture
            }
            bound = listOf(preview, extra)
            provider.unbindAll()
            camera = provider.bindToLifecycle(lifecycleOwner, CameraSelector.DEFAULT_BACK_CAMERA, *bound.toTypedArray())
        }, ContextCompat.getMainExecutor(context))
        onDispose {
            if (providerFuture.isDone) providerFuture.get().unbind(*bound.toTypedArray())
            camera = null
        }
    }

    val torch = (use as? CameraUse.Scan)?.torch ?: false
    LaunchedEffect(camera, torch) {
        camera?.takeIf { it.cameraInfo.hasFlashUnit() }?.cameraControl?.enableTorch(torch)
    }

    AndroidView(factory = { previewView }, modifier = modifier)
}
