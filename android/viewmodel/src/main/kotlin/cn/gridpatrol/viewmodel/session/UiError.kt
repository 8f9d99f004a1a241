/**
 * Errors as the screens show them: what kind (so a screen can choose its words and whether to
 * offer "try again") and the core's reason sentence (names ids and items, never people).
 */
package cn.gridpatrol.viewmodel.session

import cn.gridpatrol.core.GridPatrolException
import cn.gridpatrol.core.InternalException

/** What the user can do about an error; the screens map each to a localised title. */
enum class ErrorKind {
    /** Fix the input the reason names. */
    INVALID_INPUT,

    /** The thing is gone or not on this device (e.g. a venue of another grid: sync first). */
    NOT_FOUND,

    /** Clashes with the current state (e.g. the inspection is already finished). */
    CONFLICT,

    /** The phone's storage failed (full disk, closed database). */
    STORAGE,

    /** No network or a failing server: try again later; the work is kept. */
    NETWORK,

    /** The server refused (unknown enrollment code, forged venue code). */
    REJECTED,

    /** A bug: the core panicked or the platform failed unexpectedly. */
    INTERNAL,
}

/** One error for a screen. */
data class UiError(val kind: ErrorKind, val reason: String) {
    companion object {
        /** Maps anything a core call can throw; cancellation is rethrown by the callers. */
        fun from(error: Throwable): UiError = when (error) {
            is GridPatrolException.InvalidInput -> UiError(ErrorKind.INVALID_INPUT, error.reason)
            is GridPatrolException.NotFound -> UiError(ErrorKind.NOT_FOUND, error.reason)
            is GridPatrolException.Conflict -> UiError(ErrorKind.CONFLICT, error.reason)
            is GridPatrolException.Storage -> UiError(ErrorKind.STORAGE, error.reason)
            is GridPatrolException.Network -> UiError(ErrorKind.NETWORK, error.reason)
            is GridPatrolException.Rejected -> UiError(ErrorKind.REJECTED, error.reason)
            is InternalException -> UiError(ErrorKind.INTERNAL, error.message ?: "internal error")
            else -> UiError(ErrorKind.INTERNAL, error.message ?: error.javaClass.simpleName)
        }
    }
}
