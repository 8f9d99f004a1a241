// Errors as the screens show them: what kind (so a screen can choose its words and whether to
// offer "try again") and the core's reason sentence (names ids and items, never people).

import Foundation
import GridPatrolCore

/// What the user can do about an error; the screens map each to a localised title.
public enum ErrorKind: Equatable, Sendable {
    /// Fix the input the reason names.
    case invalidInput
    /// The thing is gone or not on this device (e.g. a venue of another grid: sync first).
    case notFound
    /// Clashes with the current state (e.g. the inspection is already finished).
    case conflict
    /// The phone's storage failed (full disk, closed database).
    case storage
    /// No network or a failing server: try again later; the work is kept.
    case network
    /// The server refused (unknown enrollment code, forged venue code).
    case rejected
    /// A bug: the core panicked or the platform failed unexpectedly.
    case `internal`
}

/// One error for a screen.
public struct UiError: Equatable, Sendable, Error {
    public let kind: ErrorKind
    public let reason: String

    public init(kind: ErrorKind, reason: String) {
        self.kind = kind
        self.reason = reason
    }

    /// Maps anything a core call can throw. A Rust panic arrives as uniffi's internal error.
    public static func from(_ error: Error) -> UiError {
        switch error {
        case let error as UiError:
            return error
        case let GridPatrolError.InvalidInput(reason):
            return UiError(kind: .invalidInput, reason: reason)
        case let GridPatrolError.NotFound(reason):
            return UiError(kind: .notFound, reason: reason)
        case let GridPatrolError.Conflict(reason):
            return UiError(kind: .conflict, reason: reason)
        case let GridPatrolError.Storage(reason):
            return UiError(kind: .storage, reason: reason)
        case let GridPatrolError.Network(reason):
            return UiError(kind: .network, reason: reason)
        case let GridPatrolError.Rejected(reason):
            return UiError(kind: .rejected, reason: reason)
        default:
            return UiError(kind: .internal, reason: error.localizedDescription)
        }
    }
}
