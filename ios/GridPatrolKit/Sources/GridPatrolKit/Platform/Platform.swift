// The platform services the view models need, as small protocols the app implements (iOS:
// Core Location, NWPathMonitor, the app container with file protection, UserDefaults,
// BGTaskScheduler) and the tests implement with plain objects. Nothing here imports UIKit, so
// the view models compile and run on macOS against the real core.

import Combine
import Foundation
import GridPatrolCore

/// One location fix on demand. iOS: Core Location, asked at the moment of use.
public protocol LocationSource: Sendable {
    /// A recent fix in WGS-84 with its accuracy, provider and mock flag, or nil when there is
    /// none in time (indoors, permission refused). Never waits long: proof of presence is
    /// recorded and flagged, never a reason to stop the worker.
    func currentFix() async -> LocationFix?
}

/// Whether the device has a usable network. iOS: `NWPathMonitor`.
public protocol Connectivity {
    /// The current value first, then every change, delivered on the main thread.
    var online: AnyPublisher<Bool, Never> { get }
}

/// The app's private storage. iOS: the app container, with file protection.
public protocol AppFiles {
    /// The core's SQLite database file.
    var databaseFile: URL { get }
    /// The core's evidence folder (normalised photos and thumbnails).
    var evidenceDir: URL { get }
    /// A fresh file for the camera to write one photo into (app-private, deleted after use).
    func newCaptureFile() -> URL
}

/// Small persisted settings the core does not own: the privacy consent (before it, nothing is
/// collected and the core is not opened) and the UI language. iOS: `UserDefaults`.
public protocol AppPreferences: AnyObject {
    /// The consent text version the user accepted, or nil.
    var consentVersion: Int? { get set }
    /// A BCP-47 tag (`zh-CN`, `en`), or nil for the default (zh-CN).
    var language: String? { get set }
    /// The last server URL typed or scanned at enrollment, to prefill the form.
    var lastServerUrl: String? { get set }
}

/// Asks the OS to run a sync pass when the network allows (iOS: a BGTaskScheduler request).
public protocol BackgroundSync {
    /// Submits (or keeps) the one background sync request; cheap to call after every change.
    func request()
}

/// Wall clock and time zone, for "today" on the home screen. (Kotlin: `Clock`; Swift's standard
/// library already has a `Clock` protocol, hence the prefix.)
public protocol AppClock {
    func now() -> Date
    func zone() -> TimeZone
}

/// The system clock and the current time zone (Kotlin: `Clock.SYSTEM`).
public struct SystemClock: AppClock {
    public init() {}
    public func now() -> Date { Date() }
    public func zone() -> TimeZone { TimeZone.current }
}

/// Everything the view models get from the platform, in one place.
@MainActor
public final class PlatformServices {
    public let files: AppFiles
    public let preferences: AppPreferences
    public let location: LocationSource
    public let connectivity: Connectivity
    public let backgroundSync: BackgroundSync
    public let clock: AppClock
    /// Shown to the server at enrollment, e.g. the phone model.
    public let deviceName: String
    /// Where the core keeps the bearer token (iOS: `KeychainTokenStore`); nil: its database.
    public let credentials: CredentialStore?

    public init(
        files: AppFiles,
        preferences: AppPreferences,
        location: LocationSource,
        connectivity: Connectivity,
        backgroundSync: BackgroundSync,
        clock: AppClock = SystemClock(),
        deviceName: String,
        credentials: CredentialStore?
    ) {
        self.files = files
        self.preferences = preferences
        self.location = location
        self.connectivity = connectivity
        self.backgroundSync = backgroundSync
        self.clock = clock
        self.deviceName = deviceName
        self.credentials = credentials
    }
}
