#!/usr/bin/env bash
# The server issue's before/after table in one run: the sink of a checkout from before the
# performance work (a git worktree, built here) and this checkout's, beside the node:net floor,
# smtp-sink, smtp-server (with and without its greeting wait) and Haraka, then the system calls
# per message. Run it on a quiet machine: about 25 minutes, every load bounded.
#
#   packages/server/bench/before-after.sh [REV] [DIR]
#     REV  the commit to compare against (default: 195dc6d^, the last before the first
#          performance commit of the server issue)
#     DIR  where its worktree is (default: /tmp/smtpkit-bench-before; made when missing)
#
# Remove the worktree afterwards with `git worktree remove DIR`.
set -euo pipefail
export COREPACK_ENABLE_DOWNLOAD_PROMPT=0 COREPACK_INTEGRITY_KEYS=0 TURBO_TELEMETRY_DISABLED=1

root="$(cd "$(dirname "$0")/../../.." && pwd)"
rev="${1:-195dc6d^}"
dir="${2:-/tmp/smtpkit-bench-before}"

if [ ! -d "$dir" ]; then
  git -C "$root" worktree add --detach "$dir" "$rev"
fi
echo "before: $(git -C "$dir" log --oneline -1)"
echo "after:  $(git -C "$root" log --oneline -1)"
(cd "$dir" && pnpm install --frozen-lockfile --offline >/dev/null &&
  pnpm turbo run build --filter=@smtpkit/server... --filter=@smtpkit/sink >/dev/null)
(cd "$root" && pnpm turbo run build --filter=@smtpkit/server... --filter=@smtpkit/sink >/dev/null)

cd "$root/packages/server"
SMTPKIT_BENCH_BASELINE="$dir" SMTPKIT_BENCH_MICRO=0 pnpm bench
SMTPKIT_BENCH_BASELINE="$dir" pnpm bench:syscalls
