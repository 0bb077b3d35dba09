#!/usr/bin/env bash
# Cost terms: the same scenario planned as bundled (every coverable agent-hour covered), with
# understaffing_cost = $UNDER on every voice and chat queue (soft coverage), with
# cost_per_shift_start = $START on every [[shift]], and with both. Prints wall time, peak
# memory, shift cost, agent-hours left short, distinct start times (template × local clock
# time, from shifts.csv), the total cost the plan minimises, the bound of the model solved and
# the gap, and the weekly and worst-day service level per queue by the Erlang evaluation.
# Usage: bash benches/cost_terms.sh [SCENARIO...]
# (default: small-call-center omnichannel two-sites large).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
BIN="$PWD/target/release/staffplan"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
names=("$@"); [ ${#names[@]} -eq 0 ] && names=(small-call-center omnichannel two-sites large)
UNDER=${UNDER:-40}
START=${START:-200}
echo "machine: $(nproc) cores, $(uname -m); load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "understaffing_cost = $UNDER per agent-hour; cost_per_shift_start = $START"
printf '%-18s %-8s %7s %7s %9s %8s %6s %9s %9s %6s  %s\n' scenario terms wall_s peak_MB \
  shifts short_h starts total bound gap "queue: weekly SL / worst day"
for name in "${names[@]}"; do
  for terms in none under starts both; do
    python3 - "scenarios/$name.toml" "$terms" "$WORK/$name-$terms.toml" "$PWD/scenarios" "$UNDER" "$START" <<'PY'
import re, sys
source, terms, target, base, under, start = sys.argv[1:]
text = open(source).read()
if terms in ("under", "both"):
    text = re.sub(r'(?m)^(service_level = .*)$', lambda m: m.group(1) + "\nunderstaffing_cost = %s" % under, text)
if terms in ("starts", "both"):
    text = re.sub(r'(?m)^(cost_per_hour = .*)$', lambda m: m.group(1) + "\ncost_per_shift_start = %s" % start, text)
text = re.sub(r'(?m)^((?:agents|time_off|forecast|history|requirements) = ")([^"/]+")', r'\1%s/\2' % base, text)
open(target, "w").write(text)
PY
    s="$WORK/$name-$terms.toml"
    out="$WORK/out-$name-$terms"
    /usr/bin/time -v "$BIN" run "$s" --out "$out" --quiet 2> "$WORK/time" || { echo "$name $terms failed"; cat "$WORK/time"; continue; }
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$WORK/time")
    peak=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$WORK/time")
    python3 - "$out" "$name" "$terms" "$wall" "$peak" <<'PY'
import json, sys
out, name, terms, wall, peak = sys.argv[1:]
if ":" in wall:
    parts = [float(p) for p in wall.split(":")]
    wall = sum(p * 60 ** (len(parts) - 1 - k) for k, p in enumerate(parts))
s = json.load(open(out + "/summary.json"))
starts = set()
with open(out + "/shifts.csv") as f:
    header = f.readline().strip().split(",")
    ti, si = header.index("template"), header.index("start_local")
    for line in f:
        c = line.strip().split(",")
        starts.add((c[ti], c[si][11:16]))
t = s.get("cost_terms") or {}
total = t.get("total_cost", s["cost"])
cells = []
for q, sl in sorted(s["service_level"].items()):
    if sl is None:
        continue
    days = [v for v in s["service_level_by_day"][q].values() if v is not None]
    cells.append("%s %.1f / %.1f" % (q, 100 * sl, 100 * min(days)))
gap = s.get("gap")
print("%-18s %-8s %7.1f %7s %9.0f %8.1f %6d %9.0f %9.0f %5.2f%%  %s" % (
    name, terms, float(wall), peak, s["cost"], s["understaffed_agent_hours"], len(starts), total,
    s.get("lower_bound_cost") or float("nan"), 100 * gap if gap is not None else float("nan"),
    "; ".join(cells)))
PY
  done
done
