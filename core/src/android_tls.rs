//! Android only: HTTPS certificates are checked by Android's own trust store through
//! `rustls-platform-verifier` (reqwest's verifier), which calls into a small Kotlin component of
//! its own and must be handed the app's `Context` over JNI before the first TLS connection. The
//! app calls `cn.gridpatrol.app.platform.AndroidTls.initialize(context)` once per process,
//! before the core opens (docs/adr/0015-android-tls.md). uniffi cannot pass a JNI environment,
//! hence this one hand-written JNI entry point.

use jni::errors::ThrowRuntimeExAndDefault;
use jni::objects::{JClass, JObject};
use jni::EnvUnowned;

/// `AndroidTls.nativeInit(Context)`: keeps the JVM, the context and its class loader for the
/// verifier. Calling it again changes nothing; a JNI failure is thrown as a `RuntimeException`.
#[no_mangle]
pub extern "system" fn Java_cn_gridpatrol_app_platform_AndroidTls_nativeInit<'caller>(
    mut env: EnvUnowned<'caller>,
    _class: JClass<'caller>,
    context: JObject<'caller>,
) {
    env.with_env(|env| rustls_platform_verifier::android::init_with_env(env, context))
        .resolve::<ThrowRuntimeExAndDefault>()
}
