/**
 * One location fix from the platform LocationManager (GPS, then network provider): no Google
 * Play services, which many phones in China do not have. Records the mock-location flag. Asked
 * only when a scan starts an inspection (or a resident chooses to share), after consent and with
 * the runtime permission; without it the scan is recorded as "no fix", never refused.
 */
package cn.gridpatrol.app.platform

import android.Manifest
import android.annotation.SuppressLint
import android.content.Context
import android.content.pm.PackageManager
import android.location.Location
import android.location.LocationManager
import android.os.Build
import android.os.CancellationSignal
import androidx.core.content.ContextCompat
import cn.gridpatrol.core.LocationFix
import cn.gridpatrol.viewmodel.platform.LocationSource
import java.util.concurrent.Executors
import kotlin.coroutines.resume
import kotlinx.coroutines.suspendCancellableCoroutine
import kotlinx.coroutines.withTimeoutOrNull

class AndroidLocationSource(context: Context) : LocationSource {
    private val appContext = context.applicationContext
    private val manager = appContext.getSystemService(LocationManager::class.java)
    private val executor = Executors.newSingleThreadExecutor()

    override suspend fun currentFix(): LocationFix? {
        if (!permitted()) return null
        val providers = listOf(LocationManager.GPS_PROVIDER, LocationManager.NETWORK_PROVIDER)
            .filter { manager.isProviderEnabled(it) }
        for (provider in providers) {
            val fresh = withTimeoutOrNull(FIX_TIMEOUT_MS) { current(provider) }
            if (fresh != null) return fresh.toFix()
        }
        // Indoors: a recent last-known fix is better than none; its time and accuracy say how good.
        return providers.mapNotNull { lastKnown(it) }
            .filter { System.currentTimeMillis() - it.time < MAX_LAST_KNOWN_AGE_MS }
            .minByOrNull { it.accuracy }
            ?.toFix()
    }

    private fun permitted() = ContextCompat.checkSelfPermission(appContext, Manifest.permission.ACCESS_FINE_LOCATION) ==
        PackageManager.PERMISSION_GRANTED ||
        ContextCompat.checkSelfPermission(appContext, Manifest.permission.ACCESS_COARSE_LOCATION) ==
        PackageManager.PERMISSION_GRANTED

    @SuppressLint("MissingPermission") // checked in permitted()
    private suspend fun current(provider: String): Location? = suspendCancellableCoroutine { cont ->
        if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.R) {
            val signal = CancellationSignal()
            cont.invokeOnCancellation { signal.cancel() }
            manager.getCurrentLocation(provider, signal, executor) { location -> cont.resume(location) }
        } else {
            @Suppress("DEPRECATION")
            manager.requestSingleUpdate(provider, { location -> if (cont.isActive) cont.resume(location) }, appContext.mainLooper)
        }
    }

    @SuppressLint("MissingPermission") // checked in permitted()
    private fun lastKnown(provider: String): Location? = manager.getLastKnownLocation(provider)

    private fun Location.toFix() = LocationFix(
        latitude = latitude,
        longitude = longitude,
        accuracyM = if (hasAccuracy()) accuracy.toDouble() else UNKNOWN_ACCURACY_M,
        provider = provider ?: "unknown",
        mock = if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.S) isMock else @Suppress("DEPRECATION") isFromMockProvider,
        fixTimeMs = time,
    )

    private companion object {
        const val FIX_TIMEOUT_MS = 8_000L
        const val MAX_LAST_KNOWN_AGE_MS = 10 * 60 * 1000L
        const val UNKNOWN_ACCURACY_M = 9_999.0
    }
}
