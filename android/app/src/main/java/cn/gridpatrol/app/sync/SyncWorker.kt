/**
 * Background sync: WorkManager unique work with a network constraint runs one core sync pass
 * (`syncNow`), also after the app was closed or the phone rebooted. Runs only when consent was
 * given (the core then opens in this process if the UI has not opened it).
 */
package cn.gridpatrol.app.sync

import android.content.Context
import androidx.work.BackoffPolicy
import androidx.work.Constraints
import androidx.work.CoroutineWorker
import androidx.work.ExistingWorkPolicy
import androidx.work.NetworkType
import androidx.work.OneTimeWorkRequestBuilder
import androidx.work.WorkManager
import androidx.work.WorkerParameters
import cn.gridpatrol.app.GridPatrolApp
import cn.gridpatrol.core.SyncOutcome
import cn.gridpatrol.viewmodel.app.AppViewModel
import cn.gridpatrol.viewmodel.platform.BackgroundSync
import java.util.concurrent.TimeUnit

class SyncWorker(context: Context, params: WorkerParameters) : CoroutineWorker(context, params) {
    override suspend fun doWork(): Result {
        val app = (applicationContext as GridPatrolApp).app
        if (app.screens == null) {
            if ((applicationContext as GridPatrolApp).platform.preferences.consentVersion != AppViewModel.CONSENT_VERSION) {
                return Result.success()
            }
            app.start().join()
        }
        val session = app.screens?.session ?: return Result.retry()
        val report = runCatching { session.callAsync { it.syncNow() } }.getOrNull() ?: return Result.retry()
        return when (report.outcome) {
            SyncOutcome.COMPLETED, SyncOutcome.AUTH_REQUIRED, SyncOutcome.PAUSED, SyncOutcome.FAILED -> Result.success()
            SyncOutcome.OFFLINE, SyncOutcome.SERVER_UNAVAILABLE -> Result.retry()
        }
    }
}

/** Enqueues the one background sync (kept if already queued). */
class WorkManagerBackgroundSync(private val context: Context) : BackgroundSync {
    override fun request() {
        val work = OneTimeWorkRequestBuilder<SyncWorker>()
            .setConstraints(Constraints.Builder().setRequiredNetworkType(NetworkType.CONNECTED).build())
            .setBackoffCriteria(BackoffPolicy.EXPONENTIAL, 30, TimeUnit.SECONDS)
            .build()
        WorkManager.getInstance(context).enqueueUniqueWork(UNIQUE_NAME, ExistingWorkPolicy.KEEP, work)
    }

    private companion object {
        const val UNIQUE_NAME = "gridpatrol-sync"
    }
}
