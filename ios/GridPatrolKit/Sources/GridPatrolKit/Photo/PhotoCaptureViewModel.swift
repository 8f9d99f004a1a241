// Evidence photo capture for one target (a checklist answer or a hazard): the camera writes the
// photo (JPEG) into an app-private file this view model hands out, then the core takes it in
// (upright, ≤1600 px, q80, EXIF stripped, hashed) and attaches it. The camera's file is deleted
// afterwards: the evidence copy is the record.

import Foundation
import GridPatrolCore

public struct PhotoCaptureUiState: Equatable, Sendable {
    /// Photos already attached to the target, in the order attached (thumbnails for the strip).
    public var photos: [EvidenceInfo] = []
    /// The shutter was pressed; the camera is writing.
    public var capturing = false
    /// The core is taking the photo in.
    public var saving = false
    /// The photo just attached: the screen may close.
    public var lastAttached: EvidenceInfo?
    public var error: UiError?
}

@MainActor
public final class PhotoCaptureViewModel: StateViewModel<PhotoCaptureUiState> {
    private let session: CoreSession
    private let files: AppFiles
    public let target: EvidenceTarget

    init(_ session: CoreSession, _ files: AppFiles, _ target: EvidenceTarget) {
        self.session = session
        self.files = files
        self.target = target
        super.init(PhotoCaptureUiState())
    }

    @discardableResult
    public func load() -> Task<Void, Never> {
        let target = target
        return launchAction { [self] in
            await loadField(session, \.photos, error: \.error) { try $0.listEvidence(target: target) }
        }
    }

    /// The file the camera writes the next photo into (app-private).
    public func beginCapture() -> URL {
        setState {
            $0.capturing = true
            $0.error = nil
            $0.lastAttached = nil
        }
        return files.newCaptureFile()
    }

    /// The camera wrote `file`: attach it, then delete the camera's copy.
    @discardableResult
    public func onCaptured(_ file: URL) -> Task<Void, Never> {
        launchAction { [self] in
            setState {
                $0.capturing = false
                $0.saving = true
            }
            let target = target
            let attached = await attempt { try await session.call { try $0.attachPhoto(target: target, path: file.path) } }
            try? FileManager.default.removeItem(at: file)
            let listed = await list()
            setState {
                $0.saving = false
                $0.photos = listed.getOrNull() ?? $0.photos
                $0.lastAttached = attached.getOrNull()
                $0.error = attached.uiError() ?? listed.uiError()
            }
        }
    }

    /// The camera failed (no permission, hardware error); `reason` is the platform's text.
    @discardableResult
    public func onCaptureFailed(_ file: URL?, _ reason: String) -> Task<Void, Never> {
        launchAction { [self] in
            if let file { try? FileManager.default.removeItem(at: file) }
            setState {
                $0.capturing = false
                $0.error = UiError(kind: .internal, reason: reason)
            }
        }
    }

    private func list() async -> Result<[EvidenceInfo], Error> {
        let target = target
        return await attempt { try await session.call { try $0.listEvidence(target: target) } }
    }
}
