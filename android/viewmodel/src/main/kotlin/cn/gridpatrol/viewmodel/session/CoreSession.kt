/**
 * The open core: one `GridPatrol` for the app's lifetime, its listener turned into a flow the
 * view models collect on the main dispatcher, and the one way view models call the core (on the
 * io dispatcher). Opened only after the privacy consent.
 */
package cn.gridpatrol.viewmodel.session

import cn.gridpatrol.core.CredentialStore
import cn.gridpatrol.core.GridPatrol
import cn.gridpatrol.core.GridPatrolConfig
import cn.gridpatrol.core.GridPatrolListener
import cn.gridpatrol.core.OutboxStatus
import cn.gridpatrol.core.RefusalRecord
import cn.gridpatrol.core.SyncProgress
import cn.gridpatrol.core.SyncReport
import cn.gridpatrol.core.WarningRecord
import cn.gridpatrol.viewmodel.platform.AppFiles
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.channels.BufferOverflow
import kotlinx.coroutines.flow.MutableSharedFlow
import kotlinx.coroutines.flow.SharedFlow
import kotlinx.coroutines.flow.asSharedFlow
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext

/** What the core's listener reported, as one type the view models can `when` over. */
sealed class CoreEvent {
    /** An event was committed to the journal (`kind` e.g. `inspection.finished`). */
    data class JournalAppended(val deviceSeq: ULong, val kind: String) : CoreEvent()

    data class OutboxChanged(val status: OutboxStatus) : CoreEvent()

    data class SyncProgressed(val progress: SyncProgress) : CoreEvent()

    data class SyncFinished(val report: SyncReport) : CoreEvent()

    /** A warning reached this user (or was escalated to them): show it until acknowledged (叫应). */
    data class WarningReceived(val warning: WarningRecord) : CoreEvent()

    /** The server took one of this device's events but did not apply it: show the reason. */
    data class EventRefused(val refusal: RefusalRecord) : CoreEvent()
}

/** The open core and its events. Create with [open]; end with [close]. */
class CoreSession private constructor(
    private val core: GridPatrol,
    val dispatchers: AppDispatchers,
    scope: CoroutineScope,
) {
    // The listener is called on a core thread after each commit; events hop to the main
    // dispatcher before anyone sees them. A slow collector must never stall the core's thread,
    // so the buffer drops the oldest progress rather than suspending (counts are re-read anyway).
    private val _events = MutableSharedFlow<CoreEvent>(
        extraBufferCapacity = 256,
        onBufferOverflow = BufferOverflow.DROP_OLDEST,
    )

    /** Every listener call, delivered on the main dispatcher. */
    val events: SharedFlow<CoreEvent> = _events.asSharedFlow()

    private val listener = object : GridPatrolListener {
        override fun onJournalAppended(deviceSeq: ULong, kind: String) =
            deliver(CoreEvent.JournalAppended(deviceSeq, kind))

        override fun onOutboxChanged(status: OutboxStatus) = deliver(CoreEvent.OutboxChanged(status))

        override fun onSyncProgress(progress: SyncProgress) = deliver(CoreEvent.SyncProgressed(progress))

        override fun onSyncFinished(report: SyncReport) = deliver(CoreEvent.SyncFinished(report))

        override fun onWarning(warning: WarningRecord) = deliver(CoreEvent.WarningReceived(warning))

        override fun onEventRefused(refusal: RefusalRecord) = deliver(CoreEvent.EventRefused(refusal))

        private fun deliver(event: CoreEvent) {
            scope.launch(dispatchers.main) { _events.emit(event) }
        }
    }

    init {
        core.setListener(listener)
    }

    /** Runs [block] against the core on the io dispatcher (core calls must stay off the UI thread). */
    suspend fun <T> call(block: (GridPatrol) -> T): T = withContext(dispatchers.io) { block(core) }

    /** Runs an async core call (enroll, syncNow); uniffi resumes it on the core's runtime. */
    suspend fun <T> callAsync(block: suspend (GridPatrol) -> T): T = withContext(dispatchers.io) { block(core) }

    /** Stops the listener and closes the database, then frees the native handle. */
    fun close() {
        runCatching { core.setListener(null) }
        core.shutdown()
        core.close()
    }

    companion object {
        /**
         * Opens (creating if needed) the core in app-private storage. Throws
         * `GridPatrolException.Storage` for an unusable database (a corrupt one is moved aside).
         * With [credentials] (Android: the Keystore) the bearer token is kept there instead of
         * the database, set before anything reads the enrollment; a token the database still
         * holds moves there at once.
         */
        suspend fun open(
            files: AppFiles,
            locale: String?,
            credentials: CredentialStore?,
            dispatchers: AppDispatchers,
            scope: CoroutineScope,
        ): CoreSession {
            val core = withContext(dispatchers.io) {
                val core = GridPatrol.open(
                    GridPatrolConfig(
                        databasePath = files.databaseFile.path,
                        evidenceDir = files.evidenceDir.path,
                        locale = locale ?: DEFAULT_LOCALE,
                    ),
                )
                try {
                    core.setCredentialStore(credentials)
                } catch (e: Exception) {
                    core.shutdown()
                    core.close()
                    throw e
                }
                core
            }
            return CoreSession(core, dispatchers, scope)
        }

        /** Chinese first: the app's default language. */
        const val DEFAULT_LOCALE = "zh-CN"
    }
}
