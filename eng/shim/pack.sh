#!/usr/bin/env bash
# Rebuilds the metadata-only shim package into the repo-local feed (eng/feed).
set -euo pipefail
cd "$(dirname "$0")"
dotnet pack Patched.DistributedLock.Postgres.csproj -c Release -o ../feed --nologo
rm -rf bin obj
