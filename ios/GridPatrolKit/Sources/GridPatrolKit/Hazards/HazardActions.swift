// What the hazard detail screen must ask before it can take each lifecycle action: nothing, a
// grade, a reason, photos (re-check), photos before and after (fix on site), an owner, a
// department. The core says which actions the user may take now (`availableActions`); this
// says what each needs, and builds the action from what was asked.

import Foundation
import GridPatrolCore

/// The input an action needs.
public enum ActionInput: Equatable, Sendable {
    case none, grade, reason, photos, photosBeforeAfter, ownerDeadline, department, supervise, conflict, hazardId
}

/// What the screen collected for an action (unused fields stay empty).
public struct ActionInputs: Equatable, Sendable {
    public var grade: HazardGrade
    public var text: String
    public var photos: [String]
    public var photosAfter: [String]
    public var deadline: String?
    public var on: Bool

    public init(
        grade: HazardGrade = .general,
        text: String = "",
        photos: [String] = [],
        photosAfter: [String] = [],
        deadline: String? = nil,
        on: Bool = true
    ) {
        self.grade = grade
        self.text = text
        self.photos = photos
        self.photosAfter = photosAfter
        self.deadline = deadline
        self.on = on
    }
}

/// The input the action named `name` (as `availableActions` spells it) needs.
public func inputFor(_ name: String) -> ActionInput {
    switch name {
    case "confirm": return .grade
    case "dismiss": return .reason
    case "merge": return .hazardId
    case "fix_on_site": return .photosBeforeAfter
    case "assign": return .ownerDeadline
    case "recheck_pass", "recheck_fail": return .photos
    case "refer": return .department
    case "supervise": return .supervise
    case "resolve_conflict": return .conflict
    default: return .none
    }
}

/// Builds the action named `name` from `inputs`; nil for a name this app does not know.
public func buildAction(_ name: String, _ inputs: ActionInputs) -> HazardAction? {
    switch name {
    case "verify": return .verify
    case "confirm": return .confirm(grade: inputs.grade)
    case "dismiss": return .dismiss(reason: inputs.text)
    case "merge": return .merge(intoHazardId: inputs.text)
    case "fix_on_site": return .fixOnSite(before: inputs.photos, after: inputs.photosAfter)
    case "assign": return .assign(owner: inputs.text, deadline: inputs.deadline)
    case "start": return .start
    case "request_recheck": return .requestRecheck
    case "recheck_pass": return .recheckPass(photos: inputs.photos)
    case "recheck_fail": return .recheckFail(photos: inputs.photos)
    case "refer": return .refer(department: inputs.text)
    case "close": return .close
    case "supervise": return .supervise(on: inputs.on)
    case "escalate": return .escalate
    case "resolve_conflict": return .resolveConflict(keepEventId: inputs.text)
    default: return nil
    }
}
