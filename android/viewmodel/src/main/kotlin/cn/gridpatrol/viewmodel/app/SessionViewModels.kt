/**
 * The view models of an open core, created when the core opens after consent: the long-lived
 * ones (one per screen kind, started here) and factories for the per-item screens (a venue, an
 * inspection's checklist, a hazard, a photo target). The app's navigation asks this object.
 */
package cn.gridpatrol.viewmodel.app

import cn.gridpatrol.core.EvidenceTarget
import cn.gridpatrol.viewmodel.enroll.EnrollmentViewModel
import cn.gridpatrol.viewmodel.hazards.HazardDetailViewModel
import cn.gridpatrol.viewmodel.hazards.HazardsViewModel
import cn.gridpatrol.viewmodel.home.HomeViewModel
import cn.gridpatrol.viewmodel.inspect.ChecklistViewModel
import cn.gridpatrol.viewmodel.outbox.OutboxViewModel
import cn.gridpatrol.viewmodel.photo.PhotoCaptureViewModel
import cn.gridpatrol.viewmodel.platform.PlatformServices
import cn.gridpatrol.viewmodel.reports.ReportsViewModel
import cn.gridpatrol.viewmodel.resident.ResidentViewModel
import cn.gridpatrol.viewmodel.scan.ScanViewModel
import cn.gridpatrol.viewmodel.session.AppDispatchers
import cn.gridpatrol.viewmodel.session.CoreSession
import cn.gridpatrol.viewmodel.settings.SettingsViewModel
import cn.gridpatrol.viewmodel.sync.SyncController
import cn.gridpatrol.viewmodel.venue.VenueViewModel
import cn.gridpatrol.viewmodel.warnings.WarningsViewModel
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancel

class SessionViewModels internal constructor(
    val session: CoreSession,
    private val platform: PlatformServices,
    parentScope: CoroutineScope,
    private val dispatchers: AppDispatchers,
    app: AppViewModel,
) {
    // Children of the app's scope, cancelled together when the session closes.
    private val scope = CoroutineScope(parentScope.coroutineContext + SupervisorJob(parentScope.coroutineContext[Job]))

    val sync = SyncController(session, platform.connectivity, platform.backgroundSync, scope, dispatchers)
    val enrollment = EnrollmentViewModel(session, platform, app::onEnrolled, scope, dispatchers)
    val warnings = WarningsViewModel(session, scope, dispatchers)
    val home = HomeViewModel(session, sync, warnings, platform.clock, scope, dispatchers)
    val scan = ScanViewModel(session, platform.location, scope, dispatchers)
    val hazards = HazardsViewModel(session, scope, dispatchers)
    val outbox = OutboxViewModel(session, sync, scope, dispatchers)
    val settings = SettingsViewModel(session, platform.preferences, scope, dispatchers)
    val reports = ReportsViewModel(session, scope, dispatchers)
    val resident = ResidentViewModel(session, platform, app::onEnrolled, scope, dispatchers)

    init {
        sync.start()
        warnings.start()
        home.start()
        hazards.start()
        outbox.start()
        reports.start()
        resident.start()
        settings.load()
    }

    fun venue(venueId: String) = VenueViewModel(session, venueId, scope, dispatchers)

    fun checklist(inspectionId: String) = ChecklistViewModel(session, inspectionId, scope, dispatchers)

    fun hazardDetail(hazardId: String) = HazardDetailViewModel(session, hazardId, scope, dispatchers)

    fun photoCapture(target: EvidenceTarget) = PhotoCaptureViewModel(session, platform.files, target, scope, dispatchers)

    /** Cancels every view model's work, then closes the core. */
    internal fun close() {
        scope.cancel()
        session.close()
    }
}
