// App-private storage in the app container: the core's database and evidence folder under
// Application Support, camera captures beside them. Every folder is created with the file
// protection class `completeUntilFirstUserAuthentication` (files created inside inherit it):
// readable by background sync while the phone is locked, but not before the first unlock after
// a reboot. Everything is excluded from iCloud and device-to-device backups: a restored copy would
// reuse this device's identity and hash chain on another phone.

import Foundation
import GridPatrolKit
import os

final class IOSAppFiles: AppFiles {
    private let root: URL
    private let captures: URL

    init() {
        // Only the path: nothing is created before the core opens.
        let support = FileManager.default.urls(for: .applicationSupportDirectory, in: .userDomainMask)[0]
        root = support.appendingPathComponent("GridPatrol", isDirectory: true)
        captures = root.appendingPathComponent("captures", isDirectory: true)
    }

    /// The core's database. The first access (CoreSession.open, which runs only after the
    /// privacy consent) creates the folders: nothing is written before consent.
    var databaseFile: URL {
        prepareOnce()
        return root.appendingPathComponent("core/gridpatrol.db")
    }

    var evidenceDir: URL { root.appendingPathComponent("core/evidence", isDirectory: true) }

    /// A fresh JPEG file name for the camera; the camera writes it with the same protection.
    func newCaptureFile() -> URL {
        captures.appendingPathComponent("photo-\(UUID().uuidString).jpg")
    }

    private var prepared = false

    private func prepareOnce() {
        if prepared { return }
        do {
            try prepare()
            prepared = true
        } catch {
            // The core's open then fails with its own Storage error, which the app shows.
            Logger(subsystem: "cn.gridpatrol.app", category: "files").error("preparing folders failed: \(error.localizedDescription, privacy: .public)")
        }
    }

    /// Creates the folders with their protection class and backup exclusion.
    private func prepare() throws {
        for folder in [root, root.appendingPathComponent("core", isDirectory: true), evidenceDir, captures] {
            try FileManager.default.createDirectory(
                at: folder, withIntermediateDirectories: true,
                attributes: [.protectionKey: FileProtectionType.completeUntilFirstUserAuthentication]
            )
        }
        var values = URLResourceValues()
        values.isExcludedFromBackup = true
        var folder = root
        try folder.setResourceValues(values)
        // Captures left by a crash between shutter and attach are not evidence yet: drop them.
        for leftover in (try? FileManager.default.contentsOfDirectory(at: captures, includingPropertiesForKeys: nil)) ?? [] {
            try? FileManager.default.removeItem(at: leftover)
        }
    }
}
