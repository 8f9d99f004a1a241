# Shared by the scripts: tool locations and step timing. Source it; do not run it.
TOOLS=${TOOLS_DIR:-.tools}                      # git-ignored; safe to delete
KOTLIN_VERSION=2.4.20
KOTLIN_HOME=$TOOLS/kc/node_modules/kotlin-compiler
VENV=$TOOLS/venv
T0=$SECONDS
step() { echo "[$(basename "$0")] $1: $((SECONDS - T0)) s" >&2; T0=$SECONDS; }
