/** The two dispatchers the view models use: the UI thread and a pool for core calls. */
package cn.gridpatrol.viewmodel.session

import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.Dispatchers

/**
 * [main] runs state updates (Android: `Dispatchers.Main.immediate`; JVM tests: one thread).
 * [io] runs every core call: they touch SQLite, files and images and must stay off the UI thread.
 */
class AppDispatchers(
    val main: CoroutineDispatcher,
    val io: CoroutineDispatcher = Dispatchers.IO,
)
