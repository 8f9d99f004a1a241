// Pure helpers of the checklist screen: items grouped by hazard area in checklist order, and
// what still blocks finishing (unanswered items; failed items whose checklist entry asks for a
// photo and have none: the core refuses those too, this lets the screen say so beforehand).

import Foundation
import GridPatrolCore

/// One area of the checklist (e.g. 疏散通道 escape routes) and its items.
public struct ChecklistSection: Equatable, Sendable {
    public let area: String
    public let areaName: String
    public let entries: [ChecklistEntry]

    public var answeredCount: Int {
        entries.filter { $0.answer != nil }.count
    }
}

/// Why an inspection cannot be finished yet. (Kotlin: a sealed class with two data classes.)
public enum FinishBlocker: Equatable, Sendable {
    case unanswered(itemId: String, title: String)
    /// Failed, and the checklist asks for a photo of the failure.
    case photoMissing(itemId: String, title: String)

    public var itemId: String {
        switch self {
        case let .unanswered(itemId, _), let .photoMissing(itemId, _): return itemId
        }
    }

    public var title: String {
        switch self {
        case let .unanswered(_, title), let .photoMissing(_, title): return title
        }
    }
}

/// Groups `entries` by area, keeping the checklist's order of areas and items.
public func checklistSections(_ entries: [ChecklistEntry]) -> [ChecklistSection] {
    var order: [String] = []
    var byArea: [String: [ChecklistEntry]] = [:]
    for entry in entries {
        if byArea[entry.area] == nil { order.append(entry.area) }
        byArea[entry.area, default: []].append(entry)
    }
    return order.map { area in
        let items = byArea[area] ?? []
        return ChecklistSection(area: area, areaName: items[0].areaName, entries: items)
    }
}

/// Everything that keeps the inspection from being finished, in checklist order.
public func finishBlockers(_ entries: [ChecklistEntry]) -> [FinishBlocker] {
    entries.compactMap { entry in
        if entry.answer == nil { return .unanswered(itemId: entry.itemId, title: entry.title) }
        if needsPhoto(entry) { return .photoMissing(itemId: entry.itemId, title: entry.title) }
        return nil
    }
}

/// A failed item that asks for a photo and has none yet.
public func needsPhoto(_ entry: ChecklistEntry) -> Bool {
    entry.answer?.verdict == .fail && entry.photoOnFail && entry.photoCount == 0
}
