// The UIKit entry points SwiftUI does not cover: registering the background tasks before launch
// ends (BGTaskScheduler requires it), and starting the root view model once per process.

import UIKit

final class AppDelegate: NSObject, UIApplicationDelegate {
    func application(
        _ application: UIApplication,
        didFinishLaunchingWithOptions launchOptions: [UIApplication.LaunchOptionsKey: Any]? = nil
    ) -> Bool {
        AppEnvironment.shared.launch()
        return true
    }
}
