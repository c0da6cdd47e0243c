#!/usr/bin/env bash
# Build entry point: ./build.sh [--target=Build|Test|Run] [--urls=http://127.0.0.1:5080]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
dotnet tool restore >/dev/null
exec dotnet cake build.cake "$@"
