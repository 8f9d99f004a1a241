#!/usr/bin/env bash
# Builds the core as a static-library XCFramework for the iOS app, and its Swift bindings.
#
#   ios/build-xcframework.sh [--intel-sim] [--no-macos] [--profile NAME]
#
# Output (git-ignored), inside the Swift package so SwiftPM accepts the binary target's path:
#   ios/GridPatrolKit/Frameworks/GridPatrolCoreFFI.xcframework   static libgridpatrol_core.a per
#       platform + the C header and module map of the `GridPatrolCoreFFI` clang module
#   ios/GridPatrolKit/Sources/GridPatrolCore/GridPatrolCore.swift   the generated bindings
#
# Slices: iOS device (aarch64-apple-ios), iOS simulator (aarch64-apple-ios-sim; with
# --intel-sim also x86_64-apple-ios, joined with lipo), and macOS for the host's architecture
# (so `swift test` runs the view-model tests natively on a Mac; --no-macos leaves it out).
# The libraries use the `mobile` profile (docs/adr/0005); the bindings are generated in library
# mode from an unstripped host build, because a stripped library has no uniffi metadata left.
#
# Needs macOS with Xcode (xcodebuild, lipo, clang), rustup with the targets added, and nasm for
# the x86_64 simulator slice only (mozjpeg's SIMD code; `brew install nasm`).
set -euo pipefail
cd "$(dirname "$0")/.."

PROFILE=mobile
INTEL_SIM=0
MACOS=1
while [ $# -gt 0 ]; do
  case "$1" in
    --intel-sim) INTEL_SIM=1 ;;
    --no-macos) MACOS=0 ;;
    --profile) PROFILE=${2:?--profile needs a name}; shift ;;
    -h | --help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

die() { echo "build-xcframework: $*" >&2; exit 1; }
[ "$(uname -s)" = Darwin ] || die "needs macOS with Xcode (xcodebuild); see ios/README.md"
for tool in cargo rustup xcodebuild lipo; do
  command -v "$tool" >/dev/null || die "$tool not found"
done

KIT=ios/GridPatrolKit
XCFRAMEWORK=$KIT/Frameworks/GridPatrolCoreFFI.xcframework
BINDINGS_DIR=$KIT/Sources/GridPatrolCore
TARGET_DIR=${CARGO_TARGET_DIR:-target}
STAGE=$TARGET_DIR/ios-xcframework
# The C code in the core's dependencies (SQLite, libjpeg-turbo, aws-lc) is compiled for the same
# minimum OS versions as the app and the package (project.yml, Package.swift).
export IPHONEOS_DEPLOYMENT_TARGET=17.0
export MACOSX_DEPLOYMENT_TARGET=14.0

case "$(uname -m)" in
  arm64) MAC_TARGET=aarch64-apple-darwin ;;
  x86_64) MAC_TARGET=x86_64-apple-darwin ;;
  *) die "unsupported Mac architecture $(uname -m)" ;;
esac

TARGETS=(aarch64-apple-ios aarch64-apple-ios-sim)
[ "$INTEL_SIM" = 1 ] && TARGETS+=(x86_64-apple-ios)
[ "$MACOS" = 1 ] && TARGETS+=("$MAC_TARGET")
INSTALLED=$(rustup target list --installed)
for target in "${TARGETS[@]}"; do
  grep -qx "$target" <<<"$INSTALLED" || die "missing Rust target: rustup target add $target"
done
if [ "$INTEL_SIM" = 1 ]; then
  command -v nasm >/dev/null || die "the x86_64 simulator slice needs nasm (brew install nasm)"
fi

# Only the staticlib crate type: the core also declares cdylib (Android), which iOS does not use.
staticlib() {
  cargo rustc -p gridpatrol-core --lib --profile "$PROFILE" --target "$1" --crate-type staticlib
}
for target in "${TARGETS[@]}"; do
  echo "== core for $target ($PROFILE)" >&2
  staticlib "$target"
done
lib() { echo "$TARGET_DIR/$1/$PROFILE/libgridpatrol_core.a"; }

# Bindings from an unstripped host build (the same sources, so the same uniffi checksums).
echo "== Swift bindings (library mode)" >&2
cargo build -p gridpatrol-core --features cli
rm -rf "$STAGE"
mkdir -p "$STAGE/bindings" "$STAGE/headers/GridPatrolCoreFFI" "$STAGE/ios-simulator"
"$TARGET_DIR/debug/uniffi-bindgen" generate "$TARGET_DIR/debug/libgridpatrol_core.dylib" \
  --language swift --no-format --out-dir "$STAGE/bindings"

# The header and module map go into a folder named after the module: Xcode merges the Headers of
# every static XCFramework into one include folder, where two top-level module.modulemap files
# would collide; clang finds <include>/GridPatrolCoreFFI/module.modulemap by the module's name.
cp "$STAGE/bindings/GridPatrolCoreFFI.h" "$STAGE/headers/GridPatrolCoreFFI/"
cp "$STAGE/bindings/GridPatrolCoreFFI.modulemap" "$STAGE/headers/GridPatrolCoreFFI/module.modulemap"

# One library per platform variant: the simulator slice is fat when the Intel slice is built.
SIM_LIB=$(lib aarch64-apple-ios-sim)
if [ "$INTEL_SIM" = 1 ]; then
  SIM_LIB=$STAGE/ios-simulator/libgridpatrol_core.a
  lipo -create "$(lib aarch64-apple-ios-sim)" "$(lib x86_64-apple-ios)" -output "$SIM_LIB"
fi
SLICES=(-library "$(lib aarch64-apple-ios)" -headers "$STAGE/headers"
  -library "$SIM_LIB" -headers "$STAGE/headers")
if [ "$MACOS" = 1 ]; then
  SLICES+=(-library "$(lib "$MAC_TARGET")" -headers "$STAGE/headers")
fi

echo "== $XCFRAMEWORK" >&2
rm -rf "$XCFRAMEWORK"
mkdir -p "$(dirname "$XCFRAMEWORK")" "$BINDINGS_DIR"
xcodebuild -create-xcframework "${SLICES[@]}" -output "$XCFRAMEWORK"
cp "$STAGE/bindings/GridPatrolCore.swift" "$BINDINGS_DIR/GridPatrolCore.swift"

du -sh "$XCFRAMEWORK"/*/ >&2
echo "done: open ios/GridPatrol.xcodeproj after 'cd ios && xcodegen generate'" >&2
