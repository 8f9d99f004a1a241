/**
 * First-run privacy notice (隐私政策): what the app collects and why, shown before anything is
 * collected (Chinese app-store rules). Accepting opens the core; declining collects nothing.
 */
package cn.gridpatrol.app.ui.screens

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import cn.gridpatrol.app.R

@Composable
fun ConsentScreen(onAccept: () -> Unit, onDecline: () -> Unit) {
    Column(
        Modifier.fillMaxSize().padding(24.dp).verticalScroll(rememberScrollState()),
        verticalArrangement = Arrangement.spacedBy(12.dp),
    ) {
        Text(stringResource(R.string.consent_title), style = MaterialTheme.typography.headlineSmall)
        Text(stringResource(R.string.consent_intro))
        Text(stringResource(R.string.consent_location))
        Text(stringResource(R.string.consent_camera))
        Text(stringResource(R.string.consent_storage))
        Text(stringResource(R.string.consent_network))
        Text(stringResource(R.string.consent_rights), style = MaterialTheme.typography.bodySmall)
        Row(horizontalArrangement = Arrangement.spacedBy(12.dp)) {
            OutlinedButton(onClick = onDecline) { Text(stringResource(R.string.consent_decline)) }
            Button(onClick = onAccept) { Text(stringResource(R.string.consent_accept)) }
        }
    }
}

@Composable
fun ConsentDeclinedScreen(onReview: () -> Unit) {
    Column(Modifier.fillMaxSize().padding(24.dp), verticalArrangement = Arrangement.spacedBy(12.dp)) {
        Text(stringResource(R.string.consent_declined))
        Button(onClick = onReview) { Text(stringResource(R.string.consent_review)) }
    }
}
