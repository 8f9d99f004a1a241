/**
 * The Application: sets up the core's HTTPS verifier, builds the platform services and the root
 * view model once per process.
 * Nothing is collected here: the core opens (and location, camera, sync start) only after the
 * privacy consent, when AppViewModel says so.
 */
package cn.gridpatrol.app

import android.app.Application
import android.os.Build
import cn.gridpatrol.app.platform.AndroidAppFiles
import cn.gridpatrol.app.platform.AndroidConnectivity
import cn.gridpatrol.app.platform.AndroidLocationSource
import cn.gridpatrol.app.platform.AndroidPreferences
import cn.gridpatrol.app.platform.AndroidTls
import cn.gridpatrol.app.platform.KeystoreTokenStore
import cn.gridpatrol.app.sync.WorkManagerBackgroundSync
import cn.gridpatrol.viewmodel.app.AppViewModel
import cn.gridpatrol.viewmodel.platform.PlatformServices
import cn.gridpatrol.viewmodel.session.AppDispatchers
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob

class GridPatrolApp : Application() {
    /** Lives as long as the process; view models launch their work here. */
    val appScope = CoroutineScope(SupervisorJob() + Dispatchers.Main.immediate)

    val dispatchers = AppDispatchers(main = Dispatchers.Main.immediate, io = Dispatchers.IO)

    val platform: PlatformServices by lazy {
        PlatformServices(
            files = AndroidAppFiles(this),
            preferences = AndroidPreferences(this),
            location = AndroidLocationSource(this),
            connectivity = AndroidConnectivity(this),
            backgroundSync = WorkManagerBackgroundSync(this),
            deviceName = "${Build.MANUFACTURER} ${Build.MODEL}",
            credentials = KeystoreTokenStore(this),
        )
    }

    /** The root view model: consent, opening the core, which screens to show. */
    val app: AppViewModel by lazy { AppViewModel(platform, appScope, dispatchers) }

    override fun onCreate() {
        super.onCreate()
        // Before anything can open the core and sync: HTTPS needs the platform verifier set up.
        AndroidTls.initialize(this)
    }
}
