package cn.gridpatrol.viewmodel.test

import cn.gridpatrol.core.HazardAction
import cn.gridpatrol.core.HazardGrade
import cn.gridpatrol.core.InspectionRecord
import cn.gridpatrol.core.InspectionStatus
import cn.gridpatrol.core.RiskColour
import cn.gridpatrol.core.VenueRecord
import cn.gridpatrol.viewmodel.hazards.ActionInput
import cn.gridpatrol.viewmodel.hazards.ActionInputs
import cn.gridpatrol.viewmodel.hazards.buildAction
import cn.gridpatrol.viewmodel.hazards.inputFor
import cn.gridpatrol.viewmodel.home.venueRows
import java.time.LocalDate
import java.time.ZoneId
import org.junit.Assert.assertEquals
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Test

/** The home screen's order of the day and the lifecycle actions the hazard screen builds. */
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

    @Test
    fun everyLifecycleActionNameBuildsItsAction() {
        val names = listOf(
            "verify", "confirm", "dismiss", "merge", "fix_on_site", "assign", "start", "request_recheck",
            "recheck_pass", "recheck_fail", "refer", "close", "supervise", "escalate", "resolve_conflict",
        )
        for (name in names) assertTrue(name, buildAction(name, ActionInputs()) != null)
        assertNull(buildAction("teleport", ActionInputs()))
        assertEquals(HazardAction.Confirm(HazardGrade.SUSPECTED_MAJOR), buildAction("confirm", ActionInputs(grade = HazardGrade.SUSPECTED_MAJOR)))
        assertEquals(HazardAction.RecheckPass(listOf("ab")), buildAction("recheck_pass", ActionInputs(photos = listOf("ab"))))
        assertEquals(ActionInput.PHOTOS, inputFor("recheck_fail"))
        assertEquals(ActionInput.NONE, inputFor("close"))
    }
}
