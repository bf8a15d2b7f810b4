#!/usr/bin/env python3
"""fortilint benchmarks, each figure next to a baseline measured in the same run.

Inputs come from ../shared/tools/gen_fortios.py (cached under target/bench/):
  * single backups of 1, 10 and 100 MB (the 100 MB one with 4 VDOMs),
  * a repository of 2,000 backups (50-300 KB each).

Measured (wall time: median of several runs; peak RSS: the largest of the runs):
  * `fortilint check --format json FILE` against `wc -l FILE` and against the floor of
    reading the file (`examples/read_floor.rs`: `std::fs::read` + a memchr line count),
  * `fortilint check --format json REPO/` against `wc -l` and `cat` over the same files,
  * start-up: `fortilint check` on a small sample, against `wc -l` on it,
  * the Python FortiOS parser pyfgtconflib 0.0.2 (installed from PyPI into a virtualenv
    under target/bench/) on the same 10 MB and 100 MB files, side by side.
The run ends with the issue-13 targets and whether this run meets them.

Usage: python3 bench/run.py [--quick] [--json OUT]
Prints a Markdown table (the one in README.md) and writes target/bench/results.json.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GEN = ROOT.parent / "shared" / "tools" / "gen_fortios.py"
OUT = ROOT / "target" / "bench"
BIN = ROOT / "target" / "release" / "fortilint"
FLOOR = ROOT / "target" / "release" / "examples" / "read_floor"


def run(cmd, stdin=None):
    """Runs cmd with output discarded; returns (seconds, peak RSS in bytes, exit code)."""
    start = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=stdin)
    _, status, usage = os.wait4(p.pid, 0)
    elapsed = time.perf_counter() - start
    return elapsed, usage.ru_maxrss * 1024, os.waitstatus_to_exitcode(status)


def measure_shell(script, repeat):
    """Like measure, for a shell pipeline (`cat FILES >/dev/null`)."""
    return measure(["sh", "-c", script], repeat)


def measure(cmd, repeat):
    times, peak = [], 0
    run(cmd)  # warm the page cache
    for _ in range(repeat):
        t, rss, code = run(cmd)
        if code not in (0, 1):
            sys.exit(f"{' '.join(map(str, cmd))} exited {code}")
        times.append(t)
        peak = max(peak, rss)
    return statistics.median(times), peak


def generate(args, path):
    if not path.exists():
        print(f"generating {path.name} ...", file=sys.stderr)
        subprocess.run([sys.executable, str(GEN), *args, "-o", str(path)], check=True, stdout=subprocess.DEVNULL)
    return path


def pyfgtconflib():
    venv = OUT / "venv"
    py = venv / "bin" / "python"
    if not py.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(py), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "pyfgtconflib==0.0.2"], check=True)
    return [str(py), "-c", "import sys, pyfgtconflib; pyfgtconflib.Parser().parse_text(open(sys.argv[1]))"]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="fewer repetitions, skip the 100 MB Python run")
    ap.add_argument("--json", type=Path, default=OUT / "results.json")
    a = ap.parse_args()
    rep = 3 if a.quick else 5
    OUT.mkdir(parents=True, exist_ok=True)
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    subprocess.run(["cargo", "build", "--release", "--quiet", "--example", "read_floor"], cwd=ROOT, check=True)

    rows, results = [], {}
    for mb, vdoms in ((1, 0), (10, 0), (100, 4)):
        f = generate(["--size-mb", str(mb), "--vdoms", str(vdoms), "--seed", "1"], OUT / f"gen-{mb}mb.conf")
        size = f.stat().st_size
        wc_t, wc_rss = measure(["wc", "-l", str(f)], rep)
        floor_t, _ = measure([str(FLOOR), str(f)], rep)
        fl_t, fl_rss = measure([str(BIN), "check", "--format", "json", "--no-progress", str(f)], rep)
        results[f"{mb}mb"] = {"bytes": size, "wc_s": wc_t, "floor_s": floor_t, "fortilint_s": fl_t, "fortilint_rss": fl_rss, "wc_rss": wc_rss}
        rows.append((f"`check` {mb} MB backup ({size / 1e6:.1f} MB{', 4 VDOMs' if vdoms else ''})", fl_t, size / fl_t / 1e6, fl_rss, size, wc_t))

    repo = OUT / "repo-2000"
    if not repo.exists():
        print("generating repo-2000 ...", file=sys.stderr)
        subprocess.run([sys.executable, str(GEN), "--repo", str(repo), "--count", "2000", "--min-kb", "50", "--max-kb", "300", "--seed", "1"], check=True, stdout=subprocess.DEVNULL)
    files = sorted(str(p) for p in repo.iterdir() if p.is_file())
    repo_bytes = sum(os.path.getsize(p) for p in files)
    wc_t, _ = measure(["wc", "-l", *files], rep)
    cat_t, _ = measure_shell(f"cat {repo}/* >/dev/null", rep)
    fl_t, fl_rss = measure([str(BIN), "check", "--format", "json", "--no-progress", str(repo)], rep)
    results["repo"] = {"files": len(files), "bytes": repo_bytes, "wc_s": wc_t, "cat_s": cat_t, "fortilint_s": fl_t, "fortilint_rss": fl_rss}
    rows.append((f"`check` repository, {len(files)} files ({repo_bytes / 1e6:.0f} MB)", fl_t, repo_bytes / fl_t / 1e6, fl_rss, None, wc_t))

    small = ROOT / "samples" / "fortios-7.2-single-vdom.conf"
    wc_t, _ = measure(["wc", "-l", str(small)], 30)
    fl_t, fl_rss = measure([str(BIN), "check", "--format", "json", str(small)], 30)
    results["startup"] = {"bytes": small.stat().st_size, "wc_s": wc_t, "fortilint_s": fl_t, "fortilint_rss": fl_rss}
    rows.append((f"start-up: `check` on a {small.stat().st_size / 1e3:.0f} kB sample", fl_t, None, fl_rss, None, wc_t))

    py = pyfgtconflib()
    for mb in ((10,) if a.quick else (10, 100)):
        f = OUT / f"gen-{mb}mb.conf"
        size = f.stat().st_size
        py_t, py_rss = measure([*py, str(f)], 1 if mb == 100 else rep)
        fl_t = results[f"{mb}mb"]["fortilint_s"]
        results[f"pyfgtconflib_{mb}mb"] = {"bytes": size, "python_s": py_t, "python_rss": py_rss, "fortilint_s": fl_t}
        rows.append((f"pyfgtconflib 0.0.2 on the {mb} MB backup (Python, parse only)", py_t, size / py_t / 1e6, py_rss, size, None))

    print(f"machine: {os.cpu_count()} cores; fortilint {subprocess.run([str(BIN), '--version'], capture_output=True, text=True).stdout.strip()}")
    print()
    print("| what | wall time | throughput | peak RSS | baseline (`wc -l`, same run) | vs baseline |")
    print("|---|---|---|---|---|---|")
    for name, t, mbps, rss, size, base in rows:
        rss_s = f"{rss / 1e6:.0f} MB" + (f" ({rss / size:.1f}x the file)" if size else "")
        thr = f"{mbps:.0f} MB/s" if mbps else "-"
        base_s = f"{base * 1e3:.1f} ms" if base is not None else "-"
        ratio = f"{t / base:.0f}x" if base else "-"
        print(f"| {name} | {t * 1e3:.1f} ms | {thr} | {rss_s} | {base_s} | {ratio} |")
    r = results
    print()
    print("| against | `check` 100 MB | `check` repository |")
    print("|---|---|---|")
    big, rp = r["100mb"], r["repo"]
    print(f"| `wc -l`, same input | {big['fortilint_s'] / big['wc_s']:.1f}x ({big['wc_s'] * 1e3:.1f} ms) | {rp['fortilint_s'] / rp['wc_s']:.1f}x ({rp['wc_s'] * 1e3:.1f} ms) |")
    print(f"| `fs::read` + memchr floor | {big['fortilint_s'] / big['floor_s']:.1f}x ({big['floor_s'] * 1e3:.1f} ms) | - |")
    print(f"| `cat` of the same files | - | {rp['fortilint_s'] / rp['cat_s']:.1f}x ({rp['cat_s'] * 1e3:.1f} ms) |")
    print()
    files_s = rp["files"] / rp["fortilint_s"]
    print(f"files/s on the repository: {files_s:.0f}")
    for mb in ((10,) if a.quick else (10, 100)):
        k = f"pyfgtconflib_{mb}mb"
        print(f"fortilint vs pyfgtconflib on {mb} MB: {r[k]['python_s'] / r[k]['fortilint_s']:.1f}x faster")
    py10 = r["pyfgtconflib_10mb"]["python_s"] / r["pyfgtconflib_10mb"]["fortilint_s"]
    targets = [
        ("100 MB backup at most 25x `wc -l`", big["fortilint_s"] / big["wc_s"] <= 25, f"{big['fortilint_s'] / big['wc_s']:.1f}x, {big['bytes'] / big['fortilint_s'] / 1e6:.0f} MB/s"),
        ("repository at most 4x `cat`", rp["fortilint_s"] / rp["cat_s"] <= 4, f"{rp['fortilint_s'] / rp['cat_s']:.1f}x, {files_s:.0f} files/s"),
        ("at least 20x pyfgtconflib on 10 MB", py10 >= 20, f"{py10:.1f}x"),
        ("peak RSS at most 1.5x the 100 MB file", big["fortilint_rss"] / big["bytes"] <= 1.5, f"{big['fortilint_rss'] / big['bytes']:.2f}x"),
    ]
    print()
    for name, ok, got in targets:
        print(f"target {'met' if ok else 'NOT met'}: {name} ({got})")
    results["targets"] = {name: {"met": ok, "measured": got} for name, ok, got in targets}
    a.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
