/**
 * The root: the consent gate, enrollment, then the worker's screens (a navigation graph) or the
 * resident's. Screens get their view models from the session's SessionViewModels.
 */
package cn.gridpatrol.app.ui

import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.material3.CircularProgressIndicator
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import cn.gridpatrol.app.ui.screens.ConsentDeclinedScreen
import cn.gridpatrol.app.ui.screens.ConsentScreen
import cn.gridpatrol.app.ui.screens.EnrollScreen
import cn.gridpatrol.app.ui.screens.ResidentScreen
import cn.gridpatrol.viewmodel.app.AppPhase
import cn.gridpatrol.viewmodel.app.AppViewModel

@Composable
fun AppRoot(app: AppViewModel) {
    val state by app.state.collectAsStateWithLifecycle()
    val screens = app.screens
    when (state.phase) {
        AppPhase.STARTING, AppPhase.OPENING -> Box(Modifier.fillMaxSize(), contentAlignment = Alignment.Center) {
            CircularProgressIndicator()
        }
        AppPhase.NEEDS_CONSENT -> ConsentScreen(onAccept = { app.acceptConsent() }, onDecline = { app.declineConsent() })
        AppPhase.CONSENT_DECLINED -> ConsentDeclinedScreen(onReview = { app.reviewConsent() })
        AppPhase.FAILED -> Box(Modifier.fillMaxSize(), contentAlignment = Alignment.Center) { ErrorBanner(state.error) }
        AppPhase.NEEDS_ENROLLMENT -> if (screens != null) EnrollScreen(screens.enrollment, screens.resident)
        AppPhase.READY -> if (screens != null) WorkerNavigation(screens, onReEnroll = { app.reEnroll() })
        AppPhase.RESIDENT -> if (screens != null) ResidentScreen(screens.resident)
    }
}
