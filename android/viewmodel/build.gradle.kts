// The view models and their UI state: plain Kotlin/JVM (no android.*), over the uniffi bindings
// that android/build-core.sh generates into src/generated/kotlin (git-ignored). scripts/test-android
// compiles and tests the same sources with kotlinc where Gradle cannot run.
plugins {
    alias(libs.plugins.kotlin.jvm)
}

kotlin {
    jvmToolchain(17)
}

sourceSets {
    main {
        kotlin.srcDir("src/generated/kotlin")
    }
}

dependencies {
    api(libs.kotlinx.coroutines.core)
    // The app brings JNA as an Android archive (jna@aar, with its native stubs); here only the API.
    compileOnly(libs.jna)
    testImplementation(libs.jna)
    testImplementation(libs.junit)
}

// The JVM tests load the host-built core and start the host-built server-stub: build them first
// (`cargo build --workspace --all-features` at the repository root).
tasks.test {
    val repo = rootDir.parentFile
    systemProperty("jna.library.path", File(repo, "target/debug").path)
    systemProperty("gridpatrol.fixtures", File(repo, "tests/fixtures").path)
    systemProperty("gridpatrol.serverStub", File(repo, "target/debug/server-stub").path)
    workingDir = repo
}
