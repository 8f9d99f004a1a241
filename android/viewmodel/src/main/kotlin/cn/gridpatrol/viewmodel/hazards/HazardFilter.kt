/**
 * The hazard ledger's filter menus (隐患台账: by grid, hazard area, venue type, status): the
 * choices come from the ledger itself (the core's counts per group), each with its label in the
 * app's language and how many hazards it holds.
 */
package cn.gridpatrol.viewmodel.hazards

import cn.gridpatrol.core.LedgerCount
import cn.gridpatrol.core.LedgerFilter
import cn.gridpatrol.core.LedgerGroup

/** A filter choice: its value, its label and how many hazards (open / overdue) it has. */
data class FilterOption(val value: String, val label: String, val total: Int, val open: Int, val overdue: Int)

/** The choices of each filter menu. */
data class HazardFilterOptions(
    val grids: List<FilterOption> = emptyList(),
    val areas: List<FilterOption> = emptyList(),
    val venueTypes: List<FilterOption> = emptyList(),
    val statuses: List<FilterOption> = emptyList(),
) {
    companion object {
        /** The groups the menus are built from, in the order [of] expects them. */
        val GROUPS = listOf(LedgerGroup.GRID, LedgerGroup.AREA, LedgerGroup.VENUE_TYPE, LedgerGroup.STATUS)

        /** Menus from the counts of [GROUPS], in that order. */
        fun of(counts: List<List<LedgerCount>>): HazardFilterOptions {
            val menus = counts.map { group -> group.map { FilterOption(it.key, it.label, it.total.toInt(), it.open.toInt(), it.overdue.toInt()) } }
            return HazardFilterOptions(menus[0], menus[1], menus[2], menus[3])
        }
    }
}

/** True when no field of the filter narrows the ledger. */
val LedgerFilter.isEmpty: Boolean
    get() = this == LedgerFilter()
