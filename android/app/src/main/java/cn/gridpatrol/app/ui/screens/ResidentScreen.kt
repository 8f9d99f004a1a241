/**
 * Resident mode (群众举报): report a hazard — category, what you saw, photos, the venue code you
 * scanned, and your location only if you choose to share it — then follow your reports' steps.
 */
package cn.gridpatrol.app.ui.screens

import android.Manifest
import androidx.compose.foundation.horizontalScroll
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.height
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.foundation.rememberScrollState
import androidx.compose.material3.Button
import androidx.compose.material3.FilterChip
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Switch
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import cn.gridpatrol.app.R
import cn.gridpatrol.app.ui.ErrorBanner
import cn.gridpatrol.app.ui.ScreenScaffold
import cn.gridpatrol.app.ui.WithPermission
import cn.gridpatrol.app.camera.CameraSurface
import cn.gridpatrol.app.camera.CameraUse
import cn.gridpatrol.app.camera.evidenceCapture
import cn.gridpatrol.app.camera.takePhoto
import cn.gridpatrol.core.ReportCategory
import cn.gridpatrol.viewmodel.resident.ResidentViewModel

@Composable
fun ResidentScreen(resident: ResidentViewModel) {
    val state by resident.state.collectAsStateWithLifecycle()
    val draft = state.draft
    var askLocation by remember { mutableStateOf(false) }
    var camera by remember { mutableStateOf(false) }
    val capture = remember { evidenceCapture() }
    val context = LocalContext.current
    ScreenScaffold(title = stringResource(R.string.resident_title)) { padding ->
        LazyColumn(Modifier.padding(padding).fillMaxWidth()) {
            item {
                Column(Modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
                    Row(Modifier.horizontalScroll(rememberScrollState()), horizontalArrangement = Arrangement.spacedBy(6.dp)) {
                        ReportCategory.entries.forEach { c ->
                            FilterChip(selected = draft.category == c, onClick = { resident.editDraft { it.copy(category = c) } }, label = { Text(c.name) })
                        }
                    }
                    OutlinedTextField(
                        value = draft.description,
                        onValueChange = { text -> resident.editDraft { it.copy(description = text) } },
                        label = { Text(stringResource(R.string.resident_description)) },
                        modifier = Modifier.fillMaxWidth(),
                    )
                    Row(verticalAlignment = Alignment.CenterVertically) {
                        Text(stringResource(R.string.resident_share_location), Modifier.weight(1f))
                        Switch(checked = draft.shareLocation, onCheckedChange = { on -> askLocation = on; resident.editDraft { it.copy(shareLocation = on) } })
                    }
                    if (askLocation) WithPermission(Manifest.permission.ACCESS_FINE_LOCATION) { askLocation = false }
                    Text(stringResource(R.string.resident_photos, draft.photos.size))
                    if (camera) {
                        WithPermission(Manifest.permission.CAMERA) { granted ->
                            if (granted) CameraSurface(CameraUse.Photo(capture), Modifier.fillMaxWidth().height(240.dp))
                        }
                    }
                    OutlinedButton(onClick = {
                        if (!camera) {
                            camera = true
                        } else {
                            val file = resident.newPhotoFile()
                            takePhoto(context, capture, file, onSaved = { resident.addPhoto(it) }, onError = { file.delete() })
                        }
                    }) { Text(stringResource(R.string.photo_take)) }
                    Button(onClick = { resident.submit() }, enabled = draft.canSubmit && !state.submitting) { Text(stringResource(R.string.resident_submit)) }
                    state.submitted?.let { Text(stringResource(R.string.resident_submitted)) }
                    ErrorBanner(state.error)
                }
            }
            item { Text(stringResource(R.string.resident_my_reports), style = MaterialTheme.typography.titleMedium, modifier = Modifier.padding(16.dp)) }
            items(state.myReports, key = { it.reportId }) { report ->
                Column(Modifier.padding(16.dp, 6.dp)) {
                    Text(report.category.name + " · " + report.description)
                    Text(report.status?.name ?: stringResource(R.string.resident_not_sent), style = MaterialTheme.typography.bodySmall)
                    report.steps.forEach { step -> Text(step.at + " · " + step.status.name + (step.note?.let { " · $it" } ?: ""), style = MaterialTheme.typography.bodySmall) }
                }
            }
        }
    }
    LaunchedEffect(resident) { resident.load() }
}
