#!/usr/bin/env bash
# Runs the README's "First calls" block word for word on a fresh HOME (new user secrets, so a new signing key) and checks
# each answer: the case is read back (200 with an ETag) and consent is recorded. Stops the API it started by its process
# group id. Issue 16: the newcomer path must work as written.
set -euo pipefail
cd "$(dirname "$0")/../.."

block=$(awk '/^## First calls/{f=1} f&&/^```bash$/{b=1;next} b&&/^```$/{exit} b{print}' README.md)
[ -n "$block" ] || { echo "No First calls block in README.md" >&2; exit 1; }

home=$(mktemp -d)
out=$(mktemp)
# The block in its own session (process group), so everything it starts stops with it.
HOME="$home" DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 setsid bash -euo pipefail -c "$block" >"$out" 2>&1 &
runner=$!
stop() { kill -- -"$runner" 2>/dev/null || true; rm -rf "$home"; }
trap stop EXIT

# The block ends after its last call; the API it started keeps running in the group until stopped here.
for _ in $(seq 1 900); do
  kill -0 "$runner" 2>/dev/null || break
  sleep 1
done

fail() { echo "First calls: $1" >&2; echo "--- output ---" >&2; cat "$out" >&2; exit 1; }
grep -q '^HTTP/1.1 200' "$out" || fail "step 4 did not read the case back (200)"
grep -qi '^etag: "1"' "$out" || fail "step 4 carried no ETag \"1\""
grep -q '"consentStatus":"Given"' "$out" || fail "step 5 did not record consent"
! grep -q '"status":401' "$out" || fail "a call was refused (401)"
echo "First calls: every step answered as the README says."
