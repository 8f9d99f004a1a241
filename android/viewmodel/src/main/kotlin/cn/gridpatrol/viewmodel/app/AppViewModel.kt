/**
 * The root of the app: the first-run privacy consent gate, opening the core only after it, and
 * which part of the app to show (consent, enrollment, the worker's or the resident's screens).
 * Before consent nothing is collected: no location, no camera, no core database.
 */
package cn.gridpatrol.viewmodel.app

import cn.gridpatrol.core.AccountRecord
import cn.gridpatrol.core.Role
import cn.gridpatrol.viewmodel.platform.PlatformServices
import cn.gridpatrol.viewmodel.session.AppDispatchers
import cn.gridpatrol.viewmodel.session.CoreSession
import cn.gridpatrol.viewmodel.session.StateViewModel
import cn.gridpatrol.viewmodel.session.UiError
import cn.gridpatrol.viewmodel.session.uiError
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job

/** Which part of the app is on screen. */
enum class AppPhase {
    /** Reading the stored consent. */
    STARTING,

    /** First run (or a new consent text): show the privacy notice; nothing collected yet. */
    NEEDS_CONSENT,

    /** The user declined: the app explains it cannot work without, and collects nothing. */
    CONSENT_DECLINED,

    /** Opening the core (database migrations, evidence tidy-up). */
    OPENING,

    /** Opened, not enrolled with a server yet. */
    NEEDS_ENROLLMENT,

    /** Enrolled: the main screens (grid worker or supervisor). */
    READY,

    /** Enrolled as a resident: the report screens. */
    RESIDENT,

    /** The core could not be opened; [AppUiState.error] says why. */
    FAILED,
}

data class AppUiState(
    val phase: AppPhase = AppPhase.STARTING,
    val account: AccountRecord? = null,
    /** Where a corrupt database was moved at opening (tell the user; support can recover it). */
    val quarantinedDatabase: String? = null,
    val error: UiError? = null,
)

/** One per process. The app calls [start] at launch. */
class AppViewModel(
    private val platform: PlatformServices,
    scope: CoroutineScope,
    dispatchers: AppDispatchers,
) : StateViewModel<AppUiState>(AppUiState(), scope, dispatchers) {

    /** The screens' view models, once the core is open (null before consent). */
    var screens: SessionViewModels? = null
        private set

    /** Shows the consent notice, or opens the core when it was accepted before. */
    fun start(): Job = launchAction {
        if (platform.preferences.consentVersion == CONSENT_VERSION) {
            open()
        } else {
            setState { it.copy(phase = AppPhase.NEEDS_CONSENT) }
        }
    }

    /** The user accepted the privacy notice: remember it, then open the core. */
    fun acceptConsent(): Job = launchAction {
        platform.preferences.consentVersion = CONSENT_VERSION
        open()
    }

    /** The user declined: nothing is opened or collected. */
    fun declineConsent(): Job = launchAction {
        setState { it.copy(phase = AppPhase.CONSENT_DECLINED) }
    }

    /** Back to the notice from the declined screen. */
    fun reviewConsent(): Job = launchAction {
        setState { it.copy(phase = AppPhase.NEEDS_CONSENT) }
    }

    /** Called by enrollment when the device holds an account (also after re-enrollment). */
    internal fun onEnrolled(account: AccountRecord) {
        setState { it.copy(phase = phaseFor(account), account = account, error = null) }
    }

    /** Shows enrollment again (settings: change server or user). Unsent work is kept. */
    fun reEnroll(): Job = launchAction {
        setState { it.copy(phase = AppPhase.NEEDS_ENROLLMENT) }
    }

    /** Closes the core (process end, tests). */
    fun close() {
        screens?.close()
        screens = null
    }

    private suspend fun open() {
        if (screens != null) return
        setState { it.copy(phase = AppPhase.OPENING, error = null) }
        val opened = attempt {
            CoreSession.open(platform.files, platform.preferences.language, platform.credentials, dispatchers, scope)
        }
        val session = opened.getOrElse {
            setState { it.copy(phase = AppPhase.FAILED, error = opened.uiError()) }
            return
        }
        val built = SessionViewModels(session, platform, scope, dispatchers, this)
        screens = built
        val account = attempt { session.call { it.account() } }
        val quarantined = attempt { session.call { it.quarantinedDatabase() } }.getOrNull()
        val current = account.getOrNull()
        setState {
            it.copy(
                phase = when {
                    account.isFailure -> AppPhase.FAILED
                    current == null -> AppPhase.NEEDS_ENROLLMENT
                    else -> phaseFor(current)
                },
                account = current,
                quarantinedDatabase = quarantined,
                error = account.uiError(),
            )
        }
    }

    private fun phaseFor(account: AccountRecord) =
        if (account.role == Role.RESIDENT) AppPhase.RESIDENT else AppPhase.READY

    companion object {
        /** Bump when the privacy notice changes: everyone is asked again. */
        const val CONSENT_VERSION = 1
    }
}
