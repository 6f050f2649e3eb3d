#!/usr/bin/env bash
# Lints the API's OpenAPI document with Spectral (OpenAPI ruleset + OWASP API security ruleset); exits non-zero on any error.
# Usage: eng/openapi-lint/lint.sh [DOCUMENT]
# Without an argument it lints the committed snapshot, which the OpenApiTests test proves equal to the document the API
# serves (in CI, where SNAPSHOOTER_STRICT_MODE=on, a stale snapshot fails the test run before this script runs).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
document="${1:-$here/../../tests/Referral.IntegrationTests/Api/__snapshots__/OpenApiTests.OpenApi_document_is_unchanged.snap}"

cd "$here"
if [ ! -x node_modules/.bin/spectral ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

# Spectral reads .json files; the snapshot starts with a byte-order mark.
plain="$(mktemp --suffix=.json)"
trap 'rm -f "$plain"' EXIT
sed '1s/^\xEF\xBB\xBF//' "$document" > "$plain"

node_modules/.bin/spectral lint "$plain" --ruleset .spectral.yaml --fail-severity error --display-only-failures --format stylish
echo "OpenAPI lint: no errors (warnings are listed with their reasons in docs/manual/privacy.md)."
