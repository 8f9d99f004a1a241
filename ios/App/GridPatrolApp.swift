// 网格巡查 on iOS: one window whose content the root view model decides (consent, enrollment, the
// worker's screens or resident mode). Enrollment links (`gridpatrol://enroll?server=…&code=…`)
// opened from elsewhere fill the enrollment form.

import GridPatrolKit
import SwiftUI

@main
struct GridPatrolApp: App {
    @UIApplicationDelegateAdaptor(AppDelegate.self) private var delegate
    @Environment(\.scenePhase) private var scenePhase

    var body: some Scene {
        WindowGroup {
            RootView(app: AppEnvironment.shared.app)
                .onOpenURL { url in
                    AppEnvironment.shared.app.screens?.enrollment.onScannedTexts([url.absoluteString])
                }
        }
        .onChange(of: scenePhase) { _, phase in
            AppEnvironment.shared.sceneChanged(phase)
        }
    }
}
