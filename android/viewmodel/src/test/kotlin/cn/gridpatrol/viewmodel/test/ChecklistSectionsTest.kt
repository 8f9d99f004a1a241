package cn.gridpatrol.viewmodel.test

import cn.gridpatrol.core.AnswerRecord
import cn.gridpatrol.core.ChecklistEntry
import cn.gridpatrol.core.Verdict
import cn.gridpatrol.viewmodel.inspect.FinishBlocker
import cn.gridpatrol.viewmodel.inspect.checklistSections
import cn.gridpatrol.viewmodel.inspect.finishBlockers
import org.junit.Assert.assertEquals
import org.junit.Test

/** Grouping by area in checklist order, and what blocks finishing. */
class ChecklistSectionsTest {
    private fun entry(id: String, area: String, photoOnFail: Boolean, verdict: Verdict?, photos: Int = 0) = ChecklistEntry(
        itemId = id, area = area, areaName = "name of $area", title = "title $id",
        photoOnFail = photoOnFail, mayBeMajor = false,
        answer = verdict?.let { AnswerRecord(it, null, false, "2026-11-28T02:30:00.000Z") },
        photoCount = photos.toUInt(),
    )

    @Test
    fun sectionsKeepTheChecklistOrder() {
        val entries = listOf(
            entry("E01", "extinguishers", true, null),
            entry("R01", "escape_routes", true, null),
            entry("E02", "extinguishers", true, null),
        )
        val sections = checklistSections(entries)
        assertEquals(listOf("extinguishers", "escape_routes"), sections.map { it.area })
        assertEquals(listOf("E01", "E02"), sections[0].entries.map { it.itemId })
        assertEquals("name of escape_routes", sections[1].areaName)
    }

    @Test
    fun unansweredAndPhotolessFailuresBlockFinishing() {
        val entries = listOf(
            entry("E01", "a", photoOnFail = true, verdict = Verdict.FAIL),
            entry("E02", "a", photoOnFail = true, verdict = Verdict.FAIL, photos = 1),
            entry("G04", "a", photoOnFail = false, verdict = Verdict.FAIL),
            entry("P01", "a", photoOnFail = true, verdict = null),
            entry("P02", "a", photoOnFail = true, verdict = Verdict.NA),
        )
        assertEquals(
            listOf(FinishBlocker.PhotoMissing("E01", "title E01"), FinishBlocker.Unanswered("P01", "title P01")),
            finishBlockers(entries),
        )
        assertEquals(1, checklistSections(entries).single().entries.count { it.answer == null })
    }
}
