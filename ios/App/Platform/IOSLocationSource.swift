// One location fix on demand from Core Location, asked only at the moment it is needed (a scan,
// or a resident who chose to share their location) and only after the privacy consent. Waits at
// most a few seconds: a weak or missing indoor fix is recorded and flagged, never a block.

import CoreLocation
import Foundation
import GridPatrolCore
import GridPatrolKit

@MainActor
final class IOSLocationSource: NSObject, LocationSource, CLLocationManagerDelegate {
    /// How long a scan waits for a fix, and how old a cached fix may be.
    private static let timeout: Duration = .seconds(8)
    private static let maxAge: TimeInterval = 30

    private let manager = CLLocationManager()
    private var waiting: [UUID: CheckedContinuation<CLLocation?, Never>] = [:]

    override init() {
        super.init()
        manager.delegate = self
        manager.desiredAccuracy = kCLLocationAccuracyNearestTenMeters
    }

    func currentFix() async -> LocationFix? {
        if let recent = manager.location, -recent.timestamp.timeIntervalSinceNow < Self.maxAge {
            return Self.fix(recent)
        }
        let status = manager.authorizationStatus
        if status == .denied || status == .restricted { return nil }
        let id = UUID()
        let location = await withCheckedContinuation { continuation in
            waiting[id] = continuation
            // Asked for the first time: the request follows once the user answered.
            if status == .notDetermined {
                manager.requestWhenInUseAuthorization()
            } else {
                manager.requestLocation()
            }
            Task { [weak self] in
                try? await Task.sleep(for: Self.timeout)
                self?.waiting.removeValue(forKey: id)?.resume(returning: nil)
            }
        }
        return location.map(Self.fix)
    }

    /// Resumes every caller waiting for a fix.
    private func finish(_ location: CLLocation?) {
        let continuations = waiting.values
        waiting.removeAll()
        continuations.forEach { $0.resume(returning: location) }
    }

    /// WGS-84 as Core Location reports it; the mock flag from iOS's simulated-location marker.
    private static func fix(_ location: CLLocation) -> LocationFix {
        LocationFix(
            latitude: location.coordinate.latitude,
            longitude: location.coordinate.longitude,
            accuracyM: max(location.horizontalAccuracy, 0),
            provider: "core_location",
            mock: location.sourceInformation?.isSimulatedBySoftware ?? false,
            fixTimeMs: Int64(location.timestamp.timeIntervalSince1970 * 1000)
        )
    }

    // Core Location calls back on the main thread (the manager was created there).
    nonisolated func locationManager(_ manager: CLLocationManager, didUpdateLocations locations: [CLLocation]) {
        let last = locations.last
        MainActor.assumeIsolated { finish(last) }
    }

    nonisolated func locationManager(_ manager: CLLocationManager, didFailWithError error: Error) {
        MainActor.assumeIsolated { finish(nil) }
    }

    nonisolated func locationManagerDidChangeAuthorization(_ manager: CLLocationManager) {
        MainActor.assumeIsolated {
            switch manager.authorizationStatus {
            case .authorizedWhenInUse, .authorizedAlways:
                if !waiting.isEmpty { manager.requestLocation() }
            case .denied, .restricted:
                finish(nil)
            default:
                break
            }
        }
    }
}
