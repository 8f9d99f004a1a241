// The base of every view model: one value-type UI state, published on the main actor, and
// actions that return their Task so tests (and previews) can wait for them. Plain Swift and
// Combine, no UIKit or SwiftUI: the view models compile and run on macOS as well as iOS.

import Combine
import Foundation
import GridPatrolCore

/// Holds `state`; subclasses change it with `setState` and run work with `launchAction`.
/// (Kotlin: `StateViewModel<S>` with a `StateFlow`; here `@Published` drives SwiftUI.)
@MainActor
public class StateViewModel<State>: ObservableObject {
    /// What the screen renders.
    @Published public private(set) var state: State

    private var subscriptions: [AnyCancellable] = []
    private var inFlight: [UUID: Task<Void, Never>] = [:]

    init(_ initial: State) {
        state = initial
    }

    /// Replaces the state with `change` applied to a copy of it (one change notification).
    func setState(_ change: (inout State) -> Void) {
        var next = state
        change(&next)
        state = next
    }

    /// Launches an action on the main actor; the screen ignores the Task, tests await its value.
    @discardableResult
    func launchAction(_ block: @escaping @Sendable @MainActor () async -> Void) -> Task<Void, Never> {
        let id = UUID()
        let task = Task { @MainActor [weak self] in
            await block()
            self?.inFlight[id] = nil
        }
        inFlight[id] = task
        return task
    }

    /// Follows a publisher (core events, another view model's state) until `cancelAll`. Every
    /// publisher followed here delivers on the main thread (the core's events hop there first).
    func follow<P: Publisher>(_ publisher: P, _ receive: @escaping @MainActor (P.Output) -> Void)
    where P.Failure == Never {
        publisher
            .sink { value in MainActor.assumeIsolated { receive(value) } }
            .store(in: &subscriptions)
    }

    /// Re-runs `reload` whenever the core reports an event that makes this screen `stale`.
    func reloadOn(
        _ session: CoreSession,
        _ stale: @escaping (CoreEvent) -> Bool,
        _ reload: @escaping @MainActor () -> Void
    ) {
        follow(session.events) { event in
            if stale(event) { reload() }
        }
    }

    /// Runs `block`, turning any core or platform failure into a failed Result; the screens
    /// show its `uiError()`, nothing is thrown at them.
    func attempt<T>(_ block: () async throws -> T) async -> Result<T, Error> {
        do {
            return .success(try await block())
        } catch {
            return .failure(error)
        }
    }

    /// Reads one list (or value) from the core into `field`, keeping what was there when the
    /// read fails, and sets `error` to the failure (nil on success): every list screen's load.
    func loadField<T: Sendable>(
        _ session: CoreSession,
        _ field: WritableKeyPath<State, T>,
        error: WritableKeyPath<State, UiError?>,
        _ read: @escaping @Sendable (GridPatrol) throws -> T
    ) async {
        let loaded = await attempt { try await session.call(read) }
        setState {
            if let value = loaded.getOrNull() { $0[keyPath: field] = value }
            $0[keyPath: error] = loaded.uiError()
        }
    }

    /// Stops following and cancels the actions still running (the session is closing).
    func cancelAll() {
        subscriptions.removeAll()
        inFlight.values.forEach { $0.cancel() }
        inFlight.removeAll()
    }
}

public extension Result {
    /// The error of a failed Result as the screens show it (none for a cancelled action).
    func uiError() -> UiError? {
        guard case let .failure(error) = self, !(error is CancellationError) else { return nil }
        return UiError.from(error)
    }
}

extension Result {
    /// The value, or nil when failed (Kotlin's `Result.getOrNull()`).
    func getOrNull() -> Success? {
        try? get()
    }

    var isSuccess: Bool {
        if case .success = self { return true }
        return false
    }

    var isFailure: Bool { !isSuccess }
}
