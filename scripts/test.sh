#!/usr/bin/env bash
# The whole test suite, from a fresh Debian machine with a Swift 6.2+ toolchain on PATH:
#   1. installs the apt packages the build and the tests need, only those missing;
#   2. checks formatting: swift format lint --strict over Sources/ and Tests/;
#   3. builds everything (tests included) and fails on any compiler warning;
#   4. runs swift test (in parallel; the CLI tests in a second pass) and repeats its summary
#      lines at the end.
# Lint and warning failures do not stop the tests from running; the exit status is non-zero
# if any stage failed.
#
# Environment:
#   HAFLOW_SCRATCH=DIR   build in DIR (swift --scratch-path) instead of .build
#   SKIP_APT=1           do not look at apt packages
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# iproute2: SSHJumpTests bring up lo with `ip` in the network namespace they create.
packages=(libssh2-1-dev libedit-dev openssh-server haproxy etcd-server etcd-client sudo iproute2 lua5.4 pkg-config)
scratch=()
if [[ -n "${HAFLOW_SCRATCH:-}" ]]; then scratch=(--scratch-path "$HAFLOW_SCRATCH"); fi
logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT
failed=()

step() { printf '\n==> %s\n' "$*"; }

install_packages() {
  if [[ "${SKIP_APT:-}" == 1 ]] || ! command -v dpkg-query >/dev/null; then
    step "apt packages: skipped (SKIP_APT=1 or not a Debian system)"
    return
  fi
  local missing=()
  for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$package")
    fi
  done
  if ((${#missing[@]} == 0)); then
    step "apt packages: all present (${packages[*]})"
    return
  fi
  step "apt packages: installing ${missing[*]}"
  local sudo=()
  if [[ "$(id -u)" != 0 ]]; then
    if ! command -v sudo >/dev/null; then
      echo "test.sh: need root or sudo to install: ${missing[*]}" >&2
      exit 1
    fi
    sudo=(sudo)
  fi
  "${sudo[@]}" apt-get update
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
    "${missing[@]}"
}

install_packages

step "swift format lint --strict Sources Tests"
if swift format lint -r --strict Sources Tests; then
  echo "format: clean"
else
  failed+=("format")
fi

step "swift build --build-tests ${scratch[*]}"
if ! swift build --build-tests "${scratch[@]}" 2>&1 | tee "$logs/build.log"; then
  echo "test.sh: the build failed" >&2
  exit 1
fi
if grep -E '(^|: )warning: ' "$logs/build.log" | sort -u >"$logs/warnings.log" \
  && [[ -s "$logs/warnings.log" ]]; then
  echo "test.sh: the build has warnings:" >&2
  cat "$logs/warnings.log" >&2
  failed+=("warnings")
fi

# Two passes: the end-to-end CLI tests wait on child processes synchronously, which ties up
# Swift Testing's cooperative threads (two on a 2-core machine); run alongside the executor
# tests they delay those tests' timers by seconds and fail their timing bounds.
step "swift test --skip HaflowCLITests ${scratch[*]}"
if ! swift test --skip-build --skip HaflowCLITests "${scratch[@]}" 2>&1 | tee "$logs/test.log"; then
  failed+=("tests")
fi
step "swift test --filter HaflowCLITests ${scratch[*]}"
if ! swift test --skip-build --filter HaflowCLITests "${scratch[@]}" 2>&1 | tee -a "$logs/test.log"; then
  failed+=("cli-tests")
fi

step "summary"
grep -E 'Test run with [0-9]+ tests?|Executed [0-9]+ tests?' "$logs/test.log" || true
if ((${#failed[@]} > 0)); then
  echo "test.sh: FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "test.sh: all stages passed"
