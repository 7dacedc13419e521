#!/usr/bin/env python3
"""Times `haflow check` on a generated playbook and three small programs against python3/lua.

Called by bench/run.sh, which builds haflow first:

    bench/bench.py --haflow PATH [--lua PATH] [--lines N] [--runs N] [--timeout S]

Prints one table. Exits 1 when a program fails, times out, prints a wrong result, or when
`haflow check` reports an error on the generated playbook.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PROGRAMS = os.path.join(HERE, "programs")
CHECK_TARGET_S = 0.5

# name, description, expected result
BENCHMARKS = [
    ("fib", "fib(27), recursive", "196418"),
    ("loop", "1e6-iteration while loop", "499999500000"),
    ("string", "1e5 appends s += \"x\"", "100000"),
]


class BenchError(Exception):
    pass


def run_once(argv, timeout, ok_codes=(0,)):
    """Runs argv, returns (seconds, stdout). Raises BenchError on failure or timeout."""
    start = time.perf_counter()
    try:
        proc = subprocess.run(
            argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            timeout=timeout)
    except subprocess.TimeoutExpired:
        raise BenchError(f"timed out after {timeout}s: {' '.join(argv)}")
    except OSError as e:
        raise BenchError(f"cannot run {' '.join(argv)}: {e}")
    elapsed = time.perf_counter() - start
    if proc.returncode not in ok_codes:
        out = (proc.stdout + proc.stderr).decode("utf-8", "replace").strip().splitlines()
        tail = "\n".join("    " + line for line in out[:25])
        raise BenchError(f"exit {proc.returncode}: {' '.join(argv)}\n{tail}")
    return elapsed, proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace")


def best_of(argv, runs, timeout):
    times = []
    stdout = ""
    for _ in range(runs):
        t, stdout, _ = run_once(argv, timeout)
        times.append(t)
    return min(times), times, stdout


def result_of(stdout):
    """The program's answer: the last word of the last non-empty output line."""
    lines = [line for line in stdout.splitlines() if line.strip()]
    return lines[-1].split()[-1] if lines else "<no output>"


def fmt_s(seconds):
    if seconds is None:
        return "n/a"
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.3f} s"


def fmt_ratio(a, b):
    if a is None or b is None or b <= 0:
        return "n/a"
    return f"{a / b:.2f}x"


def bench_check(haflow, lines, runs, timeout, workdir):
    gen = os.path.join(HERE, "gen_playbook.py")
    playbook = os.path.join(workdir, "playbook.hf")
    empty = os.path.join(workdir, "empty.hf")
    subprocess.run([sys.executable, gen, str(lines), "-o", playbook], check=True)
    open(empty, "w").close()
    size = os.path.getsize(playbook)
    with open(playbook, encoding="utf-8") as f:
        nlines = sum(1 for _ in f)

    # First a validity run: the playbook must check clean (warnings allowed).
    try:
        run_once([haflow, "check", playbook], timeout)
    except BenchError as e:
        raise BenchError(f"the generated playbook does not pass `haflow check`: {e}")
    t_full, all_full, _ = best_of([haflow, "check", playbook], runs, timeout)
    t_empty, all_empty, _ = best_of([haflow, "check", empty], runs, timeout)
    pure = max(t_full - t_empty, 1e-9)

    print(f"haflow check on a generated playbook: {nlines:,} lines, {size / 1e6:.2f} MB "
          f"(best of {runs})")
    print(f"  {'playbook':<28}{fmt_s(t_full):>12}   runs: "
          + ", ".join(fmt_s(t) for t in all_full))
    print(f"  {'empty file (startup)':<28}{fmt_s(t_empty):>12}   runs: "
          + ", ".join(fmt_s(t) for t in all_empty))
    verdict = "OK" if pure < CHECK_TARGET_S else "OVER TARGET"
    print(f"  {'lex + parse + check':<28}{fmt_s(pure):>12}   {nlines / pure:,.0f} lines/s "
          f"({nlines / t_full:,.0f} lines/s with startup); target < {CHECK_TARGET_S} s: {verdict}")
    print()
    return pure < CHECK_TARGET_S


def bench_programs(haflow, lua, runs, timeout):
    langs = [("haflow", lambda n: [haflow, "run", os.path.join(PROGRAMS, n + ".hf")]),
             ("python3", lambda n: [sys.executable, os.path.join(PROGRAMS, n + ".py")])]
    if lua:
        langs.append(("lua5.4", lambda n: [lua, os.path.join(PROGRAMS, n + ".lua")]))

    print(f"programs (wall clock, process start included, best of {runs})")
    header = (f"  {'program':<28}{'result':>14}{'haflow':>12}{'python3':>12}{'lua5.4':>12}"
              f"{'hf/python':>11}{'hf/lua':>9}")
    print(header)
    print("  " + "-" * (len(header) - 2))
    failures = []
    for name, description, expected in BENCHMARKS:
        times = {}
        results = {}
        for lang, argv in langs:
            try:
                t, _, stdout = best_of(argv(name), runs, timeout)
            except BenchError as e:
                failures.append(f"{name} ({lang}): {e}")
                continue
            times[lang] = t
            results[lang] = result_of(stdout)
        wrong = {lang: r for lang, r in results.items() if r != expected}
        for lang, r in wrong.items():
            failures.append(f"{name} ({lang}): printed {r!r}, expected {expected}")
        shown = results.get("haflow", "FAILED")
        mark = "" if not wrong and len(results) == len(langs) else " !"
        print(f"  {description:<28}{shown + mark:>14}{fmt_s(times.get('haflow')):>12}"
              f"{fmt_s(times.get('python3')):>12}{fmt_s(times.get('lua5.4')):>12}"
              f"{fmt_ratio(times.get('haflow'), times.get('python3')):>11}"
              f"{fmt_ratio(times.get('haflow'), times.get('lua5.4')):>9}")
    if not lua:
        print("  (lua5.4 not found: lua column skipped)")
    print()
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--haflow", required=True)
    parser.add_argument("--lua")
    parser.add_argument("--lines", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per process")
    parser.add_argument("--skip-check", action="store_true")
    parser.add_argument("--skip-programs", action="store_true")
    args = parser.parse_args()

    failures = []
    with tempfile.TemporaryDirectory(prefix="haflow-bench-") as workdir:
        if not args.skip_check:
            try:
                bench_check(args.haflow, args.lines, args.runs, args.timeout, workdir)
            except BenchError as e:
                failures.append(f"check: {e}")
                print(f"haflow check: FAILED\n")
    if not args.skip_programs:
        failures += bench_programs(args.haflow, args.lua, args.runs, args.timeout)

    if failures:
        print("FAILED:", file=sys.stderr)
        for f in failures:
            print("  " + f.replace("\n", "\n  "), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
