// The home screen's venue list: each venue of the worker's list with its open inspection and
// when it was last inspected, ordered for the day: inspections in progress first, then venues
// not yet inspected today by risk colour (red first), then the rest.

import Foundation
import GridPatrolCore

/// One venue on the home screen.
public struct VenueRow: Equatable, Sendable {
    public let venue: VenueRecord
    /// The inspection in progress there, to continue.
    public let openInspectionId: String?
    /// When the last inspection there started (UTC RFC 3339), if any.
    public let lastInspectedAt: String?
    /// An inspection there started today (the phone's local date).
    public let inspectedToday: Bool
}

/// Builds and orders the rows; `today` (year, month, day) and `zone` decide "today".
/// (Kotlin takes a `LocalDate` and a `ZoneId`.)
public func venueRows(
    _ venues: [VenueRecord],
    _ inspections: [InspectionRecord],
    _ today: DateComponents,
    _ zone: TimeZone
) -> [VenueRow] {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = zone
    let parser = ISO8601DateFormatter()
    parser.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    func isToday(_ rfc3339: String) -> Bool {
        guard let date = parser.date(from: rfc3339) else { return false }
        let day = calendar.dateComponents([.year, .month, .day], from: date)
        return day.year == today.year && day.month == today.month && day.day == today.day
    }

    let byVenue = Dictionary(grouping: inspections, by: \.venueId)
    let rows = venues.map { venue in
        let mine = byVenue[venue.venueId] ?? []
        return VenueRow(
            venue: venue,
            openInspectionId: mine.first { $0.status == .inProgress }?.inspectionId,
            lastInspectedAt: mine.map(\.startedAt).max(),
            inspectedToday: mine.contains { isToday($0.startedAt) }
        )
    }
    func rank(_ row: VenueRow) -> Int {
        row.openInspectionId != nil ? 0 : !row.inspectedToday ? 1 : 2
    }
    // Sorted by (rank, risk, name), ties kept in list order as Kotlin's stable sort does.
    return rows.enumerated().sorted { a, b in
        let left = (rank(a.element), riskOrder(a.element.venue.riskColour), a.element.venue.name, a.offset)
        let right = (rank(b.element), riskOrder(b.element.venue.riskColour), b.element.venue.name, b.offset)
        return left < right
    }.map(\.element)
}

private func riskOrder(_ colour: RiskColour) -> Int {
    switch colour {
    case .red: return 0
    case .orange: return 1
    case .yellow: return 2
    case .blue: return 3
    }
}
