/**
 * The home screen's venue list: each venue of the worker's list with its open inspection and
 * when it was last inspected, ordered for the day: inspections in progress first, then venues
 * not yet inspected today by risk colour (red first), then the rest.
 */
package cn.gridpatrol.viewmodel.home

import cn.gridpatrol.core.InspectionRecord
import cn.gridpatrol.core.InspectionStatus
import cn.gridpatrol.core.RiskColour
import cn.gridpatrol.core.VenueRecord
import java.time.Instant
import java.time.LocalDate
import java.time.ZoneId

/** One venue on the home screen. */
data class VenueRow(
    val venue: VenueRecord,
    /** The inspection in progress there, to continue. */
    val openInspectionId: String?,
    /** When the last inspection there started (UTC RFC 3339), if any. */
    val lastInspectedAt: String?,
    /** An inspection there started today (the phone's local date). */
    val inspectedToday: Boolean,
)

/** Builds and orders the rows; [today] and [zone] decide "today". */
fun venueRows(
    venues: List<VenueRecord>,
    inspections: List<InspectionRecord>,
    today: LocalDate,
    zone: ZoneId,
): List<VenueRow> {
    val byVenue = inspections.groupBy { it.venueId }
    val rows = venues.map { venue ->
        val mine = byVenue[venue.venueId].orEmpty()
        val latest = mine.maxByOrNull { it.startedAt }
        VenueRow(
            venue = venue,
            openInspectionId = mine.firstOrNull { it.status == InspectionStatus.IN_PROGRESS }?.inspectionId,
            lastInspectedAt = latest?.startedAt,
            inspectedToday = mine.any { localDate(it.startedAt, zone) == today },
        )
    }
    return rows.sortedWith(
        compareBy<VenueRow> { if (it.openInspectionId != null) 0 else if (!it.inspectedToday) 1 else 2 }
            .thenBy { riskOrder(it.venue.riskColour) }
            .thenBy { it.venue.name },
    )
}

private fun riskOrder(colour: RiskColour) = when (colour) {
    RiskColour.RED -> 0
    RiskColour.ORANGE -> 1
    RiskColour.YELLOW -> 2
    RiskColour.BLUE -> 3
}

private fun localDate(rfc3339: String, zone: ZoneId): LocalDate? =
    runCatching { Instant.parse(rfc3339).atZone(zone).toLocalDate() }.getOrNull()
