/**
 * Pure helpers of the checklist screen: items grouped by hazard area in checklist order, and
 * what still blocks finishing (unanswered items; failed items whose checklist entry asks for a
 * photo and have none: the core refuses those too, this lets the screen say so beforehand).
 */
package cn.gridpatrol.viewmodel.inspect

import cn.gridpatrol.core.ChecklistEntry
import cn.gridpatrol.core.Verdict

/** One area of the checklist (e.g. 疏散通道 escape routes) and its items. */
data class ChecklistSection(val area: String, val areaName: String, val entries: List<ChecklistEntry>) {
    val answeredCount: Int
        get() = entries.count { it.answer != null }
}

/** Why an inspection cannot be finished yet. */
sealed class FinishBlocker {
    abstract val itemId: String
    abstract val title: String

    data class Unanswered(override val itemId: String, override val title: String) : FinishBlocker()

    /** Failed, and the checklist asks for a photo of the failure. */
    data class PhotoMissing(override val itemId: String, override val title: String) : FinishBlocker()
}

/** Groups [entries] by area, keeping the checklist's order of areas and items. */
fun checklistSections(entries: List<ChecklistEntry>): List<ChecklistSection> =
    entries.groupBy { it.area }.map { (area, items) -> ChecklistSection(area, items.first().areaName, items) }

/** Everything that keeps the inspection from being finished, in checklist order. */
fun finishBlockers(entries: List<ChecklistEntry>): List<FinishBlocker> = entries.mapNotNull { entry ->
    val answer = entry.answer
    when {
        answer == null -> FinishBlocker.Unanswered(entry.itemId, entry.title)
        needsPhoto(entry) -> FinishBlocker.PhotoMissing(entry.itemId, entry.title)
        else -> null
    }
}

/** A failed item that asks for a photo and has none yet. */
fun needsPhoto(entry: ChecklistEntry): Boolean =
    entry.answer?.verdict == Verdict.FAIL && entry.photoOnFail && entry.photoCount == 0u
