package cn.gridpatrol.viewmodel.test

import cn.gridpatrol.viewmodel.warnings.WarningDraft
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertTrue
import org.junit.Test

/** The issue-warning form: what it starts with, when it may be issued, choosing grids. */
class WarningDraftTest {
    @Test
    fun aNewDraftWaitsForItsText() {
        val draft = WarningDraft()
        assertEquals(30, draft.ackWithinMinutes)
        assertEquals(emptyList<String>(), draft.grids)
        assertFalse(draft.canIssue)
        assertFalse(draft.copy(text = " \n\t").canIssue)
        assertTrue(draft.copy(text = "暴雨蓝色预警，请检查地下空间").canIssue)
    }

    @Test
    fun minutesToAcknowledgeStayWithinTheFormsRange() {
        val written = WarningDraft(text = "大风")
        assertTrue(written.copy(ackWithinMinutes = 5).canIssue)
        assertTrue(written.copy(ackWithinMinutes = 240).canIssue)
        assertFalse(written.copy(ackWithinMinutes = 4).canIssue)
        assertFalse(written.copy(ackWithinMinutes = 241).canIssue)
        assertFalse(written.copy(ackWithinMinutes = 0).canIssue)
        val range = WarningDraft.ACK_MINUTES
        assertEquals(0, (range.last - range.first) % WarningDraft.ACK_MINUTES_STEP)
        assertEquals(0, (WarningDraft.DEFAULT_ACK_MINUTES - range.first) % WarningDraft.ACK_MINUTES_STEP)
    }

    @Test
    fun tappingAGridChoosesItAndTappingAgainLetsItGo() {
        val draft = WarningDraft()
            .toggleGrid("劲松三区-03")
            .toggleGrid("劲松三区-01")
        assertEquals(listOf("劲松三区-03", "劲松三区-01"), draft.grids)
        val back = draft.toggleGrid("劲松三区-03")
        assertEquals(listOf("劲松三区-01"), back.grids)
        assertEquals(emptyList<String>(), back.toggleGrid("劲松三区-01").grids)
    }
}
