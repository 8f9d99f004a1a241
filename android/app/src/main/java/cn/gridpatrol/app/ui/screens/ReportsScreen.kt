/**
 * Residents' reports dispatched to the worker's grids (never who reported): check each on site
 * — a hazard at a venue of the list, filed under a hazard area preselected from the category
 * (it then enters the lifecycle), or "no hazard" with a reason.
 */
package cn.gridpatrol.app.ui.screens

import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.material3.DropdownMenu
import androidx.compose.material3.DropdownMenuItem
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import cn.gridpatrol.app.R
import cn.gridpatrol.app.ui.ErrorBanner
import cn.gridpatrol.app.ui.ScreenScaffold
import cn.gridpatrol.core.HazardGrade
import cn.gridpatrol.core.ReportFinding
import cn.gridpatrol.viewmodel.reports.ReportsViewModel
import cn.gridpatrol.viewmodel.reports.suggestedArea

@Composable
fun ReportsScreen(reports: ReportsViewModel, onHazard: (String) -> Unit, onBack: () -> Unit) {
    val state by reports.state.collectAsStateWithLifecycle()
    LaunchedEffect(state.checked) { state.checked?.hazardId?.let(onHazard) }
    ScreenScaffold(title = stringResource(R.string.reports_title), onBack = onBack) { padding ->
        LazyColumn(Modifier.padding(padding).fillMaxWidth()) {
            item { ErrorBanner(state.error) }
            items(state.reports, key = { it.reportId }) { report ->
                var reason by remember(report.reportId) { mutableStateOf("") }
                var area by remember(report.reportId) { mutableStateOf(suggestedArea(report.category)) }
                var choosingArea by remember(report.reportId) { mutableStateOf(false) }
                Column(Modifier.fillMaxWidth().padding(16.dp, 8.dp)) {
                    Text(report.category.name + " · " + (report.venueName ?: report.grid), style = MaterialTheme.typography.titleSmall)
                    Text(report.description)
                    Text(report.status.name + " · " + report.receivedAt, style = MaterialTheme.typography.bodySmall)
                    if (!report.checkedHere && report.hazardId == null) {
                        OutlinedTextField(value = reason, onValueChange = { reason = it }, label = { Text(stringResource(R.string.reports_note)) })
                        Row {
                            val venue = report.venueId
                            if (venue != null) {
                                // The area the hazard is filed under: preselected from the category.
                                Box {
                                    TextButton(onClick = { choosingArea = true }) {
                                        Text(state.areas.firstOrNull { it.code == area }?.label ?: area)
                                    }
                                    DropdownMenu(expanded = choosingArea, onDismissRequest = { choosingArea = false }) {
                                        state.areas.forEach { choice ->
                                            DropdownMenuItem(text = { Text(choice.label) }, onClick = { area = choice.code; choosingArea = false })
                                        }
                                    }
                                }
                                OutlinedButton(onClick = {
                                    reports.check(report.reportId, ReportFinding.Hazard(venue, area, HazardGrade.GENERAL, reason.ifBlank { null }))
                                }) { Text(stringResource(R.string.reports_is_hazard)) }
                            }
                            OutlinedButton(onClick = { reports.check(report.reportId, ReportFinding.NoHazard(reason)) }, enabled = reason.isNotBlank()) {
                                Text(stringResource(R.string.reports_no_hazard))
                            }
                        }
                    }
                }
            }
        }
    }
}
