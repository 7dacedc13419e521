#!/usr/bin/env bash
# Builds the libFuzzer binary for haflow's parsers: one binary, the target picked at run time
# by HAFLOW_FUZZ_TARGET (script, ini, yaml, haflow-inventory, ssh-config, json,
# python-literal, kubeadm-init; see fuzz/README.md).
#
#   fuzz/build.sh            # -> .build-fuzz/haflow-fuzz
#
# The fuzzer is built with swiftc directly rather than as a SwiftPM target, because
# libFuzzer supplies its own `main` and a SwiftPM executable target would break the normal
# build. Modules, in dependency order:
#   InternalCollectionsUtilities, OrderedCollections  (swift-collections; -sanitize=address)
#   CYaml (libyaml, C, clang -fsanitize=address), Yams (-sanitize=address)
#   Lexer, Interpreter, Inventory                      (-sanitize=fuzzer,address: coverage)
#   fuzz/harness/*.swift + Stdlib's JSON reader/writer and kubeadm output parser, linked with
#   libFuzzer's main.
# Third-party code gets memory checking but no coverage, so the fuzzer steers by our code.
# Each module is rebuilt only when its sources, flags or imported modules change.
#
# Environment: FUZZ_BUILD_DIR (default .build-fuzz), SWIFTC (default swiftc), CLANG (default
#              the clang beside swiftc), FUZZ_SANITIZERS (default fuzzer,address).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${FUZZ_BUILD_DIR:-$ROOT/.build-fuzz}
SWIFTC=${SWIFTC:-swiftc}
CLANG=${CLANG:-$(dirname "$(command -v "$SWIFTC")")/clang}
SAN=${FUZZ_SANITIZERS:-fuzzer,address}
DEP_SAN=$(echo "$SAN" | tr ',' '\n' | grep -v '^fuzzer$' | paste -sd, || true)
MODS=$BUILD/modules
OBJS=$BUILD/objects
mkdir -p "$MODS" "$OBJS"

log() { printf 'fuzz/build: %s\n' "$*" >&2; }

# Two run.sh started together (two targets at a time) build one after the other.
exec 9>"$BUILD/.lock"
flock 9

# --- third-party sources --------------------------------------------------------------------
# package_revision IDENTITY FALLBACK: the revision Package.resolved pins, else FALLBACK (a tag).
package_revision() {
  if [[ -f $ROOT/Package.resolved ]]; then
    python3 - "$ROOT/Package.resolved" "$1" <<'EOF_PY' 2>/dev/null || echo "$2"
import json, sys
pins = json.load(open(sys.argv[1]))["pins"]
print(next(p["state"]["revision"] for p in pins if p["identity"] == sys.argv[2]))
EOF_PY
  else
    echo "$2"
  fi
}

# find_package CHECKOUT IDENTITY FALLBACK MIRROR PATH…: a directory holding the package's
# PATHs: SwiftPM's checkout when it has them, else PATHs extracted from the machine's mirror
# at the pinned revision, else a `swift package resolve`.
find_package() {
  local checkout=$ROOT/.build/checkouts/$1 identity=$2 fallback=$3 mirror=$4
  shift 4
  if [[ -d $checkout/$1 ]]; then
    echo "$checkout"
    return
  fi
  local extracted=$BUILD/$identity-src
  if [[ -d $extracted/$1 ]]; then
    echo "$extracted"
    return
  fi
  if [[ -d $mirror ]]; then
    local rev
    rev=$(package_revision "$identity" "$fallback")
    log "extracting $identity $rev from $mirror"
    rm -rf "$extracted.tmp" && mkdir -p "$extracted.tmp"
    git -C "$mirror" archive "$rev" "$@" | tar -x -C "$extracted.tmp"
    mv "$extracted.tmp" "$extracted"
    echo "$extracted"
    return
  fi
  log "no $identity checkout; running 'swift package resolve'"
  (cd "$ROOT" && swift package resolve >&2)
  echo "$checkout"
}

