/** App-private storage for the core (database, evidence) and camera captures. */
package cn.gridpatrol.app.platform

import android.content.Context
import cn.gridpatrol.viewmodel.platform.AppFiles
import java.io.File
import java.util.UUID

class AndroidAppFiles(context: Context) : AppFiles {
    private val files = context.applicationContext.filesDir
    private val cache = context.applicationContext.cacheDir

    override val databaseFile: File = File(files, "core/gridpatrol.db")

    override val evidenceDir: File = File(files, "core/evidence")

    // Captures live in app-private files (not cache: the OS may clear cache while the core reads).
    override fun newCaptureFile(): File =
        File(files, "captures/${UUID.randomUUID()}.jpg").also { it.parentFile?.mkdirs() }

    /** Where a ledger CSV export is written before it is shared. */
    fun exportFile(name: String): File = File(cache, "exports/$name").also { it.parentFile?.mkdirs() }
}
