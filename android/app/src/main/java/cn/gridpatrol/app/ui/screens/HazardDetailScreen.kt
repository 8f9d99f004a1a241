/**
 * One hazard: state (deadline and overdue from the server), photos, the server's timeline, this
 * device's pending actions, refusals and conflicts, and the lifecycle actions the user may take
 * now — each asking for what it needs (grade, reason, photos before/after, …).
 */
package cn.gridpatrol.app.ui.screens

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.material3.Button
import androidx.compose.material3.FilterChip
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
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
import cn.gridpatrol.core.HazardGrade
import cn.gridpatrol.viewmodel.hazards.ActionInput
import cn.gridpatrol.viewmodel.hazards.ActionInputs
import cn.gridpatrol.viewmodel.hazards.HazardDetailViewModel
import cn.gridpatrol.viewmodel.hazards.buildAction
import cn.gridpatrol.viewmodel.hazards.inputFor

@Composable
fun HazardDetailScreen(detail: HazardDetailViewModel, onPhoto: () -> Unit, onBack: () -> Unit) {
    val state by detail.state.collectAsStateWithLifecycle()
    LaunchedEffect(detail) { detail.start() }
    var chosen by remember { mutableStateOf<String?>(null) }
    var text by remember { mutableStateOf("") }
    var grade by remember { mutableStateOf(HazardGrade.GENERAL) }
    var before by remember { mutableStateOf(setOf<String>()) }
    var after by remember { mutableStateOf(setOf<String>()) }
    val hazard = state.detail?.state
    ScreenScaffold(title = hazard?.areaName ?: "", onBack = onBack) { padding ->
        LazyColumn(Modifier.padding(padding).fillMaxWidth()) {
            hazard?.let { h ->
                item {
                    Column(Modifier.padding(16.dp)) {
                        Text((h.venueName ?: h.venueId) + " · " + h.status.name, style = MaterialTheme.typography.titleMedium)
                        h.note?.let { Text(it) }
                        h.deadline?.let { Text(stringResource(R.string.hazard_deadline, it), color = if (h.overdue) MaterialTheme.colorScheme.error else MaterialTheme.colorScheme.onSurface) }
                        if (h.evidencePending) Text(stringResource(R.string.hazard_evidence_pending), style = MaterialTheme.typography.bodySmall)
                        Text(stringResource(R.string.hazard_photos, state.findingPhotos.size + state.hazardPhotos.size))
                        OutlinedButton(onClick = onPhoto) { Text(stringResource(R.string.photo_take)) }
                    }
                }
            }
            item { ErrorBanner(state.error) }
            item {
                Row(Modifier.padding(8.dp), horizontalArrangement = Arrangement.spacedBy(6.dp)) {
                    state.availableActions.forEach { name ->
                        FilterChip(selected = chosen == name, onClick = { chosen = name }, label = { Text(name) })
                    }
                }
            }
            chosen?.let { name ->
                item {
                    Column(Modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(6.dp)) {
                        when (inputFor(name)) {
                            ActionInput.GRADE -> Row {
                                HazardGrade.entries.forEach { g -> FilterChip(selected = grade == g, onClick = { grade = g }, label = { Text(g.name) }) }
                            }
                            ActionInput.PHOTOS, ActionInput.PHOTOS_BEFORE_AFTER -> state.hazardPhotos.forEach { photo ->
                                Row {
                                    FilterChip(selected = photo.sha256 in before, onClick = { before = before xor photo.sha256 }, label = { Text(stringResource(R.string.hazard_photo_before, photo.sha256.take(8))) })
                                    if (inputFor(name) == ActionInput.PHOTOS_BEFORE_AFTER) {
                                        FilterChip(selected = photo.sha256 in after, onClick = { after = after xor photo.sha256 }, label = { Text(stringResource(R.string.hazard_photo_after)) })
                                    }
                                }
                            }
                            ActionInput.NONE, ActionInput.SUPERVISE -> Unit
                            else -> OutlinedTextField(value = text, onValueChange = { text = it }, label = { Text(stringResource(R.string.hazard_action_text)) })
                        }
                        Button(
                            onClick = {
                                buildAction(name, ActionInputs(grade = grade, text = text, photos = before.toList(), photosAfter = after.toList()))
                                    ?.let { detail.act(it, null) }
                                chosen = null
                            },
                            enabled = !state.acting,
                        ) { Text(stringResource(R.string.hazard_apply)) }
                    }
                }
            }
            val d = state.detail
            if (d != null) {
                item { Text(stringResource(R.string.hazard_timeline), style = MaterialTheme.typography.titleMedium, modifier = Modifier.padding(16.dp)) }
                items(d.timeline) { step -> Text(step.at + " · " + step.action + " · " + step.by, Modifier.padding(16.dp, 4.dp)) }
                items(d.pendingActions) { pending ->
                    Text(stringResource(R.string.hazard_pending, pending.toStatus.name, pending.recordedAt), Modifier.padding(16.dp, 4.dp))
                }
                items(d.refusals + d.conflicts) { refusal ->
                    Text(refusal.reason, Modifier.padding(16.dp, 4.dp), color = MaterialTheme.colorScheme.error)
                }
            }
        }
    }
}

private infix fun Set<String>.xor(value: String) = if (value in this) this - value else this + value
