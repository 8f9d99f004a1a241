/**
 * Enrollment: server URL and the code from the street office, or scan the office's enrollment
 * QR code; residents register without a code. The first sync runs right after.
 */
package cn.gridpatrol.app.ui.screens

import android.Manifest
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.height
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.Button
import androidx.compose.material3.LinearProgressIndicator
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import cn.gridpatrol.app.R
import cn.gridpatrol.app.camera.CameraSurface
import cn.gridpatrol.app.camera.CameraUse
import cn.gridpatrol.app.camera.LumaSink
import cn.gridpatrol.app.ui.ErrorBanner
import cn.gridpatrol.app.ui.WithPermission
import cn.gridpatrol.viewmodel.enroll.EnrollmentViewModel
import cn.gridpatrol.viewmodel.resident.ResidentViewModel

@Composable
fun EnrollScreen(enrollment: EnrollmentViewModel, resident: ResidentViewModel) {
    val state by enrollment.state.collectAsStateWithLifecycle()
    val residentState by resident.state.collectAsStateWithLifecycle()
    var residentMode by remember { mutableStateOf(false) }
    var phone by remember { mutableStateOf("") }
    Column(Modifier.fillMaxSize().padding(24.dp), verticalArrangement = Arrangement.spacedBy(12.dp)) {
        Text(stringResource(R.string.enroll_title), style = MaterialTheme.typography.headlineSmall)
        OutlinedTextField(
            value = state.serverUrl,
            onValueChange = enrollment::setServerUrl,
            label = { Text(stringResource(R.string.enroll_server)) },
            singleLine = true,
            modifier = Modifier.fillMaxWidth(),
        )
        if (!residentMode) {
            OutlinedTextField(
                value = state.code,
                onValueChange = enrollment::setCode,
                label = { Text(stringResource(R.string.enroll_code)) },
                singleLine = true,
                modifier = Modifier.fillMaxWidth(),
            )
            if (state.scanning) {
                WithPermission(Manifest.permission.CAMERA) { granted ->
                    if (granted) {
                        CameraSurface(
                            CameraUse.Scan(LumaSink { b, w, h, s -> enrollment.onFrame(b, w, h, s) != null }, torch = false),
                            Modifier.fillMaxWidth().height(280.dp),
                        )
                    } else {
                        Text(stringResource(R.string.camera_denied))
                    }
                }
                if (state.scannedSomethingElse) Text(stringResource(R.string.enroll_not_enrollment_code))
            }
            OutlinedButton(onClick = { enrollment.setScanning(!state.scanning) }) {
                Text(stringResource(if (state.scanning) R.string.enroll_stop_scan else R.string.enroll_scan))
            }
            if (state.enrolling) LinearProgressIndicator(Modifier.fillMaxWidth())
            if (state.firstSync) Text(stringResource(R.string.enroll_first_sync))
            Button(onClick = { enrollment.enroll() }, enabled = state.canEnroll) { Text(stringResource(R.string.enroll_submit)) }
            ErrorBanner(state.error)
            TextButton(onClick = { residentMode = true }) { Text(stringResource(R.string.enroll_as_resident)) }
        } else {
            OutlinedTextField(
                value = phone,
                onValueChange = { phone = it },
                label = { Text(stringResource(R.string.resident_phone_optional)) },
                singleLine = true,
                modifier = Modifier.fillMaxWidth(),
            )
            Text(stringResource(R.string.resident_phone_privacy), style = MaterialTheme.typography.bodySmall)
            if (residentState.enrolling) LinearProgressIndicator(Modifier.fillMaxWidth())
            Button(onClick = { resident.enroll(state.serverUrl, phone) }, enabled = !residentState.enrolling) {
                Text(stringResource(R.string.resident_register))
            }
            ErrorBanner(residentState.error)
            TextButton(onClick = { residentMode = false }) { Text(stringResource(R.string.enroll_as_worker)) }
        }
    }
}
