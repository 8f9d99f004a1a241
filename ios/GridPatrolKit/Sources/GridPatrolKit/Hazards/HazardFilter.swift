// The hazard ledger's filter menus (隐患台账: by grid, hazard area, venue type, status): the
// choices come from the ledger itself (the core's counts per group), each with its label in the
// app's language and how many hazards it holds.

import Foundation
import GridPatrolCore

/// A filter choice: its value, its label and how many hazards (open / overdue) it has.
public struct FilterOption: Equatable, Sendable {
    public let value: String
    public let label: String
    public let total: Int
    public let open: Int
    public let overdue: Int
}

/// The choices of each filter menu.
public struct HazardFilterOptions: Equatable, Sendable {
    public var grids: [FilterOption] = []
    public var areas: [FilterOption] = []
    public var venueTypes: [FilterOption] = []
    public var statuses: [FilterOption] = []

    /// The groups the menus are built from, in the order `of` expects them.
    public static let groups: [LedgerGroup] = [.grid, .area, .venueType, .status]

    /// Menus from the counts of `groups`, in that order.
    public static func of(_ counts: [[LedgerCount]]) -> HazardFilterOptions {
        let menus = counts.map { group in
            group.map {
                FilterOption(value: $0.key, label: $0.label, total: Int($0.total), open: Int($0.open), overdue: Int($0.overdue))
            }
        }
        return HazardFilterOptions(grids: menus[0], areas: menus[1], venueTypes: menus[2], statuses: menus[3])
    }
}

public extension LedgerFilter {
    /// True when no field of the filter narrows the ledger.
    var isEmpty: Bool { self == LedgerFilter() }
}
