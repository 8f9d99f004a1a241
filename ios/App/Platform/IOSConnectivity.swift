// Whether the phone has a usable network, from NWPathMonitor, published on the main queue (what
// SyncController expects). Drives the core's `setOnline`.

import Combine
import Foundation
import GridPatrolKit
import Network

final class IOSConnectivity: Connectivity {
    private let monitor = NWPathMonitor()
    private let subject = CurrentValueSubject<Bool, Never>(false)
    private var started = false

    deinit {
        monitor.cancel()
    }

    /// Starts watching on first use (SyncController.start, once the core is open).
    var online: AnyPublisher<Bool, Never> {
        if !started {
            started = true
            monitor.pathUpdateHandler = { [subject] path in subject.send(path.status == .satisfied) }
            monitor.start(queue: .main)
        }
        return subject.removeDuplicates().eraseToAnyPublisher()
    }
}
