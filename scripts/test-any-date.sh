#!/usr/bin/env bash
# The whole suite under a shifted system clock (libfaketime: Debian's `faketime` package), at the
# dates that broke or could break it: a December day, 23:54:30 IST on 31 December (the run crosses
# midnight and the new year), and 29 February. test/any-date.test.ts pins the sandbox's own clock at
# the same dates in every `npm test`; this also moves every other clock (Node's, the test runner's).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v faketime > /dev/null; then
  echo "test:any-date needs faketime: apt-get install -y faketime" >&2
  exit 2
fi
for at in 2026-12-15T06:30:00Z 2026-12-31T18:24:30Z 2028-02-29T06:30:00Z; do
  offset=$(( $(date -d "$at" +%s) - $(date +%s) ))
  echo "== the suite with the clock at $at"
  faketime -f "$(printf %+d "$offset")s" npx vitest run
done
