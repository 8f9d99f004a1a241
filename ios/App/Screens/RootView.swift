// The root: the consent gate, enrollment, then the worker's screens (a navigation stack) or the
// resident's. The UI language follows Settings (zh-CN by default, or English) through SwiftUI's
// locale environment, which is also what the core's labels were switched to.

import GridPatrolKit
import SwiftUI

struct RootView: View {
    @ObservedObject var app: AppViewModel
    /// Written by SettingsViewModel through IOSPreferences (the same UserDefaults key).
    @AppStorage("language") private var language: String?

    // Explicit: a private property makes the synthesized initializer private.
    init(app: AppViewModel) {
        self.app = app
    }

    var body: some View {
        content.environment(\.locale, Locale(identifier: language == "en" ? "en" : "zh-Hans"))
    }

    @ViewBuilder
    private var content: some View {
        let screens = app.screens
        switch app.state.phase {
        case .starting, .opening:
            ProgressView()
        case .needsConsent:
            ConsentView(onAccept: { app.acceptConsent() }, onDecline: { app.declineConsent() })
        case .consentDeclined:
            ConsentDeclinedView(onReview: { app.reviewConsent() })
        case .failed:
            ErrorBanner(error: app.state.error).padding()
        case .needsEnrollment:
            if let screens { EnrollView(enrollment: screens.enrollment, resident: screens.resident) }
        case .ready:
            if let screens { WorkerNavigation(screens: screens, onReEnroll: { app.reEnroll() }) }
        case .resident:
            if let screens { ResidentView(resident: screens.resident) }
        }
    }
}
