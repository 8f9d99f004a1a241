/**
 * The base of every view model: one immutable UI state in a `StateFlow`, updated on the main
 * dispatcher, and actions that return their `Job` so tests (and previews) can wait for them.
 * Plain Kotlin, no androidx: the app keeps these objects in its own graph.
 */
package cn.gridpatrol.viewmodel.session

import kotlin.coroutines.cancellation.CancellationException
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch

/** Holds [state]; subclasses change it with [setState] and run work with [launchAction]. */
abstract class StateViewModel<S>(
    initial: S,
    protected val scope: CoroutineScope,
    protected val dispatchers: AppDispatchers,
) {
    private val mutableState = MutableStateFlow(initial)

    /** What the screen renders. */
    val state: StateFlow<S> = mutableState.asStateFlow()

    /** Replaces the state with `change(current)`. */
    protected fun setState(change: (S) -> S) = mutableState.update(change)

    /** Launches an action on the main dispatcher; the screen ignores the Job, tests join it. */
    protected fun launchAction(block: suspend CoroutineScope.() -> Unit): Job =
        scope.launch(dispatchers.main, block = block)

    /**
     * Starts following a flow (core events, another view model's state) for the life of the
     * scope. Unlike [launchAction] nobody waits for it: it ends only when the scope does.
     */
    protected fun follow(block: suspend CoroutineScope.() -> Unit) {
        scope.launch(dispatchers.main, block = block)
    }

    /** Re-runs [reload] whenever the core reports an event that makes this screen [stale]. */
    protected fun reloadOn(session: CoreSession, stale: (CoreEvent) -> Boolean, reload: () -> Job) = follow {
        session.events.collect { event -> if (stale(event)) reload() }
    }

    /**
     * Runs [block], turning any core or platform failure into a [UiError] (cancellation passes
     * through). The screens show the error; nothing is thrown at them.
     */
    protected suspend fun <T> attempt(block: suspend () -> T): Result<T> = try {
        Result.success(block())
    } catch (e: CancellationException) {
        throw e
    } catch (e: Exception) {
        Result.failure(e)
    }
}

/** The error of a failed [Result] as the screens show it. */
fun Result<*>.uiError(): UiError? = exceptionOrNull()?.let(UiError::from)
