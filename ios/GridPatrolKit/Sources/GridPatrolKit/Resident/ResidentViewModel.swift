// Resident mode (群众举报): register anonymously (a phone number only if the resident offers
// one), report a hazard with a category, what they saw, photos, and either the venue code they
// scanned or — only if they choose to share it — their location; then follow each report's
// steps. The report is sent like all other work: kept on the phone until the server has it.

import Foundation
import GridPatrolCore

/// The report being written.
public struct ReportDraft: Equatable, Sendable {
    public var category: ReportCategory = .fire
    public var description = ""
    /// The venue code the resident scanned (URL or token), if any.
    public var venueCode: String?
    /// The resident chose to share their location.
    public var shareLocation = false
    /// Photos taken for this report, attached when it is submitted.
    public var photos: [URL] = []

    public var canSubmit: Bool {
        !description.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
    }
}

public struct ResidentUiState: Equatable, Sendable {
    public var draft = ReportDraft()
    public var submitting = false
    /// The id of the report just submitted.
    public var submitted: String?
    public var myReports: [MyReportRecord] = []
    public var enrolling = false
    public var error: UiError?
}

@MainActor
public final class ResidentViewModel: StateViewModel<ResidentUiState> {
    private let session: CoreSession
    private let platform: PlatformServices
    private let onEnrolled: @MainActor (AccountRecord) -> Void

    init(_ session: CoreSession, _ platform: PlatformServices, onEnrolled: @escaping @MainActor (AccountRecord) -> Void) {
        self.session = session
        self.platform = platform
        self.onEnrolled = onEnrolled
        super.init(ResidentUiState())
    }

    @discardableResult
    public func start() -> Task<Void, Never> {
        reloadOn(session, { event in
            switch event {
            case .syncFinished, .eventRefused: return true
            default: return false
            }
        }, { [weak self] in self?.load() })
        return load()
    }

    @discardableResult
    public func load() -> Task<Void, Never> {
        launchAction { [self] in await loadField(session, \.myReports, error: \.error) { try $0.myReports() } }
    }

    /// Registers this phone as a resident's with `serverUrl`; no code needed.
    @discardableResult
    public func enroll(_ serverUrl: String, _ phone: String?) -> Task<Void, Never> {
        launchAction { [self] in
            setState {
                $0.enrolling = true
                $0.error = nil
            }
            let server = serverUrl.trimmingCharacters(in: .whitespacesAndNewlines)
            let url = server.hasSuffix("/") ? String(server.dropLast()) : server
            let number = phone?.trimmingCharacters(in: .whitespacesAndNewlines)
            let given = number?.isEmpty == false ? number : nil
            let enrolled = await attempt {
                try await session.callAsync { try await $0.enrollResident(serverUrl: url, phone: given) }
            }
            setState {
                $0.enrolling = false
                $0.error = enrolled.uiError()
            }
            if let account = enrolled.getOrNull() {
                platform.preferences.lastServerUrl = server
                onEnrolled(account)
            }
        }
    }

    public func editDraft(_ change: (inout ReportDraft) -> Void) {
        setState {
            change(&$0.draft)
            $0.submitted = nil
        }
    }

    /// A file for the camera to write the next report photo into.
    public func newPhotoFile() -> URL {
        platform.files.newCaptureFile()
    }

    public func addPhoto(_ file: URL) {
        editDraft { $0.photos.append(file) }
    }

    /// Submits the draft, attaches its photos, and clears it.
    @discardableResult
    public func submit() -> Task<Void, Never> {
        launchAction { [self] in
            let draft = state.draft
            guard draft.canSubmit, !state.submitting else { return }
            setState {
                $0.submitting = true
                $0.error = nil
            }
            // Location only when the resident chose to share it, asked for at this moment.
            var fix: LocationFix?
            if draft.shareLocation { fix = await platform.location.currentFix() }
            let point = fix.map { GeoPoint(latitude: $0.latitude, longitude: $0.longitude, coordSystem: .wgs84) }
            let description = draft.description.trimmingCharacters(in: .whitespacesAndNewlines)
            let submitted = await attempt {
                try await session.call {
                    try $0.submitReport(category: draft.category, description: description, location: point, venueToken: draft.venueCode)
                }
            }
            guard case let .success(reportId) = submitted else {
                setState {
                    $0.submitting = false
                    $0.error = submitted.uiError()
                }
                return
            }
            // The report is recorded: photos that fail are reported, never a reason to submit twice.
            var attached: [Result<EvidenceInfo, Error>] = []
            for photo in draft.photos {
                attached.append(await attempt {
                    try await session.call { try $0.attachPhoto(target: .report(reportId: reportId), path: photo.path) }
                })
            }
            draft.photos.forEach { try? FileManager.default.removeItem(at: $0) }
            setState {
                $0.submitting = false
                $0.submitted = reportId
                $0.draft = ReportDraft()
                $0.error = attached.lazy.compactMap { $0.uiError() }.first
            }
            await load().value
        }
    }
}
