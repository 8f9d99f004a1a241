package cn.gridpatrol.viewmodel.test

import cn.gridpatrol.core.HazardGrade
import cn.gridpatrol.core.HazardRecord
import cn.gridpatrol.core.InspectionRecord
import cn.gridpatrol.core.InspectionStatus
import cn.gridpatrol.core.RiskColour
import cn.gridpatrol.core.VenueRecord
import cn.gridpatrol.viewmodel.hazards.HazardFilter
import cn.gridpatrol.viewmodel.hazards.HazardFilterOptions
import cn.gridpatrol.viewmodel.home.venueRows
import java.time.LocalDate
import java.time.ZoneId
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertTrue
import org.junit.Test

/** The home screen's order of the day and the ledger's filters. */
class HomeAndHazardListsTest {
    private val beijing = ZoneId.of("Asia/Shanghai")

    private fun venue(id: String, colour: RiskColour) = VenueRecord(
        venueId = id, name = "venue $id", venueType = "small_shop", venueTypeName = "小商店", smallVenue = true,
        industry = "retail", address = "劲松", district = "朝阳区", street = "劲松街道", community = "劲松三区",
        grid = "劲松三区-03", location = null, responsibleName = null, responsiblePhone = null, riskColour = colour,
    )

    private fun inspection(venueId: String, startedAt: String, status: InspectionStatus) = InspectionRecord(
        inspectionId = "i-$venueId-$startedAt", venueId = venueId, venueName = "venue $venueId", templateId = "t",
        templateVersion = 1u, status = status, startedAt = startedAt, finishedAt = null,
        itemCount = 10u, answeredCount = 0u, failedCount = 0u,
    )

    @Test
    fun openInspectionsFirstThenUninspectedByRiskThenDone() {
        val venues = listOf(venue("A", RiskColour.BLUE), venue("B", RiskColour.RED), venue("C", RiskColour.RED), venue("D", RiskColour.YELLOW))
        val inspections = listOf(
            // 2026-11-28 00:30 in Beijing is still 2026-11-27 in UTC: "today" is the phone's local date.
            inspection("C", "2026-11-27T16:30:00.000Z", InspectionStatus.FINISHED),
            inspection("D", "2026-11-28T01:00:00.000Z", InspectionStatus.IN_PROGRESS),
            inspection("B", "2026-11-20T01:00:00.000Z", InspectionStatus.FINISHED),
        )
        val rows = venueRows(venues, inspections, LocalDate.of(2026, 11, 28), beijing)
        assertEquals(listOf("D", "B", "A", "C"), rows.map { it.venue.venueId })
        assertEquals(listOf(true, false, false, true), rows.map { it.inspectedToday })
        assertEquals("2026-11-20T01:00:00.000Z", rows[1].lastInspectedAt)
        assertTrue(rows[0].openInspectionId != null)
    }

    private fun hazard(id: String, grid: String, area: String, grade: HazardGrade, status: String) = HazardRecord(
        hazardId = id, venueId = "V", venueName = "venue", grid = grid, inspectionId = "i", itemId = "R01",
        itemTitle = "title", area = area, areaName = "name of $area", grade = grade, status = status, note = null,
        reportedAt = "2026-11-28T01:00:00.000Z",
    )

    @Test
    fun filtersCombineAndOptionsComeFromTheData() {
        val all = listOf(
            hazard("1", "g1", "escape_routes", HazardGrade.SUSPECTED_MAJOR, "REPORTED"),
            hazard("2", "g2", "electrical", HazardGrade.GENERAL, "CLOSED"),
            hazard("3", "g1", "electrical", HazardGrade.GENERAL, "IN_PROGRESS"),
        )
        fun shown(filter: HazardFilter) = all.filter(filter::matches).map { it.hazardId }
        assertEquals(listOf("1", "2", "3"), shown(HazardFilter()))
        assertEquals(listOf("1", "3"), shown(HazardFilter(grid = "g1")))
        assertEquals(listOf("3"), shown(HazardFilter(grid = "g1", area = "electrical")))
        assertEquals(listOf("1", "3"), shown(HazardFilter(openOnly = true)))
        assertEquals(listOf("1"), shown(HazardFilter(grade = HazardGrade.SUSPECTED_MAJOR)))
        val options = HazardFilterOptions.of(all)
        assertEquals(listOf("g1", "g2"), options.grids)
        assertEquals(listOf("CLOSED", "IN_PROGRESS", "REPORTED"), options.statuses)
        assertEquals(listOf("electrical", "escape_routes"), options.areas.map { it.value })
        assertFalse(options.areas.any { it.label.isEmpty() })
    }
}
