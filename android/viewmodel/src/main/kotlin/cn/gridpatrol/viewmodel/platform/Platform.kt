/**
 * The platform services the view models need, as small interfaces the app implements (Android:
 * `LocationManager`, `ConnectivityManager`, app-private files, `SharedPreferences`, WorkManager)
 * and the JVM tests implement with plain objects. Nothing here imports `android.*`, so the view
 * models compile and run on the desktop JVM against the real core.
 */
package cn.gridpatrol.viewmodel.platform

import cn.gridpatrol.core.CredentialStore
import cn.gridpatrol.core.LocationFix
import java.io.File
import java.time.Instant
import java.time.ZoneId
import kotlinx.coroutines.flow.StateFlow

/** One location fix on demand. Android: the platform `LocationManager` (no Play services). */
fun interface LocationSource {
    /**
     * A recent fix in WGS-84 with its accuracy, provider and mock flag, or null when there is
     * none in time (indoors, permission refused). Never blocks for long: proof of presence is
     * recorded and flagged, never a reason to stop the worker.
     */
    suspend fun currentFix(): LocationFix?
}

/** Whether the device has a usable network. Android: a `ConnectivityManager` callback. */
interface Connectivity {
    val online: StateFlow<Boolean>
}

/** App-private storage. Android: `Context.filesDir` / `cacheDir`. */
interface AppFiles {
    /** The core's SQLite database file. */
    val databaseFile: File

    /** The core's evidence folder (normalised photos and thumbnails). */
    val evidenceDir: File

    /** A fresh file for the camera to write one photo into (app-private, deleted after use). */
    fun newCaptureFile(): File
}

/**
 * Small persisted settings the core does not own: the privacy consent (before it, nothing is
 * collected and the core is not opened) and the UI language. Android: `SharedPreferences`.
 */
interface AppPreferences {
    /** The consent text version the user accepted, or null. */
    var consentVersion: Int?

    /** A BCP-47 tag (`zh-CN`, `en`), or null for the default (zh-CN). */
    var language: String?

    /** The last server URL typed or scanned at enrollment, to prefill the form. */
    var lastServerUrl: String?
}

/** Asks the OS to run a sync pass when the network allows (Android: WorkManager unique work). */
fun interface BackgroundSync {
    /** Enqueues (or keeps) the one background sync; cheap to call after every change. */
    fun request()
}

/** Wall clock and time zone, for "today" on the home screen. */
interface Clock {
    fun now(): Instant

    fun zone(): ZoneId

    companion object {
        /** The system clock and default zone. */
        val SYSTEM: Clock = object : Clock {
            override fun now(): Instant = Instant.now()

            override fun zone(): ZoneId = ZoneId.systemDefault()
        }
    }
}

/** Everything the view models get from the platform, in one place. */
class PlatformServices(
    val files: AppFiles,
    val preferences: AppPreferences,
    val location: LocationSource,
    val connectivity: Connectivity,
    val backgroundSync: BackgroundSync,
    val clock: Clock = Clock.SYSTEM,
    /** Shown to the server at enrollment, e.g. the phone model. */
    val deviceName: String,
    /** Where the core keeps the bearer token (Android: `KeystoreTokenStore`); null: its database. */
    val credentials: CredentialStore? = null,
)
