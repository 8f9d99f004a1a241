// GridPatrol Android: the Compose app and the plain Kotlin/JVM view-model module.
pluginManagement {
    repositories {
        google()
        mavenCentral()
        gradlePluginPortal()
    }
}

dependencyResolutionManagement {
    repositoriesMode.set(RepositoriesMode.FAIL_ON_PROJECT_REPOS)
    repositories {
        google()
        mavenCentral()
        // The Kotlin half of rustls-platform-verifier (the core's TLS verifier) is published only
        // here, as a Maven repository in the project's GitHub archive branch.
        maven("https://github.com/rustls/rustls-platform-verifier/raw/maven-archive/android-release-support/maven/") {
            name = "RustlsPlatformVerifier"
            content { includeGroup("org.rustls") }
        }
    }
}

rootProject.name = "GridPatrol"
include(":app", ":viewmodel")
