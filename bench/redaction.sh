#!/usr/bin/env bash
# What redacting secrets costs on a command's output: a local `cat` of 10 MB (64-byte lines,
# every 100th holding a secret) in a run that knows 0, 1, 10 or 100 secrets. Every line the
# command prints passes through the run's matcher (one automaton, however many secrets), and
# so does the result's stdout. Prints, per secret count, the best wall time of the command
# (timed inside haflow with now(), so start-up and checking are left out) and its cost over
# the run with no secrets.
#
#   bench/redaction.sh                          # build with `swift build -c release`
#   HAFLOW_BIN=path/to/haflow bench/redaction.sh --runs 5 --megabytes 10
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

runs=3
megabytes=10
while [[ $# -gt 0 ]]; do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    --megabytes) megabytes=$2; shift 2 ;;
    *) echo "usage: $0 [--runs N] [--megabytes N]" >&2; exit 2 ;;
  esac
done

if [[ -z ${HAFLOW_BIN:-} ]]; then
  build=(swift build -c release --product haflow)
  [[ -n ${BENCH_SCRATCH_PATH:-} ]] && build+=(--scratch-path "$BENCH_SCRATCH_PATH")
  echo "bench: ${build[*]}" >&2
  if ! timeout 1800 "${build[@]}" >/dev/null 2>&1; then
    echo "bench: release build failed" >&2
    exit 1
  fi
  HAFLOW_BIN="$("${build[@]}" --show-bin-path)/haflow"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# 64-byte lines (63 characters and a newline); every 100th carries the first secret.
python3 - "$work/out.txt" "$megabytes" <<'EOF'
import sys
path, megabytes = sys.argv[1], int(sys.argv[2])
lines = megabytes * 1024 * 1024 // 64
plain = "lorem ipsum dolor sit amet, consectetur adipiscing elit sed do e"[:63]
leak = ("token s3cr3t-0-Xq9vT2mLp0aZ leaked here " + plain)[:63]
with open(path, "w") as f:
    for i in range(lines):
        f.write((leak if i % 100 == 0 else plain) + "\n")
EOF

cat >"$work/redact.hf" <<'EOF'
param n: int = 0
param file: string
var secrets = []
for i in range(n) { secrets = append(secrets, secret("s3cr3t-${i}-Xq9vT2mLp0aZ")) }
let start = now()
let r = local `cat ${file}`
let elapsed = now() - start
assert(n == 0 or not contains(r.stdout, "s3cr3t-0-"), "a secret was not redacted")
print("${elapsed} ${len(r.stdout)}")
EOF

best() {
  local n=$1 best="" out elapsed
  for _ in $(seq "$runs"); do
    out=$("$HAFLOW_BIN" run --quiet "$work/redact.hf" -p n="$n" -p file="$work/out.txt")
    elapsed=${out%% *}
    if [[ -z $best ]] || awk -v a="$elapsed" -v b="$best" 'BEGIN { exit !(a < b) }'; then
      best=$elapsed
    fi
  done
  echo "$best"
}

size=$(stat -c %s "$work/out.txt")
printf 'output: %.1f MB in %d lines, best of %d\n' "$(echo "$size / 1048576" | bc -l)" \
  "$((size / 64))" "$runs"
printf '%8s  %10s  %12s  %10s\n' secrets "command s" "redaction s" "MB/s"
base=$(best 0)
printf '%8s  %10.3f  %12s  %10s\n' 0 "$base" - -
for n in 1 10 100; do
  t=$(best "$n")
  awk -v n="$n" -v t="$t" -v b="$base" -v s="$size" 'BEGIN {
    d = t - b; rate = d > 0 ? s / 1048576 / d : 0
    printf "%8d  %10.3f  %12.3f  %10.0f\n", n, t, d, rate }'
done
