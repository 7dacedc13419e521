#!/usr/bin/env bash
# Instruction counts (valgrind --tool=callgrind) of the benchmark programs: repeatable where
# wall times are not (a shared, loaded machine). Prints one line per program, with python3's
# count beside haflow's, and the count of an empty program (process start).
#
#   bench/callgrind.sh                           # .build/release/haflow (build it first)
#   HAFLOW_BIN=path/to/haflow bench/callgrind.sh
#   KEEP=dir bench/callgrind.sh                  # keep the callgrind.out files for callgrind_annotate
#
# valgrind 3.19 cannot read the DWARF that Swift 6.3 writes, so the binary is measured as a
# copy without debug info (symbols stay: callgrind_annotate still names every function).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HAFLOW_BIN=${HAFLOW_BIN:-$ROOT/.build/release/haflow}
command -v valgrind >/dev/null || { echo "callgrind.sh: valgrind not found" >&2; exit 1; }
[[ -x $HAFLOW_BIN ]] || { echo "callgrind.sh: no haflow binary at $HAFLOW_BIN" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out=${KEEP:-$work}
mkdir -p "$out"
objcopy --strip-debug "$HAFLOW_BIN" "$work/haflow"
python=$(python3 -c 'import sys; print(sys.executable)')
: >"$work/empty.hf"

count() { # count NAME COMMAND...: the instruction count of one run
  local name=$1
  shift
  valgrind --tool=callgrind --callgrind-out-file="$out/$name.callgrind" "$@" 2>&1 >/dev/null \
    | sed -n 's/.*I   refs: *//p' | tr -d ,
}

row() { # row NAME HAFLOW [PYTHON]: one line of the table
  python3 - "$@" <<'PY'
import sys
name, hf = sys.argv[1], int(sys.argv[2])
py = int(sys.argv[3]) if len(sys.argv) > 3 else 0
shown = f"{py:,}" if py else ""
ratio = f"{hf / py:.2f}x" if py else ""
print(f"{name:<10} {hf:>16,} {shown:>16} {ratio:>8}")
PY
}

printf '%-10s %16s %16s %8s\n' program haflow python3 hf/py
for program in fib loop string; do
  row "$program" "$(count "haflow-$program" "$work/haflow" run "$ROOT/bench/programs/$program.hf")" \
    "$(count "python-$program" "$python" "$ROOT/bench/programs/$program.py")"
done
row "(start)" "$(count haflow-empty "$work/haflow" run "$work/empty.hf")"
