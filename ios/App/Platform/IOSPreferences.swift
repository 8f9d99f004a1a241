// The few settings the core does not own, in UserDefaults: the accepted consent version, the UI
// language and the last server URL. Nothing personal is stored here.

import Foundation
import GridPatrolKit

final class IOSPreferences: AppPreferences {
    private let defaults: UserDefaults

    init(defaults: UserDefaults = .standard) {
        self.defaults = defaults
    }

    var consentVersion: Int? {
        get { defaults.object(forKey: "consentVersion") as? Int }
        set { defaults.set(newValue, forKey: "consentVersion") }
    }

    var language: String? {
        get { defaults.string(forKey: "language") }
        set { defaults.set(newValue, forKey: "language") }
    }

    var lastServerUrl: String? {
        get { defaults.string(forKey: "lastServerUrl") }
        set { defaults.set(newValue, forKey: "lastServerUrl") }
    }
}
