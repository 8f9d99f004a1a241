/**
 * The warning (预警) a supervisor is writing on the issue-warning screen, before
 * WarningsViewModel.issue: level, type, the grids chosen among their street's (none: all of
 * them), the text, and the minutes each recipient has to acknowledge (叫应).
 */
package cn.gridpatrol.viewmodel.warnings

import cn.gridpatrol.core.WarningLevel
import cn.gridpatrol.core.WarningType

data class WarningDraft(
    val level: WarningLevel = WarningLevel.YELLOW,
    val type: WarningType = WarningType.RAINSTORM,
    /** Grids chosen among the supervisor's own, in the order chosen; none: all of them. */
    val grids: List<String> = emptyList(),
    val text: String = "",
    val ackWithinMinutes: Int = DEFAULT_ACK_MINUTES,
) {
    /** There is something to say, and the minutes to acknowledge are within [ACK_MINUTES]. */
    val canIssue: Boolean
        get() = text.isNotBlank() && ackWithinMinutes in ACK_MINUTES

    /** Chooses [grid], or unchooses it when it was chosen. */
    fun toggleGrid(grid: String): WarningDraft =
        copy(grids = if (grid in grids) grids - grid else grids + grid)

    companion object {
        const val DEFAULT_ACK_MINUTES = 30

        /** The minutes to acknowledge the form offers (the core takes 1 up to its own maximum). */
        val ACK_MINUTES = 5..240

        /** The minutes control moves by this much. */
        const val ACK_MINUTES_STEP = 5
    }
}
