#!/usr/bin/env python3
"""How far the scheduler's heuristic ends from the optimum on a slice of a weekly scenario.

Cuts one skill group and the first DAYS days (not cyclic unless --cyclic) out of a scenario with a precomputed
requirements CSV, then schedules the slice twice:

1. the default path (LP bound, local search, window re-optimisation), and
2. with --highs, HiGHS's exact implicit MIP (`--method implicit-mip --solver highs`) with the
   given time limit, which proves a bound of its own.

It prints cost, LP bound and gap of both. Used in BENCHMARKS.md ("Where the optimum lies") to
show that the small sales group's optimum sits close to its LP bound, so the gap the heuristic
leaves is search, not integrality. Run through benches/slice_optimum.sh, which builds the
binaries.
"""

import argparse
import csv
import json
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path


def blocks(text):
    """The TOML text as a list of (header, lines) blocks, a block per table header."""
    out = [("", [])]
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("["):
            out.append((stripped, [line]))
        else:
            out[-1][1].append(line)
    return out


def slice_scenario(scenario, requirements, group, days, cyclic, out_dir):
    text = scenario.read_text()
    parsed = tomllib.loads(text)
    groups = {g["id"]: g for g in parsed.get("skill_group", [])}
    if group not in groups:
        sys.exit(f"{scenario}: no skill group {group!r} (groups: {', '.join(groups)})")
    plan_days = int(parsed["plan"]["days"])
    if not 1 <= days <= plan_days:
        sys.exit(f"--days {days}: the plan of {scenario} has {plan_days} days; give 1 to {plan_days}")
    queues = set(groups[group]["queues"])
    kept = []
    keep_breaks = False
    for header, lines in blocks(text):
        body = tomllib.loads("\n".join(lines[1:])) if header else {}
        if header == "[plan]":
            plan = []
            for line in lines:
                key = line.split("=")[0].strip()
                if key == "days":
                    line = f"days = {days}"
                elif key == "cyclic" and not cyclic:
                    line = "cyclic = false"
                plan.append(line)
            kept.append("\n".join(plan))
        elif header == "[[queue]]":
            if body.get("id") in queues:
                kept.append("\n".join(lines))
        elif header == "[[skill_group]]":
            if body.get("id") == group:
                kept.append("\n".join(lines))
        elif header == "[[shift]]":
            keep_breaks = body.get("skill_group") == group
            if keep_breaks:
                kept.append("\n".join(lines))
        elif header == "[[shift.break]]":
            if keep_breaks:
                kept.append("\n".join(lines))
        elif header:
            kept.append("\n".join(lines))
    sliced = out_dir / "slice.toml"
    sliced.write_text("\n".join(kept) + "\n")
    # The forecast files named by the queues are not read (the requirement is given), but the
    # scenario loader checks that they exist: link them next to the slice.
    for q in parsed.get("queue", []):
        forecast = q.get("forecast")
        if forecast and q["id"] in queues:
            target = out_dir / forecast
            if not target.exists():
                target.symlink_to((scenario.parent / forecast).resolve())
    with requirements.open() as f, (out_dir / "slice.requirements.csv").open("w") as g:
        reader = csv.DictReader(f)
        writer = csv.DictWriter(g, reader.fieldnames, lineterminator="\n")
        writer.writeheader()
        intervals = []
        for row in reader:
            if row["queue"] not in queues:
                continue
            if row["interval_start"] not in intervals:
                intervals.append(row["interval_start"])
            if intervals.index(row["interval_start"]) < days * per_day(parsed):
                writer.writerow(row)
    return sliced, out_dir / "slice.requirements.csv"


def per_day(parsed):
    return 24 * 60 // int(parsed["plan"]["interval_minutes"])


def run(binary, sliced, requirements, out, extra):
    command = [str(binary), "schedule", str(sliced), "--requirements", str(requirements),
               "--out", str(out), "--quiet", *extra]
    subprocess.run(command, check=True)
    return json.loads((out / "summary.json").read_text())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenario", default="scenarios/reference-week-5q.toml")
    parser.add_argument("--requirements", default="scenarios/reference-week-5q.requirements.csv")
    parser.add_argument("--group", default="sales")
    parser.add_argument("--days", type=int, default=2)
    parser.add_argument("--cyclic", action="store_true",
                        help="keep the plan's cyclic setting (else the slice is not cyclic)")
    parser.add_argument("--staffplan", default="target/release/staffplan")
    parser.add_argument("--highs", help="staffplan binary built with --features highs")
    parser.add_argument("--highs-time-limit", default="300s")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        sliced, requirements = slice_scenario(
            Path(args.scenario), Path(args.requirements), args.group, args.days, args.cyclic, tmp)
        rows = [("search + windows (default)",
                 run(args.staffplan, sliced, requirements, tmp / "search", []))]
        if args.highs:
            rows.append((f"HiGHS implicit MIP, {args.highs_time_limit}",
                         run(args.highs, sliced, requirements, tmp / "highs",
                             ["--method", "implicit-mip", "--solver", "highs",
                              "--time-limit", args.highs_time_limit, "--gap", "0.05%"])))
    # The default run's bound is the LP bound; HiGHS's may be higher (its own dual bound).
    lp_bound = rows[0][1]["lower_bound_cost"]
    shape = "as cyclic as the plan" if args.cyclic else "not cyclic"
    print(f"{args.group}, first {args.days} days of {args.scenario}, {shape}; "
          f"LP bound {lp_bound:.1f}")
    print(f"{'method':<34} {'wall':>8} {'cost':>10} {'gap to LP':>10} {'own bound':>10}  status")
    for name, s in rows:
        print(f"{name:<34} {s['solve_seconds']:>7.1f}s {s['cost']:>10.1f} "
              f"{100 * (s['cost'] / lp_bound - 1):>9.3f}% {s['lower_bound_cost']:>10.1f}  "
              f"{s['status']}")


if __name__ == "__main__":
    main()
