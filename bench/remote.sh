#!/usr/bin/env bash
# Remote-execution benchmark on `haflow lab` hosts: a haflow playbook and `haflow exec` beside
# a shell loop of ssh, the same with ControlMaster, and ansible-playbook with pipelining
# (installed into .haflow/bench-venv on first use). 10 commands on each of 6 hosts (--hosts N,
# up to 1000, on addresses from --first-address 127.0.4.0); prints haflow's peak memory and its
# own CPU time per command too.
#
#   bench/remote.sh                                   # release build, then measure
#   HAFLOW_BIN=path/to/haflow bench/remote.sh --runs 5 --skip-ansible
#   bench/remote.sh --hosts 200 --skip-ansible        # scale: one lab of 200 hosts
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
if [[ -z ${HAFLOW_BIN:-} ]]; then
  build=(swift build -c release --product haflow)
  [[ -n ${BENCH_SCRATCH_PATH:-} ]] && build+=(--scratch-path "$BENCH_SCRATCH_PATH")
  echo "bench: ${build[*]}" >&2
  timeout 1800 "${build[@]}" >/dev/null
  HAFLOW_BIN="$("${build[@]}" --show-bin-path)/haflow"
fi
command -v ssh >/dev/null || { apt-get install -y -q openssh-client >/dev/null; }
python3 -c 'import venv, ensurepip' 2>/dev/null || apt-get install -y -q python3-venv >/dev/null
exec python3 "$ROOT/bench/remote.py" --haflow "$HAFLOW_BIN" "$@"
