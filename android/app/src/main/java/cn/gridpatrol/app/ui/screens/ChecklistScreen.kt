/**
 * The checklist: items grouped by area; pass / fail / N/A per item, a note, the suspected-major
 * mark where an item may be major, and a photo button for failed items (required ones block
 * "finish" until taken, and the blockers are listed). Proof of presence is flagged, not blocking.
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
import androidx.compose.material3.Checkbox
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
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import cn.gridpatrol.app.R
import cn.gridpatrol.app.ui.ErrorBanner
import cn.gridpatrol.app.ui.ScreenScaffold
import cn.gridpatrol.core.ChecklistEntry
import cn.gridpatrol.core.Verdict
import cn.gridpatrol.viewmodel.inspect.ChecklistViewModel
import cn.gridpatrol.viewmodel.inspect.FinishBlocker
import cn.gridpatrol.viewmodel.inspect.needsPhoto

@Composable
fun ChecklistScreen(checklist: ChecklistViewModel, onPhoto: (itemId: String) -> Unit, onBack: () -> Unit) {
    val state by checklist.state.collectAsStateWithLifecycle()
    LaunchedEffect(checklist) { checklist.start() }
    ScreenScaffold(title = state.inspection?.venueName ?: "", onBack = onBack) { padding ->
        LazyColumn(Modifier.padding(padding).fillMaxWidth()) {
            if (state.presenceFlagged) item { Text(stringResource(R.string.checklist_presence_flagged), Modifier.padding(16.dp)) }
            item { ErrorBanner(state.error) }
            state.sections.forEach { section ->
                item(key = "area-" + section.area) {
                    Text(
                        section.areaName + " (" + section.answeredCount + "/" + section.entries.size + ")",
                        style = MaterialTheme.typography.titleMedium,
                        modifier = Modifier.padding(16.dp, 12.dp, 16.dp, 4.dp),
                    )
                }
                items(section.entries, key = { it.itemId }) { entry ->
                    ChecklistItem(entry, state.editable, checklist, onPhoto)
                }
            }
            item {
                Column(Modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(4.dp)) {
                    state.blockers.forEach { blocker ->
                        val text = when (blocker) {
                            is FinishBlocker.Unanswered -> stringResource(R.string.checklist_unanswered, blocker.title)
                            is FinishBlocker.PhotoMissing -> stringResource(R.string.checklist_photo_missing, blocker.title)
                        }
                        Text(text, style = MaterialTheme.typography.bodySmall, color = MaterialTheme.colorScheme.error)
                    }
                    state.summary?.let { Text(stringResource(R.string.checklist_finished, it.hazards.size)) }
                    if (state.editable) {
                        Button(onClick = { checklist.finish() }, enabled = state.canFinish) { Text(stringResource(R.string.checklist_finish)) }
                    }
                }
            }
        }
    }
}

@Composable
private fun ChecklistItem(entry: ChecklistEntry, editable: Boolean, checklist: ChecklistViewModel, onPhoto: (String) -> Unit) {
    val answer = entry.answer
    var note by remember(entry.itemId, answer?.note) { mutableStateOf(answer?.note.orEmpty()) }
    Column(Modifier.fillMaxWidth().padding(16.dp, 6.dp)) {
        Text(entry.itemId + " " + entry.title)
        Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            for ((verdict, label) in listOf(Verdict.PASS to R.string.verdict_pass, Verdict.FAIL to R.string.verdict_fail, Verdict.NA to R.string.verdict_na)) {
                FilterChip(
                    selected = answer?.verdict == verdict,
                    onClick = { checklist.answer(entry.itemId, verdict) },
                    label = { Text(stringResource(label)) },
                    enabled = editable,
                )
            }
        }
        if (answer != null) {
            OutlinedTextField(
                value = note,
                onValueChange = { note = it },
                label = { Text(stringResource(R.string.checklist_note)) },
                enabled = editable,
                modifier = Modifier.fillMaxWidth(),
                trailingIcon = {
                    if (editable && note != answer.note.orEmpty()) {
                        OutlinedButton(onClick = { checklist.setNote(entry.itemId, note) }) { Text(stringResource(R.string.save)) }
                    }
                },
            )
        }
        if (answer?.verdict == Verdict.FAIL) {
            if (entry.mayBeMajor) {
                Row(verticalAlignment = Alignment.CenterVertically) {
                    Checkbox(
                        checked = answer.suspectedMajor,
                        onCheckedChange = { checklist.setSuspectedMajor(entry.itemId, it) },
                        enabled = editable,
                    )
                    Text(stringResource(R.string.checklist_suspected_major))
                }
            }
            Row(verticalAlignment = Alignment.CenterVertically, horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                OutlinedButton(onClick = { onPhoto(entry.itemId) }, enabled = editable) {
                    Text(stringResource(R.string.checklist_photo, entry.photoCount.toInt()))
                }
                if (needsPhoto(entry)) Text(stringResource(R.string.checklist_photo_required), color = MaterialTheme.colorScheme.error)
            }
        }
    }
}
