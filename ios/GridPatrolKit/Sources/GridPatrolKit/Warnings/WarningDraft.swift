// The warning (预警) a supervisor is writing on the issue-warning screen, before
// WarningsViewModel.issue: level, type, the grids chosen among their street's (none: all of
// them), the text, and the minutes each recipient has to acknowledge (叫应).

import Foundation
import GridPatrolCore

public struct WarningDraft: Equatable, Sendable {
    public var level: WarningLevel = .yellow
    public var type: WarningType = .rainstorm
    /// Grids chosen among the supervisor's own, in the order chosen; none: all of them.
    public var grids: [String] = []
    public var text = ""
    public var ackWithinMinutes = WarningDraft.defaultAckMinutes

    public init() {}

    /// There is something to say, and the minutes to acknowledge are within `ackMinutes`.
    public var canIssue: Bool {
        !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty && Self.ackMinutes.contains(ackWithinMinutes)
    }

    /// Chooses `grid`, or unchooses it when it was chosen.
    public func toggleGrid(_ grid: String) -> WarningDraft {
        var next = self
        if let chosen = grids.firstIndex(of: grid) {
            next.grids.remove(at: chosen)
        } else {
            next.grids.append(grid)
        }
        return next
    }

    public static let defaultAckMinutes = 30

    /// The minutes to acknowledge the form offers (the core takes 1 up to its own maximum).
    public static let ackMinutes = 5...240

    /// The minutes control moves by this much.
    public static let ackMinutesStep = 5
}
