/**
 * The hazard ledger's filters (隐患台账: by grid, status, hazard area and grade), applied to the
 * hazards this device holds, and the choices each filter offers (only values that occur).
 */
package cn.gridpatrol.viewmodel.hazards

import cn.gridpatrol.core.HazardGrade
import cn.gridpatrol.core.HazardRecord

/** Null fields do not filter. [openOnly] hides closed, dismissed and merged hazards. */
data class HazardFilter(
    val grid: String? = null,
    val status: String? = null,
    val area: String? = null,
    val grade: HazardGrade? = null,
    val openOnly: Boolean = false,
) {
    fun matches(hazard: HazardRecord): Boolean =
        (grid == null || hazard.grid == grid) &&
            (status == null || hazard.status == status) &&
            (area == null || hazard.area == area) &&
            (grade == null || hazard.grade == grade) &&
            (!openOnly || hazard.status !in TERMINAL_STATUSES)

    companion object {
        /** No action moves a hazard out of these (DOMAIN.md). */
        val TERMINAL_STATUSES = setOf("CLOSED", "DISMISSED", "MERGED")
    }
}

/** A filter choice: its code and label (e.g. `escape_routes`, 疏散通道). */
data class FilterOption(val value: String, val label: String)

/** The values present in [hazards], for the filter menus. */
data class HazardFilterOptions(
    val grids: List<String>,
    val statuses: List<String>,
    val areas: List<FilterOption>,
) {
    companion object {
        fun of(hazards: List<HazardRecord>) = HazardFilterOptions(
            grids = hazards.map { it.grid }.distinct().sorted(),
            statuses = hazards.map { it.status }.distinct().sorted(),
            areas = hazards.distinctBy { it.area }.map { FilterOption(it.area, it.areaName) }.sortedBy { it.value },
        )
    }
}
