/**
 * Small pieces every screen uses: the error banner (kind → localised title, plus the core's
 * reason), a runtime-permission request made at the moment of use, and a screen scaffold.
 */
package cn.gridpatrol.app.ui

import androidx.activity.compose.rememberLauncherForActivityResult
import androidx.activity.result.contract.ActivityResultContracts
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.PaddingValues
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.automirrored.filled.ArrowBack
import androidx.compose.material3.Card
import androidx.compose.material3.CardDefaults
import androidx.compose.material3.ExperimentalMaterial3Api
import androidx.compose.material3.Icon
import androidx.compose.material3.IconButton
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Text
import androidx.compose.material3.TopAppBar
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import cn.gridpatrol.app.R
import cn.gridpatrol.viewmodel.session.ErrorKind
import cn.gridpatrol.viewmodel.session.UiError

/** Shows [error] (if any) as a card: a localised title for its kind and the core's reason. */
@Composable
fun ErrorBanner(error: UiError?, modifier: Modifier = Modifier) {
    if (error == null) return
    val title = when (error.kind) {
        ErrorKind.INVALID_INPUT -> R.string.error_invalid_input
        ErrorKind.NOT_FOUND -> R.string.error_not_found
        ErrorKind.CONFLICT -> R.string.error_conflict
        ErrorKind.STORAGE -> R.string.error_storage
        ErrorKind.NETWORK -> R.string.error_network
        ErrorKind.REJECTED -> R.string.error_rejected
        ErrorKind.INTERNAL -> R.string.error_internal
    }
    Card(
        colors = CardDefaults.cardColors(containerColor = MaterialTheme.colorScheme.errorContainer),
        modifier = modifier.fillMaxWidth().padding(8.dp),
    ) {
        Column(Modifier.padding(12.dp)) {
            Text(stringResource(title), style = MaterialTheme.typography.titleSmall)
            Text(error.reason, style = MaterialTheme.typography.bodySmall)
        }
    }
}

/** Asks for [permission] once when shown; [content] gets whether it was granted. */
@Composable
fun WithPermission(permission: String, content: @Composable (granted: Boolean) -> Unit) {
    var granted by remember { mutableStateOf<Boolean?>(null) }
    val launcher = rememberLauncherForActivityResult(ActivityResultContracts.RequestPermission()) { granted = it }
    LaunchedEffect(permission) { launcher.launch(permission) }
    granted?.let { content(it) }
}

/** A screen with a title and, when [onBack] is given, a back arrow. */
@OptIn(ExperimentalMaterial3Api::class)
@Composable
fun ScreenScaffold(
    title: String,
    onBack: (() -> Unit)? = null,
    actions: @Composable () -> Unit = {},
    content: @Composable (PaddingValues) -> Unit,
) {
    Scaffold(
        topBar = {
            TopAppBar(
                title = { Text(title) },
                navigationIcon = {
                    if (onBack != null) {
                        IconButton(onClick = onBack) {
                            Icon(Icons.AutoMirrored.Filled.ArrowBack, contentDescription = stringResource(R.string.back))
                        }
                    }
                },
                actions = { actions() },
            )
        },
        content = content,
    )
}
