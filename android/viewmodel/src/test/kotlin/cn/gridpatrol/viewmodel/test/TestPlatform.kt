package cn.gridpatrol.viewmodel.test

import cn.gridpatrol.core.CredentialStore
import cn.gridpatrol.core.LocationFix
import cn.gridpatrol.viewmodel.platform.AppFiles
import cn.gridpatrol.viewmodel.platform.AppPreferences
import cn.gridpatrol.viewmodel.platform.BackgroundSync
import cn.gridpatrol.viewmodel.platform.Connectivity
import cn.gridpatrol.viewmodel.platform.LocationSource
import cn.gridpatrol.viewmodel.platform.PlatformServices
import cn.gridpatrol.viewmodel.session.AppDispatchers
import java.io.File
import java.nio.file.Files
import java.util.concurrent.Executors
import java.util.concurrent.atomic.AtomicInteger
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.asCoroutineDispatcher
import kotlinx.coroutines.cancel
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout

/**
 * The platform side of the app for JVM tests: files in a temp folder, preferences in memory, a
 * settable connectivity flag, a location source that counts its calls, a background-sync
 * request counter, a single "main" thread, and optionally a credential store. The core and the
 * server are real.
 */
class TestPlatform(fix: LocationFix?, credentials: CredentialStore? = null) : AutoCloseable {
    val root: File = Files.createTempDirectory("gp-viewmodel").toFile()
    /** Set to false to tell the app the network is gone. */
    val online = MutableStateFlow(true)
    private val connectivity = object : Connectivity {
        override val online: StateFlow<Boolean> = this@TestPlatform.online
    }
    val locationCalls = AtomicInteger()
    val backgroundRequests = AtomicInteger()
    private val captures = AtomicInteger()

    val preferences = object : AppPreferences {
        override var consentVersion: Int? = null
        override var language: String? = null
        override var lastServerUrl: String? = null
    }

    val files = object : AppFiles {
        override val databaseFile = File(root, "core/gridpatrol.db")
        override val evidenceDir = File(root, "core/evidence")
        override fun newCaptureFile() = File(root, "captures/photo-${captures.incrementAndGet()}.jpg").also { it.parentFile.mkdirs() }
    }

    val services = PlatformServices(
        files = files,
        preferences = preferences,
        location = LocationSource { locationCalls.incrementAndGet(); fix },
        connectivity = connectivity,
        backgroundSync = BackgroundSync { backgroundRequests.incrementAndGet() },
        deviceName = "JVM test phone",
        credentials = credentials,
    )

    private val mainThread = Executors.newSingleThreadExecutor { r -> Thread(r, "test-main") }
    val dispatchers = AppDispatchers(main = mainThread.asCoroutineDispatcher())
    val scope = CoroutineScope(SupervisorJob() + dispatchers.main)

    override fun close() {
        scope.cancel()
        mainThread.shutdown()
        root.deleteRecursively()
    }
}

/** Waits (at most [seconds]) until the state satisfies [predicate]; returns that state. */
fun <S> StateFlow<S>.await(seconds: Long = 30, predicate: (S) -> Boolean): S = runBlocking {
    withTimeout(seconds * 1000) { first(predicate) }
}