# The settings swift-collections' Package.swift gives its targets.
COLLECTIONS_FLAGS=(
  -package-name swift_collections
  -D COLLECTIONS_RANDOMIZED_TESTING
  -enable-upcoming-feature MemberImportVisibility
  -enable-experimental-feature BuiltinModule
  -enable-experimental-feature Lifetimes
  -enable-experimental-feature InoutLifetimeDependence
  -enable-experimental-feature AddressableParameters
  -enable-experimental-feature AddressableTypes
  -enable-experimental-feature SuppressedAssociatedTypesWithDefaults
)
for macro in \
  "SwiftStdlib 5.0: macOS 10.14.4, iOS 12.2, watchOS 5.2, tvOS 12.2" \
  "SwiftStdlib 5.1: macOS 10.15, iOS 13.0, watchOS 6.0, tvOS 13.0" \
  "SwiftStdlib 5.6: macOS 12.3, iOS 15.4, watchOS 8.5, tvOS 15.4" \
  "SwiftStdlib 5.7: macOS 13.0, iOS 16.0, watchOS 9.0, tvOS 16.0" \
  "SwiftStdlib 5.8: macOS 13.3, iOS 16.4, watchOS 9.4, tvOS 16.4" \
  "SwiftStdlib 5.9: macOS 14.0, iOS 17.0, watchOS 10.0, tvOS 17.0" \
  "SwiftStdlib 5.10: macOS 14.4, iOS 17.4, watchOS 10.4, tvOS 17.4, visionOS 1.1" \
  "SwiftStdlib 6.0: macOS 15.0, iOS 18.0, watchOS 11.0, tvOS 18.0, visionOS 2.0" \
  "SwiftStdlib 6.1: macOS 15.4, iOS 18.4, watchOS 11.4, tvOS 18.4, visionOS 2.4" \
  "SwiftStdlib 6.2: macOS 26.0, iOS 26.0, watchOS 26.0, tvOS 26.0, visionOS 26.0" \
  "SwiftStdlib 6.3: macOS 26.4, iOS 26.4, watchOS 26.4, tvOS 26.4, visionOS 26.4" \
  "SwiftStdlib 6.4: macOS 9999, iOS 9999, watchOS 9999, tvOS 9999, visionOS 9999" \
  "SwiftStdlib 6.5: macOS 9999, iOS 9999, watchOS 9999, tvOS 9999, visionOS 9999"; do
  COLLECTIONS_FLAGS+=(-enable-experimental-feature "AvailabilityMacro=$macro")
done

COMMON=(-parse-as-library -O -g -wmo -num-threads 0 -I "$MODS")

# Each module's stamp hashes the compiler, flags, sources and the stamps of the modules it
# imports, so a change rebuilds it and what depends on it, nothing else.
CHANGED=0
declare -A STAMPS=()

# stamp_of NAME…: the stamps of modules built earlier, for a dependant's stamp.
stamp_of() {
  local name
  for name in "$@"; do printf '%s %s\n' "$name" "${STAMPS[$name]}"; done
}

# up_to_date NAME STAMP: whether NAME's object was built from STAMP.
up_to_date() {
  [[ -f $OBJS/$1.o && -f $OBJS/$1.stamp && $(cat "$OBJS/$1.stamp") == "$2" ]]
}

