#!/usr/bin/env bash
# Builds the Rust core for the Android app and generates its Kotlin bindings:
#  - libgridpatrol_core.so for arm64-v8a (phones) and x86_64 (emulators) with cargo-ndk, the
#    `mobile` profile (LTO, opt-level z, stripped; docs/adr/0005) and 16 KB page alignment
#    (required for apps targeting Android 15+ on 16 KB-page devices), into app/src/main/jniLibs;
#  - the uniffi Kotlin bindings (package cn.gridpatrol.core) from an unstripped host build (a
#    stripped library has no uniffi metadata), into viewmodel/src/generated/kotlin.
# Needs: the Android NDK (ANDROID_NDK_HOME, or the SDK's ndk/<version>), `cargo install
# cargo-ndk`, `rustup target add aarch64-linux-android x86_64-linux-android`.
# Usage: android/build-core.sh [--debug]   (--debug: the dev profile, faster to build)
set -euo pipefail

ANDROID_DIR=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$ANDROID_DIR/.." && pwd)
PROFILE=mobile
if [ "${1:-}" = "--debug" ]; then
  PROFILE=dev
elif [ $# -gt 0 ]; then
  echo "usage: $0 [--debug]" >&2
  exit 2
fi
MIN_SDK=26
JNI_LIBS="$ANDROID_DIR/app/src/main/jniLibs"
GENERATED="$ANDROID_DIR/viewmodel/src/generated/kotlin"

command -v cargo-ndk >/dev/null || { echo "cargo-ndk is missing: cargo install cargo-ndk" >&2; exit 1; }
if [ -z "${ANDROID_NDK_HOME:-}" ] && [ -n "${ANDROID_HOME:-}" ] && [ -d "$ANDROID_HOME/ndk" ]; then
  # The newest NDK the SDK manager installed.
  ANDROID_NDK_HOME=$(find "$ANDROID_HOME/ndk" -mindepth 1 -maxdepth 1 -type d | sort -V | tail -n 1)
  export ANDROID_NDK_HOME
fi
[ -n "${ANDROID_NDK_HOME:-}" ] || { echo "set ANDROID_NDK_HOME (or ANDROID_HOME with an NDK installed)" >&2; exit 1; }

cd "$REPO"

# 16 KB page alignment of every LOAD segment (readelf -l shows Align 0x4000).
export RUSTFLAGS="${RUSTFLAGS:-} -C link-arg=-Wl,-z,max-page-size=16384"
cargo ndk --platform "$MIN_SDK" -t arm64-v8a -t x86_64 -o "$JNI_LIBS" \
  build -p gridpatrol-core --lib --profile "$PROFILE"
unset RUSTFLAGS

# Bindings from the host library, unstripped (dev profile), with the same crate version.
cargo build -p gridpatrol-core --features cli
rm -rf "$GENERATED"
mkdir -p "$GENERATED"
target/debug/uniffi-bindgen generate target/debug/libgridpatrol_core.so \
  --language kotlin --out-dir "$GENERATED"

echo "libraries: $JNI_LIBS"
find "$JNI_LIBS" -name '*.so' -exec ls -l {} +
echo "bindings:  $GENERATED"
