#!/usr/bin/env python3
"""Scaling of fortilint on pathological input shapes: each shape is generated at 1x, 2x, 4x and
8x its base size, timed (median of 3 runs of the release binary) and its growth factor per
doubling printed. A linear shape grows about 2x per doubling; 4x means quadratic.

Shapes (the ones an attack run found super-linear before):
  vdoms        many VDOMs, each with a token and a user           (check)
  attrs        one entry with very many attributes                (check)
  users        many users naming tokens that do not exist (FTK004) (check)
  suppressed   many orphan tokens, each with an ignore marker      (check)
  plan         many purchased tokens held by users, migration mode (fix --out-dir)
  units        many backups of different units sharing one serial  (check, FTK012)
  tokens1e6    one backup with 1,000,000 tokens: peak RSS vs file size (check; --big only)

Usage: python3 bench/shapes.py [--big] [--scale K] [--instructions]
The release binary is built first (cargo build --release). Wall time on a shared or virtual
machine can vary by 2x between runs; `--instructions` also counts the instructions of the 2x,
4x and 8x runs with valgrind's callgrind (slow, but the same count on every run) and prints
their growth per doubling.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / "target" / "release" / "fortilint"
HEADER = "#config-version=FGT60F-7.4.7-FW-build2731-250120:opmode=0:vdom={v}:user=admin\n"


def run(cmd):
    start = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(p.pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        sys.exit(f"{' '.join(map(str, cmd))} exited {code}")
    return time.perf_counter() - start, usage.ru_maxrss * 1024


def median_time(cmd, repeat=3):
    run(cmd)
    samples = [run(cmd) for _ in range(repeat)]
    return statistics.median(t for t, _ in samples), max(r for _, r in samples)


def instructions(cmd):
    """Instructions executed by cmd, counted by callgrind."""
    r = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *cmd], capture_output=True, text=True)
    m = re.search(r"Collected : (\d+)", r.stderr)
    if not m:
        sys.exit(f"callgrind failed on {' '.join(map(str, cmd))}:\n{r.stderr[-2000:]}")
    return int(m.group(1))


def serial(i):
    return f"FTKMOB{i:010X}"


def shape_vdoms(n, d):
    s = [HEADER.format(v=1), "config vdom\n"]
    s += [f"edit v{i}\nnext\n" for i in range(n)]
    s.append("end\n")
    for i in range(n):
        s.append(
            f"config vdom\nedit v{i}\nconfig user fortitoken\n    edit \"{serial(i)}\"\n"
            f"        set license \"EFTM{i:010d}\"\n    next\nend\nconfig user local\n"
            f"    edit \"u{i}\"\n        set two-factor fortitoken\n        set fortitoken \"{serial(i)}\"\n"
            f"        set email-to \"u{i}@example.com\"\n    next\nend\nend\n"
        )
    p = d / "vdoms.conf"
    p.write_text("".join(s))
    return [p], []


def shape_attrs(n, d):
    s = [HEADER.format(v=0), "config user local\n    edit \"big\"\n"]
    s += [f"        set attr-{i} {i}\n" for i in range(n)]
    s.append("        set two-factor fortitoken\n    next\nend\n")
    p = d / "attrs.conf"
    p.write_text("".join(s))
    return [p], []


def shape_users(n, d):
    s = [HEADER.format(v=0), "config user local\n"]
    for i in range(n):
        s.append(
            f"    edit \"u{i}\"\n        set two-factor fortitoken\n        set fortitoken \"{serial(i)}\"\n"
            f"        set email-to \"u{i}@example.com\"\n    next\n"
        )
    s.append("end\n")
    p = d / "users.conf"
    p.write_text("".join(s))
    return [p], []


def shape_suppressed(n, d):
    s = [HEADER.format(v=0), "config user fortitoken\n"]
    for i in range(n):
        s.append(
            f"    edit \"{serial(i)}\"\n        set license \"EFTM0000000001\"\n"
            f"        set reg-id \"r{i}\"\n        set comments \"spare; fortilint: ignore FTK014\"\n    next\n"
        )
    s.append("end\n")
    p = d / "suppressed.conf"
    p.write_text("".join(s))
    return [p], []


def shape_plan(n, d):
    s = [HEADER.format(v=0), "config system admin\n    edit \"admin\"\n        set accprofile \"super_admin\"\n    next\nend\n"]
    s.append("config user fortitoken\n")
    for i in range(n):
        s.append(
            f"    edit \"{serial(i)}\"\n        set license \"EFTM{i % 50:010d}\"\n        set reg-id \"r{i}\"\n    next\n"
        )
    s.append("end\nconfig user local\n")
    for i in range(n):
        s.append(
            f"    edit \"u{i}\"\n        set two-factor fortitoken\n        set fortitoken \"{serial(i)}\"\n"
            f"        set email-to \"u{i}@example.com\"\n    next\n"
        )
    s.append("end\n")
    p = d / "plan.conf"
    p.write_text("".join(s))
    return [p], ["fix", "--migration", "--out-dir", str(d / "out")]


def shape_units(n, d):
    files = []
    u = d / "units"
    u.mkdir(exist_ok=True)
    for i in range(n):
        p = u / f"fw{i}.conf"
        p.write_text(
            HEADER.format(v=0)
            + f"config system global\n    set hostname \"fw{i}\"\nend\n"
            + f"config user fortitoken\n    edit \"FTKMOB0000000001\"\n        set license \"EFTM0000000001\"\n    next\nend\n"
        )
        files.append(p)
    return [u], ["check", "--format", "json"]


SHAPES = {
    "vdoms": (shape_vdoms, 2000),
    "attrs": (shape_attrs, 20000),
    "users": (shape_users, 5000),
    "suppressed": (shape_suppressed, 5000),
    "plan": (shape_plan, 2000),
    "units": (shape_units, 250),
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--big", action="store_true", help="also the 1,000,000-token memory shape")
    ap.add_argument("--scale", type=float, default=1.0, help="multiply every base size")
    ap.add_argument("--instructions", action="store_true", help="also count instructions with callgrind (repeatable)")
    a = ap.parse_args()
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    print("| shape | 1x | 2x | 4x | 8x | growth per doubling |")
    print("|---|---|---|---|---|---|")
    worst = 0.0
    counted = []
    for name, (gen, base) in SHAPES.items():
        times, counts = [], []
        for k in (1, 2, 4, 8):
            with tempfile.TemporaryDirectory() as t:
                d = Path(t)
                paths, cmd = gen(int(base * a.scale * k), d)
                cmd = cmd or ["check", "--format", "json"]
                full = [str(BIN), *cmd, "--now", "1700000000", *map(str, paths)]
                t_, _ = median_time(full)
                times.append(t_)
                if a.instructions and k > 1:
                    counts.append(instructions(full))
        if counts:
            counted.append((name, counts))
        growth = [times[i + 1] / times[i] for i in range(3)]
        g = statistics.mean(growth[1:])  # the 1x run is dominated by start-up
        worst = max(worst, g)
        cells = " | ".join(f"{t * 1000:.0f} ms" for t in times)
        print(f"| {name} (base {int(base * a.scale)}) | {cells} | {g:.2f}x |")
    if a.big:
        with tempfile.TemporaryDirectory() as t:
            d = Path(t)
            p = d / "tokens.conf"
            with p.open("w") as f:
                f.write(HEADER.format(v=0) + "config user fortitoken\n")
                for i in range(1_000_000):
                    f.write(f"    edit \"{serial(i)}\"\n        set license \"EFTM0000000001\"\n    next\n")
                f.write("end\n")
            size = p.stat().st_size
            secs, rss = median_time([str(BIN), "check", "--format", "json", "--now", "1700000000", str(p)], repeat=1)
            print(f"\n1,000,000 tokens: {size / 1e6:.0f} MB file, {secs:.2f} s, peak RSS {rss / 1e6:.0f} MB = {rss / size:.2f}x the file")
    print(f"\nworst growth per doubling: {worst:.2f}x (2x = linear)")
    if counted:
        print("\n| shape | instructions 2x | 4x | 8x | growth per doubling |")
        print("|---|---|---|---|---|")
        for name, c in counted:
            g = [c[i + 1] / c[i] for i in range(2)]
            print(f"| {name} | {c[0] / 1e6:.0f} M | {c[1] / 1e6:.0f} M | {c[2] / 1e6:.0f} M | {g[0]:.2f}x, {g[1]:.2f}x |")


if __name__ == "__main__":
    main()
