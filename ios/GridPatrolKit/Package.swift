// swift-tools-version:5.9
// GridPatrolKit: the Rust core as a binary target with its generated Swift bindings (module
// GridPatrolCore), and the view models the SwiftUI app renders (module GridPatrolKit), which mirror
// the Android view models name for name. Run ios/build-xcframework.sh first: it writes
// Frameworks/GridPatrolCoreFFI.xcframework and Sources/GridPatrolCore/GridPatrolCore.swift.
import PackageDescription

let package = Package(
    name: "GridPatrolKit",
    platforms: [.iOS(.v17), .macOS(.v14)],
    products: [
        .library(name: "GridPatrolKit", targets: ["GridPatrolKit"]),
    ],
    targets: [
        // libgridpatrol_core.a per platform + the C header and module map (GridPatrolCoreFFI).
        .binaryTarget(
            name: "GridPatrolCoreFFI",
            path: "Frameworks/GridPatrolCoreFFI.xcframework"
        ),
        // The uniffi-generated Swift bindings, as generated (never edited by hand).
        .target(
            name: "GridPatrolCore",
            dependencies: ["GridPatrolCoreFFI"],
            path: "Sources/GridPatrolCore",
            linkerSettings: [
                // rustls-platform-verifier checks server certificates with the system trust
                // store (Security.framework, through core-foundation).
                .linkedFramework("Security"),
                .linkedFramework("CoreFoundation"),
            ]
        ),
        .target(
            name: "GridPatrolKit",
            dependencies: ["GridPatrolCore"],
            swiftSettings: [.enableExperimentalFeature("StrictConcurrency")]
        ),
        // The scripted day and the pure helpers. On macOS (`swift test`) the scripted day starts
        // the workspace's server-stub itself; see Tests/GridPatrolKitTests/ServerStub.swift.
        .testTarget(
            name: "GridPatrolKitTests",
            dependencies: ["GridPatrolKit"]
        ),
    ]
)
