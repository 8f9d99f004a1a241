/**
 * The venue card: details, responsible person, risk colour, its inspections and hazards on this
 * device; start or continue an inspection without a scan when the posted code is missing.
 */
package cn.gridpatrol.app.ui.screens

import androidx.compose.foundation.clickable
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.material3.Button
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import cn.gridpatrol.app.R
import cn.gridpatrol.app.ui.ErrorBanner
import cn.gridpatrol.app.ui.ScreenScaffold
import cn.gridpatrol.app.ui.riskColor
import cn.gridpatrol.viewmodel.venue.VenueViewModel

@Composable
fun VenueScreen(venue: VenueViewModel, onInspection: (String) -> Unit, onHazard: (String) -> Unit, onBack: () -> Unit) {
    val state by venue.state.collectAsStateWithLifecycle()
    LaunchedEffect(venue) { venue.load() }
    LaunchedEffect(state.opened) {
        state.opened?.let {
            venue.onOpenedShown()
            onInspection(it.inspectionId)
        }
    }
    ScreenScaffold(title = state.venue?.name ?: "", onBack = onBack) { padding ->
        LazyColumn(Modifier.padding(padding).fillMaxWidth()) {
            state.venue?.let { v ->
                item {
                    Column(Modifier.padding(16.dp)) {
                        Text(v.venueTypeName + " · " + v.industry, color = riskColor(v.riskColour))
                        Text(v.address)
                        Text(listOf(v.district, v.street, v.community, v.grid).joinToString(" › "), style = MaterialTheme.typography.bodySmall)
                        v.responsibleName?.let { Text(stringResource(R.string.venue_responsible, it)) }
                        Button(onClick = { venue.startInspection() }) {
                            Text(stringResource(if (state.openInspection != null) R.string.venue_continue else R.string.venue_start))
                        }
                    }
                }
            }
            item { ErrorBanner(state.error) }
            item { Text(stringResource(R.string.venue_inspections), style = MaterialTheme.typography.titleMedium, modifier = Modifier.padding(16.dp)) }
            items(state.inspections, key = { it.inspectionId }) { inspection ->
                Text(
                    inspection.startedAt + " · " + inspection.answeredCount + "/" + inspection.itemCount,
                    Modifier.fillMaxWidth().clickable { onInspection(inspection.inspectionId) }.padding(16.dp, 8.dp),
                )
            }
            item { Text(stringResource(R.string.hazards_title), style = MaterialTheme.typography.titleMedium, modifier = Modifier.padding(16.dp)) }
            items(state.hazards, key = { it.hazardId }) { hazard ->
                Text(
                    hazard.itemTitle + " · " + hazard.status,
                    Modifier.fillMaxWidth().clickable { onHazard(hazard.hazardId) }.padding(16.dp, 8.dp),
                )
            }
        }
    }
}
