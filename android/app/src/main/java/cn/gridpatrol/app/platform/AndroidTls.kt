/**
 * HTTPS from the core: its TLS verifier (rustls-platform-verifier) checks server certificates
 * with Android's own trust store, through the verifier's Kotlin component (the
 * `org.rustls:rustls-platform-verifier` AAR) and the app Context handed to it here, once per
 * process, before the core opens. Without it every HTTPS request fails; plain HTTP (a
 * development server) needs nothing.
 */
package cn.gridpatrol.app.platform

import android.content.Context

object AndroidTls {
    private var initialized = false

    /** Hands the application context to the core's verifier; again is harmless. */
    @Synchronized
    fun initialize(context: Context) {
        if (initialized) return
        // The same library JNA opens for the uniffi bindings; this also registers the JNI method.
        System.loadLibrary("gridpatrol_core")
        nativeInit(context.applicationContext)
        initialized = true
    }

    /** Implemented in the core (`core/src/android_tls.rs`). */
    @JvmStatic
    private external fun nativeInit(context: Context)
}
