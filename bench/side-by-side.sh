#!/usr/bin/env bash
# Two checkouts measured at the same time (bench/thread-cpu.ts in each), so both see the same
# host speed; each gets about half the machine, so compare CPU per request, not requests/s.
#   bench/side-by-side.sh OTHER_CHECKOUT [PHASE (login|me-bearer|me-cookie|refresh)] [ROUNDS (3)]
# OTHER_CHECKOUT needs node_modules (a symlink to this one's will do): e.g.
#   git worktree add /tmp/before <commit> && ln -s "$PWD/node_modules" /tmp/before/node_modules
# and, if it predates bench/thread-cpu.ts, a copy of it (it only needs bench/lib/).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
other="$(cd "$1" && pwd)"
phase="${2:-login}"
rounds="${3:-3}"
for dir in "$other" "$here"; do (cd "$dir" && npm run build > /dev/null); done
for _ in $(seq "$rounds"); do
  (cd "$other" && PORT=3200 BENCH_SKIP_BUILD=1 node --import tsx bench/thread-cpu.ts "$phase") &
  (cd "$here" && PORT=3400 BENCH_SKIP_BUILD=1 node --import tsx bench/thread-cpu.ts "$phase") &
  wait
done
