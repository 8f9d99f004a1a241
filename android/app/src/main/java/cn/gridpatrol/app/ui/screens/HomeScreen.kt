/**
 * Home: warnings awaiting 叫应 on top (one tap acknowledges; a supervisor also issues them here),
 * today's venues (open inspections first, then by risk colour), the outbox badge and sync state,
 * and the way to every other screen.
 */
package cn.gridpatrol.app.ui.screens

import androidx.compose.foundation.background
import androidx.compose.foundation.clickable
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.Spacer
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.size
import androidx.compose.foundation.layout.width
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.foundation.shape.CircleShape
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.filled.CloudUpload
import androidx.compose.material.icons.filled.QrCodeScanner
import androidx.compose.material.icons.filled.Settings
import androidx.compose.material.icons.filled.Warning
import androidx.compose.material3.Badge
import androidx.compose.material3.BadgedBox
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.CardDefaults
import androidx.compose.material3.ExtendedFloatingActionButton
import androidx.compose.material3.Icon
import androidx.compose.material3.IconButton
import androidx.compose.material3.LinearProgressIndicator
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
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
import cn.gridpatrol.app.ui.riskColor
import cn.gridpatrol.app.ui.warningColor
import cn.gridpatrol.core.Role
import cn.gridpatrol.core.WarningRecord
import cn.gridpatrol.viewmodel.home.HomeViewModel
import cn.gridpatrol.viewmodel.home.VenueRow
import cn.gridpatrol.viewmodel.warnings.WarningsViewModel

@Composable
fun HomeScreen(
    home: HomeViewModel,
    warnings: WarningsViewModel,
    onScan: () -> Unit,
    onVenue: (String) -> Unit,
    onInspection: (String) -> Unit,
    onHazards: () -> Unit,
    onReports: () -> Unit,
    onIssueWarning: () -> Unit,
    onOutbox: () -> Unit,
    onSettings: () -> Unit,
) {
    val state by home.state.collectAsStateWithLifecycle()
    ScreenScaffold(
        title = state.account?.displayName ?: stringResource(R.string.app_name),
        actions = {
            IconButton(onClick = onOutbox) {
                BadgedBox(badge = { if (state.sync.pendingCount > 0) Badge { Text(state.sync.pendingCount.toString()) } }) {
                    Icon(Icons.Filled.CloudUpload, contentDescription = stringResource(R.string.outbox_title))
                }
            }
            IconButton(onClick = onSettings) { Icon(Icons.Filled.Settings, contentDescription = stringResource(R.string.settings_title)) }
        },
    ) { padding ->
        Box(Modifier.padding(padding)) {
            LazyColumn(Modifier.fillMaxWidth()) {
                item {
                    if (state.sync.running) LinearProgressIndicator(Modifier.fillMaxWidth())
                    Text(
                        stringResource(if (state.sync.online) R.string.home_online else R.string.home_offline) +
                            " · " + stringResource(R.string.home_pending, state.sync.pendingCount),
                        style = MaterialTheme.typography.bodySmall,
                        modifier = Modifier.padding(horizontal = 16.dp, vertical = 4.dp),
                    )
                    ErrorBanner(state.error)
                }
                items(state.warnings, key = { it.warningId }) { warning -> WarningCard(warning) { warnings.acknowledge(warning.warningId) } }
                item {
                    FlowRow(Modifier.padding(horizontal = 8.dp), horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                        TextButton(onClick = onHazards) { Text(stringResource(R.string.hazards_title)) }
                        TextButton(onClick = onReports) { Text(stringResource(R.string.reports_title)) }
                        if (state.account?.role == Role.SUPERVISOR) TextButton(onClick = onIssueWarning) { Text(stringResource(R.string.warnings_issue)) }
                        TextButton(onClick = { home.syncNow() }) { Text(stringResource(R.string.sync_now)) }
                    }
                    Text(
                        stringResource(R.string.home_today, state.remainingToday, state.venues.size),
                        style = MaterialTheme.typography.titleMedium,
                        modifier = Modifier.padding(16.dp),
                    )
                }
                items(state.venues, key = { it.venue.venueId }) { row -> VenueRowItem(row, onVenue, onInspection) }
                item { Spacer(Modifier.size(88.dp)) }
            }
            ExtendedFloatingActionButton(
                onClick = onScan,
                icon = { Icon(Icons.Filled.QrCodeScanner, contentDescription = null) },
                text = { Text(stringResource(R.string.scan_title)) },
                modifier = Modifier.align(Alignment.BottomEnd).padding(16.dp),
            )
        }
    }
}

@Composable
private fun WarningCard(warning: WarningRecord, onAcknowledge: () -> Unit) {
    Card(
        colors = CardDefaults.cardColors(containerColor = warningColor(warning.level).copy(alpha = 0.15f)),
        modifier = Modifier.fillMaxWidth().padding(8.dp),
    ) {
        Column(Modifier.padding(12.dp)) {
            Row(verticalAlignment = Alignment.CenterVertically) {
                Icon(Icons.Filled.Warning, contentDescription = null, tint = warningColor(warning.level))
                Spacer(Modifier.width(8.dp))
                Text(stringResource(R.string.warning_due, warning.ackDueAt), style = MaterialTheme.typography.labelMedium)
            }
            Text(warning.text, style = MaterialTheme.typography.bodyLarge)
            Text(warning.issuedBy + " · " + warning.issuedAt, style = MaterialTheme.typography.bodySmall)
            Button(onClick = onAcknowledge) { Text(stringResource(R.string.warning_acknowledge)) }
        }
    }
}

@Composable
private fun VenueRowItem(row: VenueRow, onVenue: (String) -> Unit, onInspection: (String) -> Unit) {
    Row(
        Modifier.fillMaxWidth().clickable { row.openInspectionId?.let(onInspection) ?: onVenue(row.venue.venueId) }.padding(16.dp, 10.dp),
        verticalAlignment = Alignment.CenterVertically,
    ) {
        Box(Modifier.size(12.dp).background(riskColor(row.venue.riskColour), CircleShape))
        Spacer(Modifier.width(12.dp))
        Column(Modifier.weight(1f)) {
            Text(row.venue.name, style = MaterialTheme.typography.bodyLarge)
            Text(row.venue.venueTypeName + " · " + row.venue.address, style = MaterialTheme.typography.bodySmall)
        }
        when {
            row.openInspectionId != null -> Text(stringResource(R.string.home_in_progress), color = MaterialTheme.colorScheme.primary)
            row.inspectedToday -> Text(stringResource(R.string.home_done_today), style = MaterialTheme.typography.bodySmall)
        }
    }
}
