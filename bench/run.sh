#!/usr/bin/env bash
# Builds haflow in release and prints the benchmark table:
#   - `haflow check` on a generated 50,000-line playbook (best of 3, minus startup);
#   - fib(27), a 1e6-iteration loop and 1e5 string appends in haflow, python3 and lua5.4.
#
#   bench/run.sh                       # build with `swift build -c release`, then measure
#   HAFLOW_BIN=path/to/haflow bench/run.sh          # measure an existing binary
#   BENCH_SCRATCH_PATH=.build-bench bench/run.sh    # build in a separate scratch path
#   bench/run.sh --runs 5 --lines 100000 --timeout 60 --skip-check --skip-programs
#
# Exits non-zero with a message when the build fails, a program fails, times out or prints a
# wrong result, or the generated playbook does not check clean.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

if [[ -z ${HAFLOW_BIN:-} ]]; then
  build=(swift build -c release --product haflow)
  [[ -n ${BENCH_SCRATCH_PATH:-} ]] && build+=(--scratch-path "$BENCH_SCRATCH_PATH")
  log=$(mktemp)
  trap 'rm -f "$log"' EXIT
  echo "bench: ${build[*]}" >&2
  start=$(date +%s)
  if ! timeout 1800 "${build[@]}" >"$log" 2>&1; then
    tail -40 "$log" >&2
    echo "bench: release build failed" >&2
    exit 1
  fi
  echo "bench: built in $(($(date +%s) - start))s" >&2
  HAFLOW_BIN="$("${build[@]}" --show-bin-path)/haflow"
fi
if [[ ! -x $HAFLOW_BIN ]]; then
  echo "bench: no haflow binary at $HAFLOW_BIN" >&2
  exit 1
fi

LUA=$(command -v lua5.4 || true)
if [[ -z $LUA && $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
  echo "bench: installing lua5.4" >&2
  (apt-get install -y lua5.4 >/dev/null 2>&1 \
    || { apt-get update >/dev/null 2>&1 && apt-get install -y lua5.4 >/dev/null 2>&1; }) || true
  LUA=$(command -v lua5.4 || true)
fi

echo
echo "haflow benchmarks — $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'), $(nproc) cores, $(date -u +%F)"
echo "binary: $HAFLOW_BIN; python3 $(python3 -c 'import platform; print(platform.python_version())')${LUA:+; $("$LUA" -v 2>&1 | cut -d' ' -f1-2)}"
echo
exec python3 "$ROOT/bench/bench.py" --haflow "$HAFLOW_BIN" ${LUA:+--lua "$LUA"} "$@"
