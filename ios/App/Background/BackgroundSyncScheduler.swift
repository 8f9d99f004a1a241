// Background sync through BGTaskScheduler (R5): an app-refresh task every ~15 minutes at the
// OS's discretion (pulls warnings that demand 叫应 and ledger changes, sends what is queued),
// and a processing task that needs network, requested whenever work waits in the outbox. Both run
// one core sync pass (`syncNow`). Photos go inside that pass (resumable HEAD + PATCH); handing
// them to a background URLSession is decided against for now in docs/adr/0014.

import BackgroundTasks
import Foundation
import GridPatrolKit
import os

final class BackgroundSyncScheduler: BackgroundSync, @unchecked Sendable {
    /// Also listed in Info.plist (`BGTaskSchedulerPermittedIdentifiers`, project.yml).
    static let refreshTask = "cn.gridpatrol.app.sync.refresh"
    static let processingTask = "cn.gridpatrol.app.sync.processing"
    private static let log = Logger(subsystem: "cn.gridpatrol.app", category: "background")

    /// Registers both tasks; must run before the app finishes launching. `pass` runs one sync
    /// pass and says whether the queue is done for now; `stop` cancels the pass in flight.
    @MainActor
    func register(pass: @escaping Pass, stop: @escaping Stop) {
        for identifier in [Self.refreshTask, Self.processingTask] {
            // Handlers are called on the main queue.
            let registered = BGTaskScheduler.shared.register(forTaskWithIdentifier: identifier, using: .main) { [self] task in
                MainActor.assumeIsolated { run(task, pass: pass, stop: stop) }
            }
            if !registered { Self.log.error("\(identifier, privacy: .public) is not in BGTaskSchedulerPermittedIdentifiers") }
        }
    }

    typealias Pass = @Sendable @MainActor () async -> Bool
    typealias Stop = @Sendable @MainActor () -> Void

    /// Work is waiting: ask for a processing task with network (replaces an earlier request).
    func request() {
        let request = BGProcessingTaskRequest(identifier: Self.processingTask)
        request.requiresNetworkConnectivity = true
        request.requiresExternalPower = false
        submit(request)
    }

    /// The periodic refresh; scheduled again after each run and when the app goes to background.
    func scheduleRefresh() {
        let request = BGAppRefreshTaskRequest(identifier: Self.refreshTask)
        request.earliestBeginDate = Date(timeIntervalSinceNow: 15 * 60)
        submit(request)
    }

    private func submit(_ request: BGTaskRequest) {
        do {
            try BGTaskScheduler.shared.submit(request)
        } catch {
            // Unavailable in the simulator and when Background App Refresh is off: foreground
            // sync (and the core's own passes while online) still run.
            Self.log.info("background task not scheduled: \(error.localizedDescription, privacy: .public)")
        }
    }

    @MainActor
    private func run(_ task: BGTask, pass: @escaping Pass, stop: @escaping Stop) {
        scheduleRefresh()
        let completion = TaskCompletion(task)
        let work = Task { @MainActor in completion.finish(await pass()) }
        // Time is up: stop the pass (everything it finished is committed), report unfinished.
        task.expirationHandler = {
            DispatchQueue.main.async {
                MainActor.assumeIsolated {
                    stop()
                    work.cancel()
                    completion.finish(false)
                }
            }
        }
    }
}

/// Reports a background task's end exactly once (the pass and the expiry handler may both try).
@MainActor
private final class TaskCompletion {
    private let task: BGTask
    private var done = false

    init(_ task: BGTask) {
        self.task = task
    }

    func finish(_ success: Bool) {
        if done { return }
        done = true
        task.setTaskCompleted(success: success)
    }
}
