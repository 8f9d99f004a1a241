/**
 * The outbox: events and photos waiting, the running pass's progress, items the server would
 * not take (retry; discard for photos), what the server refused or recorded as a conflict, and
 * pause / resume.
 */
package cn.gridpatrol.app.ui.screens

import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.material3.Button
import androidx.compose.material3.LinearProgressIndicator
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Switch
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import cn.gridpatrol.app.R
import cn.gridpatrol.app.ui.ErrorBanner
import cn.gridpatrol.app.ui.ScreenScaffold
import cn.gridpatrol.viewmodel.outbox.OutboxViewModel
import cn.gridpatrol.viewmodel.outbox.canDiscard

@Composable
fun OutboxScreen(outbox: OutboxViewModel, onBack: () -> Unit) {
    val state by outbox.state.collectAsStateWithLifecycle()
    val status = state.sync.outbox
    ScreenScaffold(title = stringResource(R.string.outbox_title), onBack = onBack) { padding ->
        LazyColumn(Modifier.padding(padding).fillMaxWidth()) {
            item {
                Column(Modifier.padding(16.dp)) {
                    Text(stringResource(R.string.outbox_events, (status?.eventsPending ?: 0u).toLong()))
                    Text(stringResource(R.string.outbox_photos, (status?.blobsPending ?: 0u).toLong()))
                    status?.lastSyncedAt?.let { Text(stringResource(R.string.outbox_last_synced, it), style = MaterialTheme.typography.bodySmall) }
                    if (status?.authRequired == true) Text(stringResource(R.string.outbox_auth_required), color = MaterialTheme.colorScheme.error)
                    state.sync.progress?.let { p ->
                        val fraction = if (p.total > 0u) p.done.toFloat() / p.total.toFloat() else 0f
                        Text(p.phase.name)
                        LinearProgressIndicator(progress = { fraction }, modifier = Modifier.fillMaxWidth())
                    }
                    state.sync.lastReport?.let { Text(stringResource(R.string.outbox_last_outcome, it.outcome.name)) }
                    Row(verticalAlignment = Alignment.CenterVertically) {
                        Button(onClick = { outbox.syncNow() }, enabled = !state.sync.running) { Text(stringResource(R.string.sync_now)) }
                        Text(stringResource(R.string.outbox_paused), Modifier.padding(start = 16.dp))
                        Switch(checked = state.paused, onCheckedChange = { outbox.setPaused(it) })
                    }
                    ErrorBanner(state.sync.error ?: state.error)
                }
            }
            if (state.wedged.isNotEmpty()) item { Text(stringResource(R.string.outbox_wedged), style = MaterialTheme.typography.titleMedium, modifier = Modifier.padding(16.dp)) }
            items(state.wedged, key = { it.kind.name + it.id }) { item ->
                Column(Modifier.fillMaxWidth().padding(16.dp, 6.dp)) {
                    Text(item.what + " · " + item.reason)
                    Row {
                        OutlinedButton(onClick = { outbox.retry(item) }) { Text(stringResource(R.string.outbox_retry)) }
                        if (canDiscard(item)) OutlinedButton(onClick = { outbox.discard(item) }) { Text(stringResource(R.string.outbox_discard)) }
                    }
                }
            }
            if (state.refusals.isNotEmpty()) item { Text(stringResource(R.string.outbox_refused), style = MaterialTheme.typography.titleMedium, modifier = Modifier.padding(16.dp)) }
            items(state.refusals, key = { it.eventId }) { refusal ->
                Text((refusal.action ?: refusal.kind) + " · " + refusal.reason, Modifier.padding(16.dp, 4.dp))
            }
        }
    }
}
