// The process-wide objects, built once whether the app was launched by the user or by
// BGTaskScheduler: the platform services, the root view model (which opens the core only after
// the privacy consent) and the background scheduler. SwiftUI scenes and background tasks both
// come here, so there is exactly one core per process.

import Foundation
import GridPatrolCore
import GridPatrolKit
import SwiftUI
import UIKit

@MainActor
final class AppEnvironment {
    static let shared = AppEnvironment()

    let scheduler: BackgroundSyncScheduler
    let preferences: IOSPreferences
    let app: AppViewModel
    private var started: Task<Void, Never>?
    /// A background task ran out of time and paused sync; resumed at the next pass or foreground.
    private var pausedByExpiry = false
    private var finishing: UIBackgroundTaskIdentifier = .invalid

    private init() {
        let scheduler = BackgroundSyncScheduler()
        let preferences = IOSPreferences()
        self.scheduler = scheduler
        self.preferences = preferences
        let platform = PlatformServices(
            files: IOSAppFiles(),
            preferences: preferences,
            location: IOSLocationSource(),
            connectivity: IOSConnectivity(),
            backgroundSync: scheduler,
            deviceName: Self.deviceModel(),
            credentials: KeychainTokenStore()
        )
        app = AppViewModel(platform)
    }

    /// The hardware model (e.g. `iPhone15,2`) shown to the server at enrollment; never the
    /// user-chosen device name, which often holds a person's name.
    private static func deviceModel() -> String {
        var info = utsname()
        uname(&info)
        let machine = withUnsafeBytes(of: &info.machine) { bytes in
            String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
        }
        return machine.isEmpty ? UIDevice.current.model : machine
    }

    /// At launch (AppDelegate): background tasks registered, the root view model started once.
    func launch() {
        scheduler.register(pass: { [unowned self] in await backgroundPass() }, stop: { [unowned self] in pauseForExpiry() })
        started = app.start()
    }

    /// Waits until the launch's start (consent check, opening the core) is done.
    func startOnce() async {
        if started == nil { started = app.start() }
        await started?.value
    }

    /// One sync pass for BGTaskScheduler; true when nothing is left to retry soon. Nothing runs
    /// before consent or enrollment.
    private func backgroundPass() async -> Bool {
        guard preferences.consentVersion == AppViewModel.consentVersion else { return true }
        await startOnce()
        let enrolled = app.state.phase == .ready || app.state.phase == .resident
        guard enrolled, let screens = app.screens else { return true }
        await resumeIfPaused(screens)
        await screens.sync.syncNow().value
        switch screens.sync.state.lastReport?.outcome {
        case .completed, .authRequired, .paused, .failed: return true
        case .offline, .serverUnavailable, nil: return false
        }
    }

    private func pauseForExpiry() {
        guard let screens = app.screens else { return }
        pausedByExpiry = true
        screens.sync.pause()
    }

    private func resumeIfPaused(_ screens: SessionViewModels) async {
        if pausedByExpiry {
            pausedByExpiry = false
            await screens.sync.resume().value
        }
    }

    /// Foreground: resume what an expired background task paused. Background: schedule the
    /// periodic refresh, and give a running pass up to the OS's grace time to finish.
    func sceneChanged(_ phase: ScenePhase) {
        guard let screens = app.screens else { return }
        switch phase {
        case .active:
            Task { await resumeIfPaused(screens) }
        case .background:
            scheduler.scheduleRefresh()
            if screens.sync.state.running { finishRunningPass(screens) }
        default:
            break
        }
    }

    private func finishRunningPass(_ screens: SessionViewModels) {
        guard finishing == .invalid else { return }
        finishing = UIApplication.shared.beginBackgroundTask(withName: "sync") { [unowned self] in
            pauseForExpiry()
            endFinishing()
        }
        Task { [unowned self] in
            for await state in screens.sync.$state.values where !state.running { break }
            endFinishing()
        }
    }

    private func endFinishing() {
        guard finishing != .invalid else { return }
        UIApplication.shared.endBackgroundTask(finishing)
        finishing = .invalid
    }
}