# build_module NAME SANITIZERS "DEPS" SOURCE_DIR [extra swiftc flags…]
# Compiles every .swift file under SOURCE_DIR into $MODS/NAME.swiftmodule and $OBJS/NAME.o.
build_module() {
  local name=$1 san=$2 deps=$3 dir=$4
  shift 4
  local sources=()
  while IFS= read -r -d '' f; do sources+=("$f"); done \
    < <(find "$dir" -name '*.swift' -print0 | LC_ALL=C sort -z)
  if [[ ${#sources[@]} -eq 0 ]]; then
    log "no sources in $dir"
    exit 1
  fi
  local sanflag=()
  [[ -n $san ]] && sanflag=(-sanitize="$san")
  local stamp
  # shellcheck disable=SC2086 # DEPS is a list of module names
  stamp=$({
    printf '%s\n' "$SWIFTC" "${COMMON[@]}" "${sanflag[@]}" "$@"
    stamp_of $deps
    cat "${sources[@]}"
  } | sha256sum | cut -d' ' -f1)
  STAMPS[$name]=$stamp
  up_to_date "$name" "$stamp" && return
  log "compiling $name (${#sources[@]} files)"
  rm -f "$OBJS/$name.stamp"
  "$SWIFTC" "${COMMON[@]}" "${sanflag[@]}" "$@" -module-name "$name" \
    -emit-module -emit-module-path "$MODS/$name.swiftmodule" \
    -c -o "$OBJS/$name.o" "${sources[@]}"
  echo "$stamp" >"$OBJS/$name.stamp"
  CHANGED=1
}

# build_c_library NAME SANITIZERS SOURCE_DIR [extra clang flags…]
# Compiles every .c file under SOURCE_DIR and links them into one relocatable $OBJS/NAME.o.
build_c_library() {
  local name=$1 san=$2 dir=$3
  shift 3
  local sources=()
  while IFS= read -r -d '' f; do sources+=("$f"); done \
    < <(find "$dir" -name '*.c' -print0 | LC_ALL=C sort -z)
  local sanflag=()
  [[ -n $san ]] && sanflag=(-fsanitize="$san")
  local stamp
  stamp=$({
    printf '%s\n' "$CLANG" "${sanflag[@]}" "$@"
    find "$(dirname "$dir")" -name '*.[ch]' -print0 | LC_ALL=C sort -z | xargs -0 cat
  } | sha256sum | cut -d' ' -f1)
  STAMPS[$name]=$stamp
  up_to_date "$name" "$stamp" && return
  log "compiling $name (${#sources[@]} C files)"
  rm -f "$OBJS/$name.stamp"
  local dest=$OBJS/$name.c-objects
  rm -rf "$dest" && mkdir -p "$dest"
  local f
  for f in "${sources[@]}"; do
    "$CLANG" -O2 -g -fPIC "${sanflag[@]}" "$@" -c "$f" -o "$dest/$(basename "$f" .c).o"
  done
  ld -r -o "$OBJS/$name.o" "$dest"/*.o
  echo "$stamp" >"$OBJS/$name.stamp"
  CHANGED=1
}

COLLECTIONS=$(find_package swift-collections swift-collections 1.6.0 \
  /opt/swift-packages/apple/swift-collections.git \
  Sources/InternalCollectionsUtilities Sources/OrderedCollections)
YAMS=$(find_package Yams yams 6.2.2 /opt/swift-packages/jpsim/Yams.git \
  Sources/CYaml Sources/Yams)
# Yams' package settings: libyaml built static, its headers and module map.
YAML_FLAGS=(-DYAML_DECLARE_STATIC -I "$YAMS/Sources/CYaml/include")
YAML_SWIFT_FLAGS=(-Xcc -DYAML_DECLARE_STATIC -Xcc -I"$YAMS/Sources/CYaml/include")

build_module InternalCollectionsUtilities "$DEP_SAN" "" \
  "$COLLECTIONS/Sources/InternalCollectionsUtilities" "${COLLECTIONS_FLAGS[@]}"
build_module OrderedCollections "$DEP_SAN" "InternalCollectionsUtilities" \
  "$COLLECTIONS/Sources/OrderedCollections" "${COLLECTIONS_FLAGS[@]}"
# libyaml, the C part of Yams: AddressSanitizer, no coverage (compiled with clang).
build_c_library CYaml "$DEP_SAN" "$YAMS/Sources/CYaml/src" "${YAML_FLAGS[@]}"
build_module Yams "$DEP_SAN" "CYaml" "$YAMS/Sources/Yams" -swift-version 5 -D SWIFT_PACKAGE \
  "${YAML_SWIFT_FLAGS[@]}"
build_module Lexer "$SAN" "" "$ROOT/Sources/Lexer" -swift-version 6
build_module Interpreter "$SAN" "Lexer OrderedCollections" "$ROOT/Sources/Interpreter" \
  -swift-version 6
# -enable-testing: the harness reaches the readers' internal entry points (@testable import).
build_module Inventory "$SAN" "Lexer OrderedCollections Yams" "$ROOT/Sources/Stdlib/Inventory" \
  -swift-version 6 -enable-testing "${YAML_SWIFT_FLAGS[@]}"

# The harness: fuzz/harness/*.swift, with the Stdlib target's JSON reader and writer compiled
# in (the rest of Stdlib is not needed, and JSONParser is internal to it).
HARNESS_SOURCES=("$ROOT"/fuzz/harness/*.swift
  "$ROOT"/Sources/Stdlib/Builtins/Support/JSON{Parser,Writer}.swift
  "$ROOT"/Sources/Stdlib/Builtins/Kubeadm/Kubeadm{Formats,JoinCommand,OutputParser}.swift)
OBJECTS=()
for name in InternalCollectionsUtilities OrderedCollections CYaml Yams Lexer Interpreter Inventory
do
  OBJECTS+=("$OBJS/$name.o")
done
EXE=$BUILD/haflow-fuzz
HSTAMP=$({
  printf '%s\n' "$SAN"
  stamp_of "${!STAMPS[@]}" | LC_ALL=C sort
  cat "${HARNESS_SOURCES[@]}"
} | sha256sum | cut -d' ' -f1)
if [[ $CHANGED -eq 1 || ! -x $EXE || ! -f $BUILD/harness.stamp \
      || $(cat "$BUILD/harness.stamp") != "$HSTAMP" ]]; then
  log "linking $EXE"
  rm -f "$BUILD/harness.stamp"
  # Linked beside and renamed, so a fuzzer already running keeps its binary.
  # (From $BUILD: with -g the driver leaves FuzzMain-N.swiftmodule files in the directory.)
  (cd "$BUILD" && "$SWIFTC" "${COMMON[@]}" -sanitize="$SAN" -swift-version 6 -module-name FuzzMain \
    "${YAML_SWIFT_FLAGS[@]}" "${HARNESS_SOURCES[@]}" "${OBJECTS[@]}" \
    -o "$EXE.tmp") 2> >(grep -v "Cannot export local symbol '__asan" >&2)
  wait
  mv -f "$EXE.tmp" "$EXE"
  echo "$HSTAMP" >"$BUILD/harness.stamp"
fi
echo "$EXE"
