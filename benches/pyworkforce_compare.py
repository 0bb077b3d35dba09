#!/usr/bin/env python3
"""Side-by-side: pyworkforce's MinRequiredResources and staffplan on the reference week.

pyworkforce plans each day on its own (no shift crosses midnight) and has no breaks, so the
comparison uses the reference week's requirement without breaks: shifts of 4/6/8/10 hours
starting every 15 minutes, cost = paid hours x the templates' hourly rates. staffplan is run on
the same requirement (a) with the same-day restriction, (b) with overnight shifts in the cyclic
week, and (c) for reference, the real model with breaks.

Run through benches/pyworkforce_compare.sh (makes the venv and builds staffplan), or:
  python3 benches/pyworkforce_compare.py --staffplan target/release/staffplan
"""
import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCENARIOS = os.path.join(ROOT, "scenarios")
PERIODS = 96  # quarter-hours per day (the reference week has no DST change)
LENGTHS = {"part4": (4, 22.0), "part6": (6, 21.0), "full8": (8, 20.0), "full10": (10, 20.0)}


def requirement_by_day():
    with open(os.path.join(SCENARIOS, "reference-week.requirements.csv")) as f:
        values = [int(row["scheduled_agents"]) for row in csv.DictReader(f)]
    return [values[d * PERIODS:(d + 1) * PERIODS] for d in range(len(values) // PERIODS)]


def run_pyworkforce(required, search_seconds):
    try:
        from pyworkforce.scheduling import MinRequiredResources
    except ImportError:
        from pyworkforce.shifts import MinRequiredResources
    coverage, cost = {}, {}
    for name, (hours, rate) in LENGTHS.items():
        span = hours * 4
        for start in range(PERIODS - span + 1):
            key = f"{name}@{start // 4:02d}:{start % 4 * 15:02d}"
            coverage[key] = [1 if start <= p < start + span else 0 for p in range(PERIODS)]
            cost[key] = hours * rate
    started = time.perf_counter()
    scheduler = MinRequiredResources(
        num_days=len(required),
        periods=PERIODS,
        shifts_coverage=coverage,
        required_resources=required,
        max_period_concurrency=100000,
        max_shift_concurrency=100000,
        cost_dict=cost,
        max_search_time=search_seconds,
        num_search_workers=2,
    )
    solution = scheduler.solve()
    seconds = time.perf_counter() - started
    hours = 0.0
    money = 0.0
    for entry in solution.get("resources_shifts", []):
        name = entry["shift"].split("@")[0]
        hours += entry["resources"] * LENGTHS[name][0]
        money += entry["resources"] * cost[entry["shift"]]
    return {"status": solution.get("status"), "paid_hours": hours, "cost": money, "seconds": seconds}


def variant(text, same_day, breaks):
    out = []
    skip_break = False
    for line in text.splitlines():
        if line.startswith("[[shift.break]]"):
            skip_break = not breaks
        elif line.startswith("[[") or line.startswith("["):
            skip_break = False
        if skip_break:
            continue
        if line.startswith("forecast = "):
            line = f'forecast = "{os.path.join(SCENARIOS, "reference-week.volume.csv")}"'
        if not breaks and line.startswith("length = "):
            line = {"\"8h30m\"": 'length = "8h"', "\"10h30m\"": 'length = "10h"'}.get(
                line.split("=", 1)[1].strip(), line)
        if not breaks and line.startswith("paid = \""):
            continue
        out.append(line)
    text = "\n".join(out) + "\n"
    if same_day:
        text = text.replace("cyclic = true", "cyclic = false")
        # Each template's window ends so that the shift ends by midnight.
        blocks = text.split("[[shift]]")
        fixed = [blocks[0]]
        for block in blocks[1:]:
            name = block.split('name = "', 1)[1].split('"', 1)[0]
            hours = LENGTHS[name][0]
            block = block.replace('start_window = "00:00-24:00"',
                                  f'start_window = "00:00-{24 - hours:02d}:00"')
            fixed.append(block)
        text = "[[shift]]".join(fixed)
    return text


def run_staffplan(binary, scenario_text, label, time_limit):
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "week.toml")
        with open(path, "w") as f:
            f.write(scenario_text)
        started = time.perf_counter()
        subprocess.run(
            [binary, "schedule", path, "--requirements",
             os.path.join(SCENARIOS, "reference-week.requirements.csv"),
             "--out", os.path.join(tmp, "out"), "--time-limit", time_limit, "--quiet"],
            check=True)
        seconds = time.perf_counter() - started
        with open(os.path.join(tmp, "out", "summary.json")) as f:
            summary = json.load(f)
    return {"label": label, "status": summary["status"], "paid_hours": summary["paid_agent_hours"],
            "cost": summary["cost"], "bound": summary["lower_bound_cost"], "gap": summary["gap"],
            "understaffed": summary["understaffed_agent_hours"], "seconds": seconds}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--staffplan", default=os.path.join(ROOT, "target", "release", "staffplan"))
    parser.add_argument("--search-seconds", type=float, default=60.0)
    parser.add_argument("--time-limit", default="10s")
    args = parser.parse_args()
    required = requirement_by_day()
    with open(os.path.join(SCENARIOS, "reference-week.toml")) as f:
        reference = f.read()
    print(f"reference week: {len(required)} days x {PERIODS} quarter-hours, "
          f"{sum(map(sum, required)) / 4:.1f} required agent-hours")
    py = run_pyworkforce(required, args.search_seconds)
    print(f"{'pyworkforce MinRequiredResources (same day, no breaks)':<58} "
          f"paid {py['paid_hours']:8.1f} h  cost {py['cost']:10.1f}  {py['seconds']:6.2f} s  "
          f"status {py['status']}")
    for label, same_day, breaks in [
        ("staffplan (same day, no breaks)", True, False),
        ("staffplan (overnight, cyclic week, no breaks)", False, False),
        ("staffplan (overnight, cyclic week, with breaks)", False, True),
    ]:
        r = run_staffplan(args.staffplan, variant(reference, same_day, breaks), label, args.time_limit)
        gap = "n/a" if r["gap"] is None else f"{100 * r['gap']:.3f} %"
        print(f"{label:<58} paid {r['paid_hours']:8.1f} h  cost {r['cost']:10.1f}  "
              f"{r['seconds']:6.2f} s  status {r['status']}, gap {gap}, "
              f"understaffed {r['understaffed']} h")


if __name__ == "__main__":
    sys.exit(main())
