#!/usr/bin/env bash
# Fuzzes one of haflow's parsers for a number of seconds: HAFLOW_FUZZ_TARGET picks which
# (script — the lexer, parser and checker — by default; ini, yaml, haflow-inventory,
# ssh-config, json, python-literal, kubeadm-init; see fuzz/README.md).
#
#   fuzz/run.sh [SECONDS] [extra libFuzzer flags…]     # default 60 s, target script
#   HAFLOW_FUZZ_TARGET=ini fuzz/run.sh 300             # the INI inventory reader
#   fuzz/run.sh 300 -jobs=2 -workers=2                 # two processes
#   HAFLOW_FUZZ_STRICT=1 fuzz/run.sh 60                # also trap on the target's invariants
#   FUZZ_DETECT_LEAKS=0 fuzz/run.sh 60                 # do not report memory leaks
#   fuzz/run.sh repro fuzz/crashes/script/*            # rerun saved inputs (prints the stack)
#
# Builds with fuzz/build.sh when sources changed. Per target T: the working corpus is
# fuzz/out/T/corpus (seeded from fuzz/corpus/T/ and kept between runs), the dictionary
# fuzz/dict/T.dict, libFuzzer's log fuzz/out/T/last-run.log, and any crash, timeout, OOM or
# leak input is copied to fuzz/crashes/T/.
# Exit status: 0 when nothing was found, 1 when an input was saved to fuzz/crashes/T/.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
FUZZ=$ROOT/fuzz
TARGET=${HAFLOW_FUZZ_TARGET:-script}
export HAFLOW_FUZZ_TARGET=$TARGET
if [[ ! -d $FUZZ/corpus/$TARGET ]]; then
  echo "fuzz/run: unknown target '$TARGET' (no fuzz/corpus/$TARGET/); one of:" \
    "$(ls "$FUZZ/corpus" | paste -sd' ')" >&2
  exit 2
fi
OUT=$FUZZ/out/$TARGET
CRASHES=$FUZZ/crashes/$TARGET
mkdir -p "$OUT/corpus" "$OUT/artifacts" "$CRASHES"

EXE=$("$FUZZ/build.sh")

if [[ ${1:-} == repro ]]; then
  shift
  ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=${FUZZ_DETECT_LEAKS:-1}} exec "$EXE" -runs=1 "$@"
fi

SECONDS_TO_RUN=${1:-60}
shift || true
if ! [[ $SECONDS_TO_RUN =~ ^[0-9]+$ ]]; then
  echo "usage: fuzz/run.sh [SECONDS] [libFuzzer flags…] | fuzz/run.sh repro FILE" >&2
  exit 2
fi

# The seeds join the working corpus, which is kept between runs. (Saved crashes are not
# replayed here, or a known crash would stop every run: use `fuzz/run.sh repro FILE…`.)
cp -n "$FUZZ/corpus/$TARGET"/* "$OUT/corpus/" 2>/dev/null || true

LOG=$OUT/last-run.log
before=$(ls "$OUT/artifacts" | wc -l)
echo "fuzz/run: fuzzing $TARGET for ${SECONDS_TO_RUN}s ($EXE), log in ${LOG#"$ROOT"/}" >&2
start=$(date +%s)
# With -jobs, libFuzzer writes fuzz-N.log into the current directory.
rm -f "$OUT"/fuzz-*.log
cd "$OUT"
set +e
# Leak checking is on: the REPL lives long, so a reference cycle left by the parser or the
# checker is a bug. FUZZ_DETECT_LEAKS=0 turns it off (and runs faster).
LEAKS=${FUZZ_DETECT_LEAKS:-1}
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=$LEAKS} \
  "$EXE" "$OUT/corpus" \
  -detect_leaks="$LEAKS" \
  -dict="$FUZZ/dict/$TARGET.dict" \
  -max_total_time="$SECONDS_TO_RUN" \
  -timeout=5 \
  -rss_limit_mb=4096 \
  -max_len=4096 \
  -print_final_stats=1 \
  -artifact_prefix="$OUT/artifacts/" \
  "$@" >"$LOG" 2>&1
status=$?
set -e
elapsed=$(($(date +%s) - start))

shopt -s nullglob
joblogs=("$OUT"/fuzz-*.log)
statline() {
  grep -a -h "^stat::$1" "$LOG" "${joblogs[@]}" 2>/dev/null || true
}
execs=$(statline number_of_executed_units \
  | awk '{s += $2} END {print s + 0}')
rate=$(statline average_exec_per_sec \
  | awk '{s += $2} END {print s + 0}')
peak=$(statline peak_rss_mb \
  | awk '$2 > m {m = $2} END {print m + 0}')
last=$(grep -a -h -E "^#[0-9]+" "$LOG" "${joblogs[@]}" 2>/dev/null | tail -1 || true)
cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
corpus=$(ls "$OUT/corpus" | wc -l)

new_artifacts=()
while IFS= read -r f; do
  [[ -n $f ]] && new_artifacts+=("$f")
done < <(ls -t "$OUT/artifacts" | head -n $(($(ls "$OUT/artifacts" | wc -l) - before)))
for f in "${new_artifacts[@]}"; do cp "$OUT/artifacts/$f" "$CRASHES/"; done

# Append to a running total so several runs can be summed.
echo "$(date -u +%FT%TZ) seconds=$elapsed execs=$execs cov=${cov:-?} ft=${ft:-?} status=$status" \
  >>"$OUT/history.log"

printf '\n%-22s %s\n' "target" "$TARGET"
printf '%-22s %s\n' "fuzz time" "${elapsed}s"
printf '%-22s %s\n' "executions" "$execs"
printf '%-22s %s\n' "exec/s (avg)" "$rate"
printf '%-22s %s\n' "coverage (edges)" "${cov:-?}"
printf '%-22s %s\n' "features" "${ft:-?}"
printf '%-22s %s\n' "corpus files" "$corpus"
printf '%-22s %s MB\n' "peak RSS" "$peak"
printf '%-22s %s\n' "libFuzzer exit" "$status"
awk -F'[ =]' '{t += $3; e += $5} END {printf "%-22s %ss, %s executions over %d runs\n",
  "all runs so far", t, e, NR}' "$OUT/history.log"

if [[ ${#new_artifacts[@]} -gt 0 ]]; then
  echo
  echo "FOUND ${#new_artifacts[@]} input(s), copied to fuzz/crashes/$TARGET/:"
  for f in "${new_artifacts[@]}"; do
    printf '  %s  (%s bytes)\n' "fuzz/crashes/$TARGET/$f" "$(wc -c <"$CRASHES/$f")"
  done
  echo
  echo "--- report (from ${LOG#"$ROOT"/}) ---"
  grep -a -E -A40 '==ERROR|^SUMMARY|Fatal error|deadly signal|ALARM|out-of-memory|invariant violated' \
    "$LOG" | head -80
  exit 1
fi
if [[ $status -ne 0 ]]; then
  echo "libFuzzer exited with $status and saved no input; see ${LOG#"$ROOT"/}" >&2
  tail -20 "$LOG" >&2
  exit 1
fi
