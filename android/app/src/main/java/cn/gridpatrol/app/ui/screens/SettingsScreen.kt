/**
 * Settings: account and server (re-enroll to change), language (zh-CN / English, applied to the
 * app's strings through the per-app locale and to the core's labels), device id, and a check of
 * the journal's hash chain and the evidence files.
 */
package cn.gridpatrol.app.ui.screens

import androidx.appcompat.app.AppCompatDelegate
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.Button
import androidx.compose.material3.FilterChip
import androidx.compose.material3.LinearProgressIndicator
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import androidx.core.os.LocaleListCompat
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import cn.gridpatrol.app.R
import cn.gridpatrol.app.ui.ErrorBanner
import cn.gridpatrol.app.ui.ScreenScaffold
import cn.gridpatrol.viewmodel.settings.SettingsViewModel

@Composable
fun SettingsScreen(settings: SettingsViewModel, onReEnroll: () -> Unit, onBack: () -> Unit) {
    val state by settings.state.collectAsStateWithLifecycle()
    LaunchedEffect(settings) { settings.load() }
    LaunchedEffect(state.language) {
        AppCompatDelegate.setApplicationLocales(LocaleListCompat.forLanguageTags(state.language))
    }
    ScreenScaffold(title = stringResource(R.string.settings_title), onBack = onBack) { padding ->
        Column(Modifier.padding(padding).padding(16.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
            state.account?.let { a ->
                Text(stringResource(R.string.settings_account, a.displayName, a.role.name))
                Text(stringResource(R.string.settings_server, a.serverUrl))
                Text(a.grids.joinToString(", "))
            }
            OutlinedButton(onClick = onReEnroll) { Text(stringResource(R.string.settings_reenroll)) }
            Text(stringResource(R.string.settings_language))
            Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                FilterChip(selected = state.language == "zh-CN", onClick = { settings.setLanguage("zh-CN") }, label = { Text("中文") })
                FilterChip(selected = state.language == "en", onClick = { settings.setLanguage("en") }, label = { Text("English") })
            }
            state.deviceId?.let { Text(stringResource(R.string.settings_device, it)) }
            Button(onClick = { settings.checkIntegrity() }, enabled = !state.checking) { Text(stringResource(R.string.settings_check)) }
            if (state.checking) LinearProgressIndicator()
            state.integrity?.let {
                Text(
                    stringResource(
                        if (it.journalIntact && it.evidenceProblems == 0) R.string.settings_check_ok else R.string.settings_check_bad,
                        it.events.toLong(),
                        it.evidenceChecked.toLong(),
                    ),
                )
            }
            ErrorBanner(state.error)
        }
    }
}
