/**
 * A supervisor issues a warning (发布预警): level (in its colour), type, the grids of their
 * street (none chosen: all of them), the text, and the minutes each recipient has to acknowledge
 * (叫应) before it escalates. Sent like all other work; back to the warnings once it is issued.
 */
package cn.gridpatrol.app.ui.screens

import androidx.compose.foundation.background
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.FlowRowScope
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.size
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.shape.CircleShape
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.FilterChip
import androidx.compose.material3.FilterChipDefaults
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Slider
import androidx.compose.material3.Text
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
import cn.gridpatrol.app.ui.warningColor
import cn.gridpatrol.core.WarningLevel
import cn.gridpatrol.core.WarningType
import cn.gridpatrol.viewmodel.home.HomeViewModel
import cn.gridpatrol.viewmodel.warnings.WarningDraft
import cn.gridpatrol.viewmodel.warnings.WarningsViewModel
import kotlin.math.roundToInt

@Composable
fun IssueWarningScreen(warnings: WarningsViewModel, home: HomeViewModel, onBack: () -> Unit) {
    val state by warnings.state.collectAsStateWithLifecycle()
    val homeState by home.state.collectAsStateWithLifecycle()
    var draft by remember { mutableStateOf(WarningDraft()) }
    LaunchedEffect(state.issued) {
        state.issued?.let {
            warnings.onIssuedShown()
            onBack()
        }
    }
    val minutes = WarningDraft.ACK_MINUTES
    ScreenScaffold(title = stringResource(R.string.warnings_issue), onBack = onBack) { padding ->
        Column(
            Modifier.padding(padding).fillMaxWidth().verticalScroll(rememberScrollState()).padding(16.dp),
            verticalArrangement = Arrangement.spacedBy(8.dp),
        ) {
            ChipGroup(stringResource(R.string.warnings_level)) {
                WarningLevel.entries.forEach { level ->
                    FilterChip(
                        selected = draft.level == level,
                        onClick = { draft = draft.copy(level = level) },
                        label = { Text(stringResource(levelLabel(level))) },
                        leadingIcon = { Box(Modifier.size(12.dp).background(warningColor(level), CircleShape)) },
                        colors = FilterChipDefaults.filterChipColors(selectedContainerColor = warningColor(level).copy(alpha = 0.3f)),
                    )
                }
            }
            ChipGroup(stringResource(R.string.warnings_type)) {
                WarningType.entries.forEach { type ->
                    FilterChip(selected = draft.type == type, onClick = { draft = draft.copy(type = type) }, label = { Text(stringResource(typeLabel(type))) })
                }
            }
            ChipGroup(stringResource(R.string.warnings_grids)) {
                homeState.account?.grids.orEmpty().forEach { grid ->
                    FilterChip(selected = grid in draft.grids, onClick = { draft = draft.toggleGrid(grid) }, label = { Text(grid) })
                }
            }
            if (draft.grids.isEmpty()) Text(stringResource(R.string.warnings_grids_all), style = MaterialTheme.typography.bodySmall)
            OutlinedTextField(
                value = draft.text,
                onValueChange = { text -> draft = draft.copy(text = text) },
                label = { Text(stringResource(R.string.warnings_text)) },
                minLines = 3,
                modifier = Modifier.fillMaxWidth(),
            )
            Text(stringResource(R.string.warnings_ack_within, draft.ackWithinMinutes))
            Slider(
                value = draft.ackWithinMinutes.toFloat(),
                onValueChange = { draft = draft.copy(ackWithinMinutes = it.roundToInt()) },
                valueRange = minutes.first.toFloat()..minutes.last.toFloat(),
                // The stops between the two ends, one every ACK_MINUTES_STEP minutes.
                steps = (minutes.last - minutes.first) / WarningDraft.ACK_MINUTES_STEP - 1,
            )
            Button(
                onClick = { warnings.issue(draft.level, draft.type, draft.grids, draft.text, draft.ackWithinMinutes) },
                enabled = draft.canIssue && !state.issuing,
            ) { Text(stringResource(R.string.warnings_issue)) }
            ErrorBanner(state.error)
        }
    }
}

/** A heading and its choices as chips, wrapping onto more lines as needed. */
@Composable
private fun ChipGroup(title: String, chips: @Composable FlowRowScope.() -> Unit) {
    Text(title, style = MaterialTheme.typography.titleSmall)
    FlowRow(horizontalArrangement = Arrangement.spacedBy(6.dp), content = chips)
}

/** The string of a warning level's name. */
private fun levelLabel(level: WarningLevel): Int = when (level) {
    WarningLevel.BLUE -> R.string.level_blue
    WarningLevel.YELLOW -> R.string.level_yellow
    WarningLevel.ORANGE -> R.string.level_orange
    WarningLevel.RED -> R.string.level_red
}

/** The string of a warning type's name. */
private fun typeLabel(type: WarningType): Int = when (type) {
    WarningType.RAINSTORM -> R.string.warning_type_rainstorm
    WarningType.FLOOD -> R.string.warning_type_flood
    WarningType.GEOLOGICAL -> R.string.warning_type_geological
    WarningType.WIND -> R.string.warning_type_wind
    WarningType.FIRE -> R.string.warning_type_fire
    WarningType.HEAT -> R.string.warning_type_heat
    WarningType.SNOW -> R.string.warning_type_snow
    WarningType.OTHER -> R.string.warning_type_other
}
