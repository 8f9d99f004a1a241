/**
 * The hazard ledger (隐患台账): filter chips by grid, area, venue type and status (choices and
 * counts from the ledger), overdue only, the rows, hazards not synced yet, and CSV export.
 */
package cn.gridpatrol.app.ui.screens

import androidx.compose.foundation.clickable
import androidx.compose.foundation.horizontalScroll
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.foundation.rememberScrollState
import androidx.compose.material3.FilterChip
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import cn.gridpatrol.app.R
import cn.gridpatrol.app.platform.AndroidAppFiles
import cn.gridpatrol.app.ui.ErrorBanner
import cn.gridpatrol.app.ui.ScreenScaffold
import cn.gridpatrol.core.HazardStatus
import cn.gridpatrol.core.LedgerFilter
import cn.gridpatrol.viewmodel.hazards.FilterOption
import cn.gridpatrol.viewmodel.hazards.HazardsViewModel

@Composable
fun HazardsScreen(hazards: HazardsViewModel, onHazard: (String) -> Unit, onBack: () -> Unit) {
    val state by hazards.state.collectAsStateWithLifecycle()
    val context = LocalContext.current
    val filter = state.filter
    ScreenScaffold(
        title = stringResource(R.string.hazards_title),
        onBack = onBack,
        actions = {
            TextButton(onClick = { hazards.exportCsv(AndroidAppFiles(context).exportFile("ledger.csv").path) }) {
                Text(stringResource(R.string.hazards_export))
            }
        },
    ) { padding ->
        LazyColumn(Modifier.padding(padding).fillMaxWidth()) {
            item {
                Column(Modifier.padding(8.dp)) {
                    ChipRow(state.options.grids, filter.grid) { hazards.setFilter(filter.copy(grid = it)) }
                    ChipRow(state.options.areas, filter.area) { hazards.setFilter(filter.copy(area = it)) }
                    ChipRow(state.options.venueTypes, filter.venueType) { hazards.setFilter(filter.copy(venueType = it)) }
                    ChipRow(state.options.statuses, filter.status?.name) { value ->
                        hazards.setFilter(filter.copy(status = value?.let { HazardStatus.valueOf(it) }))
                    }
                    FilterChip(
                        selected = filter.overdue == true,
                        onClick = { hazards.setFilter(filter.copy(overdue = if (filter.overdue == true) null else true)) },
                        label = { Text(stringResource(R.string.hazards_overdue)) },
                    )
                    if (filter != LedgerFilter()) TextButton(onClick = { hazards.setFilter(LedgerFilter()) }) { Text(stringResource(R.string.hazards_clear_filters)) }
                    state.exported?.let { Text(stringResource(R.string.hazards_exported, it)) }
                    ErrorBanner(state.error)
                }
            }
            items(state.rows, key = { it.hazardId }) { row ->
                Column(Modifier.fillMaxWidth().clickable { onHazard(row.hazardId) }.padding(16.dp, 8.dp)) {
                    Text(row.venueName + " · " + row.areaName)
                    Text(
                        row.statusName + (if (row.overdue) " · " + stringResource(R.string.hazards_overdue) else "") +
                            (row.deadline?.let { " · " + it } ?: ""),
                        style = MaterialTheme.typography.bodySmall,
                        color = if (row.overdue) MaterialTheme.colorScheme.error else MaterialTheme.colorScheme.onSurfaceVariant,
                    )
                }
            }
            if (state.unsynced.isNotEmpty()) {
                item { Text(stringResource(R.string.hazards_unsynced), style = MaterialTheme.typography.titleMedium, modifier = Modifier.padding(16.dp)) }
                items(state.unsynced, key = { "local-" + it.hazardId }) { hazard ->
                    Text(hazard.venueName + " · " + hazard.itemTitle, Modifier.fillMaxWidth().clickable { onHazard(hazard.hazardId) }.padding(16.dp, 8.dp))
                }
            }
        }
    }
}

/** One filter menu as chips: tapping the selected chip clears it. */
@Composable
private fun ChipRow(options: List<FilterOption>, selected: String?, onSelect: (String?) -> Unit) {
    if (options.isEmpty()) return
    Row(Modifier.horizontalScroll(rememberScrollState()), horizontalArrangement = Arrangement.spacedBy(6.dp)) {
        options.forEach { option ->
            FilterChip(
                selected = option.value == selected,
                onClick = { onSelect(if (option.value == selected) null else option.value) },
                label = { Text(option.label + " " + option.open + "/" + option.total) },
            )
        }
    }
}
