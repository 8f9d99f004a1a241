/**
 * Evidence photo capture: CameraX ImageCapture into an app-private file, handed to the core
 * (normalised, hashed, EXIF stripped) and attached to the answer or hazard; the strip shows
 * the photos already attached.
 */
package cn.gridpatrol.app.ui.screens

import android.Manifest
import android.graphics.BitmapFactory
import androidx.compose.foundation.Image
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.size
import androidx.compose.material3.Button
import androidx.compose.material3.LinearProgressIndicator
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.remember
import androidx.compose.ui.Modifier
import androidx.compose.ui.graphics.asImageBitmap
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import cn.gridpatrol.app.R
import cn.gridpatrol.app.camera.CameraSurface
import cn.gridpatrol.app.camera.CameraUse
import cn.gridpatrol.app.camera.evidenceCapture
import cn.gridpatrol.app.camera.takePhoto
import cn.gridpatrol.app.ui.ErrorBanner
import cn.gridpatrol.app.ui.ScreenScaffold
import cn.gridpatrol.app.ui.WithPermission
import cn.gridpatrol.viewmodel.photo.PhotoCaptureViewModel

@Composable
fun PhotoScreen(photo: PhotoCaptureViewModel, onDone: () -> Unit) {
    val state by photo.state.collectAsStateWithLifecycle()
    val context = LocalContext.current
    val capture = remember { evidenceCapture() }
    LaunchedEffect(photo) { photo.load() }
    ScreenScaffold(title = stringResource(R.string.photo_title), onBack = onDone) { padding ->
        Column(Modifier.padding(padding)) {
            WithPermission(Manifest.permission.CAMERA) { granted ->
                if (granted) {
                    CameraSurface(CameraUse.Photo(capture), Modifier.fillMaxWidth().weight(1f))
                } else {
                    Text(stringResource(R.string.camera_denied), Modifier.padding(16.dp))
                }
            }
            if (state.capturing || state.saving) LinearProgressIndicator(Modifier.fillMaxWidth())
            ErrorBanner(state.error)
            Row(Modifier.padding(8.dp)) {
                state.photos.takeLast(4).forEach { info ->
                    val thumb = remember(info.thumbnailPath) { BitmapFactory.decodeFile(info.thumbnailPath)?.asImageBitmap() }
                    if (thumb != null) Image(thumb, contentDescription = null, modifier = Modifier.size(64.dp).padding(2.dp))
                }
            }
            Row(Modifier.padding(8.dp)) {
                Button(
                    onClick = {
                        val file = photo.beginCapture()
                        takePhoto(context, capture, file, onSaved = { photo.onCaptured(it) }, onError = { photo.onCaptureFailed(file, it) })
                    },
                    enabled = !state.capturing && !state.saving,
                ) { Text(stringResource(R.string.photo_take)) }
                if (state.lastAttached != null) TextButton(onClick = onDone) { Text(stringResource(R.string.done)) }
            }
        }
    }
}
