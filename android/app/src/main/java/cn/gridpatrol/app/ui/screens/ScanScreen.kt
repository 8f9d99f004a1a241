/**
 * Scan-to-inspect: the camera's luma frames go to the scan view model (Y plane with its real
 * row stride); a verified venue code starts the inspection and opens its checklist; any other
 * outcome is explained. Torch for basements. Location is asked for here, at the moment of use.
 */
package cn.gridpatrol.app.ui.screens

import android.Manifest
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.filled.FlashlightOff
import androidx.compose.material.icons.filled.FlashlightOn
import androidx.compose.material3.Icon
import androidx.compose.material3.IconButton
import androidx.compose.material3.LinearProgressIndicator
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import cn.gridpatrol.app.R
import cn.gridpatrol.app.camera.CameraSurface
import cn.gridpatrol.app.camera.CameraUse
import cn.gridpatrol.app.camera.LumaSink
import cn.gridpatrol.app.ui.ErrorBanner
import cn.gridpatrol.app.ui.ScreenScaffold
import cn.gridpatrol.app.ui.WithPermission
import cn.gridpatrol.core.ScanVerification
import cn.gridpatrol.viewmodel.scan.ScanViewModel

@Composable
fun ScanScreen(scan: ScanViewModel, onStarted: (String) -> Unit, onBack: () -> Unit) {
    val state by scan.state.collectAsStateWithLifecycle()
    LaunchedEffect(state.started) {
        state.started?.let {
            scan.onStartedShown()
            onStarted(it.inspection.inspectionId)
        }
    }
    ScreenScaffold(
        title = stringResource(R.string.scan_title),
        onBack = { scan.rescan(); onBack() },
        actions = {
            IconButton(onClick = { scan.setTorch(!state.torchOn) }) {
                Icon(
                    if (state.torchOn) Icons.Filled.FlashlightOff else Icons.Filled.FlashlightOn,
                    contentDescription = stringResource(R.string.scan_torch),
                )
            }
        },
    ) { padding ->
        Column(Modifier.padding(padding)) {
            // Location first (asked now, used when a code verifies), then the camera.
            WithPermission(Manifest.permission.ACCESS_FINE_LOCATION) {
                WithPermission(Manifest.permission.CAMERA) { granted ->
                    if (granted) {
                        CameraSurface(
                            CameraUse.Scan(LumaSink { b, w, h, s -> scan.onFrame(b, w, h, s) != null }, state.torchOn),
                            Modifier.fillMaxWidth().weight(1f),
                        )
                    } else {
                        Text(stringResource(R.string.camera_denied), Modifier.padding(16.dp))
                    }
                }
            }
            if (state.starting) LinearProgressIndicator(Modifier.fillMaxWidth())
            state.refusal?.let { Text(refusalText(it), Modifier.padding(16.dp)) }
            ErrorBanner(state.error)
            if (!state.active && !state.starting) TextButton(onClick = { scan.rescan() }) { Text(stringResource(R.string.scan_again)) }
        }
    }
}

@Composable
private fun refusalText(verification: ScanVerification): String = when (verification) {
    is ScanVerification.Verified -> stringResource(R.string.scan_verified, verification.venueName)
    is ScanVerification.VenueNotInList -> stringResource(R.string.scan_not_in_list, verification.venueId)
    is ScanVerification.NotGridpatrol -> stringResource(R.string.scan_not_gridpatrol)
    is ScanVerification.Malformed -> stringResource(R.string.scan_malformed)
    is ScanVerification.UnknownKey -> stringResource(R.string.scan_unknown_key)
    is ScanVerification.Forged -> stringResource(R.string.scan_forged)
    is ScanVerification.Revoked -> stringResource(R.string.scan_revoked)
}
