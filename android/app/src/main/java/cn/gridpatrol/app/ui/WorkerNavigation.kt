/**
 * The worker's (and supervisor's) navigation graph: home, scan, venue, checklist, photo,
 * hazards and hazard detail, residents' reports, issuing a warning (supervisors), outbox,
 * settings. Routes carry ids only; each screen takes its view model from SessionViewModels.
 */
package cn.gridpatrol.app.ui

import androidx.compose.runtime.Composable
import androidx.compose.runtime.remember
import androidx.navigation.NavType
import androidx.navigation.compose.NavHost
import androidx.navigation.compose.composable
import androidx.navigation.compose.rememberNavController
import androidx.navigation.navArgument
import cn.gridpatrol.app.ui.screens.ChecklistScreen
import cn.gridpatrol.app.ui.screens.HazardDetailScreen
import cn.gridpatrol.app.ui.screens.HazardsScreen
import cn.gridpatrol.app.ui.screens.HomeScreen
import cn.gridpatrol.app.ui.screens.IssueWarningScreen
import cn.gridpatrol.app.ui.screens.OutboxScreen
import cn.gridpatrol.app.ui.screens.PhotoScreen
import cn.gridpatrol.app.ui.screens.ReportsScreen
import cn.gridpatrol.app.ui.screens.ScanScreen
import cn.gridpatrol.app.ui.screens.SettingsScreen
import cn.gridpatrol.app.ui.screens.VenueScreen
import cn.gridpatrol.core.EvidenceTarget
import cn.gridpatrol.viewmodel.app.SessionViewModels

@Composable
fun WorkerNavigation(screens: SessionViewModels, onReEnroll: () -> Unit) {
    val nav = rememberNavController()
    val id = listOf(navArgument("id") { type = NavType.StringType })
    NavHost(navController = nav, startDestination = "home") {
        composable("home") {
            HomeScreen(
                home = screens.home,
                warnings = screens.warnings,
                onScan = { nav.navigate("scan") },
                onVenue = { nav.navigate("venue/$it") },
                onInspection = { nav.navigate("checklist/$it") },
                onHazards = { nav.navigate("hazards") },
                onReports = { nav.navigate("reports") },
                onIssueWarning = { nav.navigate("warnings/issue") },
                onOutbox = { nav.navigate("outbox") },
                onSettings = { nav.navigate("settings") },
            )
        }
        composable("scan") {
            ScanScreen(screens.scan, onStarted = { nav.navigate("checklist/$it") { popUpTo("home") } }, onBack = { nav.popBackStack() })
        }
        composable("venue/{id}", id) { entry ->
            val venueId = entry.arguments?.getString("id").orEmpty()
            val vm = remember(venueId) { screens.venue(venueId) }
            VenueScreen(vm, onInspection = { nav.navigate("checklist/$it") }, onHazard = { nav.navigate("hazard/$it") }, onBack = { nav.popBackStack() })
        }
        composable("checklist/{id}", id) { entry ->
            val inspectionId = entry.arguments?.getString("id").orEmpty()
            val vm = remember(inspectionId) { screens.checklist(inspectionId) }
            ChecklistScreen(vm, onPhoto = { item -> nav.navigate("photo/answer/$inspectionId/$item") }, onBack = { nav.popBackStack() })
        }
        composable("photo/answer/{inspection}/{item}") { entry ->
            val inspection = entry.arguments?.getString("inspection").orEmpty()
            val item = entry.arguments?.getString("item").orEmpty()
            val vm = remember(inspection, item) { screens.photoCapture(EvidenceTarget.Answer(inspection, item)) }
            PhotoScreen(vm, onDone = { nav.popBackStack() })
        }
        composable("photo/hazard/{id}", id) { entry ->
            val hazardId = entry.arguments?.getString("id").orEmpty()
            val vm = remember(hazardId) { screens.photoCapture(EvidenceTarget.Hazard(hazardId)) }
            PhotoScreen(vm, onDone = { nav.popBackStack() })
        }
        composable("hazards") {
            HazardsScreen(screens.hazards, onHazard = { nav.navigate("hazard/$it") }, onBack = { nav.popBackStack() })
        }
        composable("hazard/{id}", id) { entry ->
            val hazardId = entry.arguments?.getString("id").orEmpty()
            val vm = remember(hazardId) { screens.hazardDetail(hazardId) }
            HazardDetailScreen(vm, onPhoto = { nav.navigate("photo/hazard/$hazardId") }, onBack = { nav.popBackStack() })
        }
        composable("reports") {
            ReportsScreen(screens.reports, onHazard = { nav.navigate("hazard/$it") }, onBack = { nav.popBackStack() })
        }
        composable("warnings/issue") {
            IssueWarningScreen(screens.warnings, screens.home, onBack = { nav.popBackStack() })
        }
        composable("outbox") { OutboxScreen(screens.outbox, onBack = { nav.popBackStack() }) }
        composable("settings") { SettingsScreen(screens.settings, onReEnroll = onReEnroll, onBack = { nav.popBackStack() }) }
    }
}
