#!/usr/bin/env bash
# Builds the libFuzzer target for haflow's lexer + parser + checker.
#
#   fuzz/build.sh            # -> .build-fuzz/haflow-fuzz
#
# The fuzzer is built with swiftc directly rather than as a SwiftPM target, because
# libFuzzer supplies its own `main` and a SwiftPM executable target would break the normal
# build. Modules, in dependency order:
#   InternalCollectionsUtilities, OrderedCollections  (swift-collections; -sanitize=address)
#   Lexer, Interpreter                                 (-sanitize=fuzzer,address: coverage)
#   fuzz/FuzzMain.swift linked with libFuzzer's main.
# Each module is rebuilt only when its sources or flags change (a stamp per module).
#
# Environment: FUZZ_BUILD_DIR (default .build-fuzz), SWIFTC (default swiftc),
#              FUZZ_SANITIZERS (default fuzzer,address).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${FUZZ_BUILD_DIR:-$ROOT/.build-fuzz}
SWIFTC=${SWIFTC:-swiftc}
SAN=${FUZZ_SANITIZERS:-fuzzer,address}
# Third-party code gets memory checking but no coverage, so the fuzzer steers by our code.
DEP_SAN=$(echo "$SAN" | tr ',' '\n' | grep -v '^fuzzer$' | paste -sd, || true)
MODS=$BUILD/modules
OBJS=$BUILD/objects
mkdir -p "$MODS" "$OBJS"

log() { printf 'fuzz/build: %s\n' "$*" >&2; }

# --- swift-collections sources -------------------------------------------------------------
collections_revision() {
  # The pinned revision from Package.resolved, falling back to the 1.6.0 tag.
  if [[ -f $ROOT/Package.resolved ]]; then
    python3 - "$ROOT/Package.resolved" <<'EOF' 2>/dev/null || echo 1.6.0
import json, sys
pins = json.load(open(sys.argv[1]))["pins"]
print(next(p["state"]["revision"] for p in pins if p["identity"] == "swift-collections"))
EOF
  else
    echo 1.6.0
  fi
}

find_collections() {
  local checkout=$ROOT/.build/checkouts/swift-collections
  if [[ -d $checkout/Sources/OrderedCollections ]]; then
    echo "$checkout"
    return
  fi
  local mirror=/opt/swift-packages/apple/swift-collections.git
  local extracted=$BUILD/swift-collections-src
  if [[ -d $extracted/Sources/OrderedCollections ]]; then
    echo "$extracted"
    return
  fi
  if [[ -d $mirror ]]; then
    local rev
    rev=$(collections_revision)
    log "extracting swift-collections $rev from $mirror"
    rm -rf "$extracted.tmp" && mkdir -p "$extracted.tmp"
    git -C "$mirror" archive "$rev" Sources/InternalCollectionsUtilities Sources/OrderedCollections \
      | tar -x -C "$extracted.tmp"
    mv "$extracted.tmp" "$extracted"
    echo "$extracted"
    return
  fi
  log "no swift-collections checkout; running 'swift package resolve'"
  (cd "$ROOT" && swift package resolve >&2)
  echo "$checkout"
}

COLLECTIONS=$(find_collections)

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

# build_module NAME SANITIZERS SOURCE_DIR [extra flags…]
# Compiles every .swift file under SOURCE_DIR into $MODS/NAME.swiftmodule and $OBJS/NAME.o.
CHANGED=0
# The stamps of the modules built so far: a module is rebuilt when anything upstream changed.
UPSTREAM=""
build_module() {
  local name=$1 san=$2 dir=$3
  shift 3
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
  stamp=$({
    printf '%s\n' "$SWIFTC" "${COMMON[@]}" "${sanflag[@]}" "$@" "$UPSTREAM"
    cat "${sources[@]}"
  } | sha256sum | cut -d' ' -f1)
  UPSTREAM="$UPSTREAM $stamp"
  if [[ -f $OBJS/$name.o && -f $OBJS/$name.stamp \
        && $(cat "$OBJS/$name.stamp") == "$stamp" ]]; then
    return
  fi
  log "compiling $name (${#sources[@]} files)"
  rm -f "$OBJS/$name.stamp"
  "$SWIFTC" "${COMMON[@]}" "${sanflag[@]}" "$@" -module-name "$name" \
    -emit-module -emit-module-path "$MODS/$name.swiftmodule" \
    -c -o "$OBJS/$name.o" "${sources[@]}"
  echo "$stamp" >"$OBJS/$name.stamp"
  CHANGED=1
}

build_module InternalCollectionsUtilities "$DEP_SAN" \
  "$COLLECTIONS/Sources/InternalCollectionsUtilities" "${COLLECTIONS_FLAGS[@]}"
build_module OrderedCollections "$DEP_SAN" \
  "$COLLECTIONS/Sources/OrderedCollections" "${COLLECTIONS_FLAGS[@]}"
build_module Lexer "$SAN" "$ROOT/Sources/Lexer" -swift-version 6
build_module Interpreter "$SAN" "$ROOT/Sources/Interpreter" -swift-version 6

EXE=$BUILD/haflow-fuzz
HSTAMP=$({
  printf '%s\n' "$SAN"
  cat "$ROOT/fuzz/FuzzMain.swift"
} | sha256sum | cut -d' ' -f1)
if [[ $CHANGED -eq 1 || ! -x $EXE || ! -f $BUILD/harness.stamp \
      || $(cat "$BUILD/harness.stamp") != "$HSTAMP" ]]; then
  log "linking $EXE"
  rm -f "$BUILD/harness.stamp"
  "$SWIFTC" "${COMMON[@]}" -sanitize="$SAN" -swift-version 6 -module-name FuzzMain \
    "$ROOT/fuzz/FuzzMain.swift" \
    "$OBJS/InternalCollectionsUtilities.o" "$OBJS/OrderedCollections.o" \
    "$OBJS/Lexer.o" "$OBJS/Interpreter.o" \
    -o "$EXE" 2> >(grep -v "Cannot export local symbol '__asan" >&2)
  wait
  echo "$HSTAMP" >"$BUILD/harness.stamp"
fi
echo "$EXE"
