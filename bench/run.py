#!/usr/bin/env python
"""Run every benchmark of bench/ and keep their figures, for people (a table) and for comparison between runs
(bench/results.json, with the machine's CPU reference and the database used).

    python bench/run.py [--quick] [--only NAME ...] [--out bench/results.json] [--national]

Each benchmark is its own script run in a fresh process and a fresh database (a temporary SQLite file, or a
test database beside DATABASE_URL's). `--quick` runs them at a tenth of their size, to check they work.

What runs today: the session results page and one autosave (evaluation_results.py), rendering a round of
certificates and one on demand (certificates_render.py), the daily expiry job (expiry_notices.py), a
province's dashboard and report (dashboard.py); with --national, every role's pages and the admin
changelists on the national data `manage.py seed_scale` wrote into DATABASE_URL (pages.py).
"""
import argparse
import datetime
import json
import os
import platform
import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

BENCHMARKS = {
    "evaluation_results": (["--products", "300", "--members", "9", "--criteria", "35"],
                           ["--products", "30", "--members", "9", "--criteria", "35", "--requests", "5",
                            "--autosaves", "20"]),
    "certificates_render": (["--certificates", "1000"], ["--certificates", "100", "--single", "5"]),
    "expiry_notices": (["--certificates", "100000"], ["--certificates", "10000"]),
    "dashboard": ([], ["--requests", "5"]),
}

# A figure line: "<label> : median 12.3 ms  p95 45.6 ms ... queries 7" or "<label>: 123 ms ..." or the
# certificate round's "1000 certificates in 22.6 s".
MEDIAN = re.compile(r"^(?P<label>[^:]+?)\s*:\s*median\s+(?P<median>[\d.]+) ms\s+p95\s+(?P<p95>[\d.]+) ms"
                    r"(?:.*?queries (?P<queries>\d+))?")
PLAIN_MS = re.compile(r"^(?P<label>[^:]+?)\s*:\s*(?P<ms>[\d.]+) ms(?:.*?(?P<queries>\d+) queries)?")
ROUND = re.compile(r"^round\s*:\s*(?P<count>\d+) certificates in (?P<seconds>[\d.]+) s")
MEMORY = re.compile(r"^peak memory\s*:\s*this process (?P<self>\d+) MB, largest rendering process (?P<child>\d+) MB")


def parse(output: str) -> dict:
    figures = {}
    for line in output.splitlines():
        line = line.strip()
        if match := ROUND.match(line):
            figures["round_seconds"] = float(match["seconds"])
            figures["round_certificates"] = int(match["count"])
        elif match := MEMORY.match(line):
            figures["peak_memory_mb"] = int(match["self"]) + int(match["child"])
        elif match := MEDIAN.match(line):
            figures[match["label"].strip()] = {
                "median_ms": float(match["median"]), "p95_ms": float(match["p95"]),
                **({"queries": int(match["queries"])} if match["queries"] else {})}
        elif match := PLAIN_MS.match(line):
            figures[match["label"].strip()] = {
                "ms": float(match["ms"]), **({"queries": int(match["queries"])} if match["queries"] else {})}
    return figures


def cpu_reference_ms() -> float:
    start = time.process_time()
    sum(range(10**7))
    return round((time.process_time() - start) * 1000, 1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", nargs="*", choices=sorted(BENCHMARKS))
    parser.add_argument("--out", type=Path, default=HERE / "results.json")
    parser.add_argument("--national", action="store_true",
                        help="also time every role's pages on DATABASE_URL, which seed_scale has filled")
    args = parser.parse_args()
    results = {
        "when": datetime.datetime.now().isoformat(timespec="seconds"), "quick": args.quick,
        "database": os.environ.get("DATABASE_URL", "sqlite (temporary file)").split("@")[-1],
        "python": platform.python_version(), "cpu_reference_ms": cpu_reference_ms(), "benchmarks": {},
    }
    failed = []
    for name in args.only or BENCHMARKS:
        full, quick = BENCHMARKS[name]
        started = time.perf_counter()
        done = subprocess.run([sys.executable, str(HERE / f"{name}.py"), *(quick if args.quick else full)],
                              capture_output=True, text=True)
        elapsed = time.perf_counter() - started
        figures = parse(done.stdout)
        results["benchmarks"][name] = {"seconds": round(elapsed, 1), "ok": done.returncode == 0,
                                       "figures": figures, "output": done.stdout.strip().splitlines()}
        print(f"== {name} ({elapsed:.0f} s){'' if done.returncode == 0 else ' FAILED'}")
        for line in done.stdout.strip().splitlines():
            print("   " + line)
        if done.returncode:
            failed.append(name)
            print(done.stderr[-2000:], file=sys.stderr)
    if args.national:
        figures_file = args.out.with_name("pages.tmp.json")
        started = time.perf_counter()
        done = subprocess.run([sys.executable, str(HERE / "pages.py"), "--requests", "5" if args.quick else "20",
                               "--json", str(figures_file)], capture_output=True, text=True)
        ok = done.returncode == 0 and figures_file.exists()
        results["benchmarks"]["pages"] = {
            "seconds": round(time.perf_counter() - started, 1), "ok": ok,
            "figures": json.loads(figures_file.read_text()) if ok else {}, "output": done.stdout.strip().splitlines()}
        print(f"== pages on national data{'' if ok else ' FAILED'}")
        for line in done.stdout.strip().splitlines():
            print("   " + line)
        if not ok:
            failed.append("pages")
            print(done.stderr[-2000:], file=sys.stderr)
        figures_file.unlink(missing_ok=True)
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"figures written to {args.out}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
