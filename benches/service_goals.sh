#!/usr/bin/env bash
# Service goals: the same scenario planned with interval, day and week scope on every voice and
# chat queue, and week scope with interval_floor = 0.4 (week-floor). Prints wall time, peak memory, cost, paid agent-hours, the bound of the model
# solved and the gap, weekly service level per queue by the Erlang evaluation and by simulation
# (mean and 99 % interval, `evaluate --simulate`), the worst interval and the worst day, and the
# Monte Carlo risk P(week below target) with 8 % random absence (`whatif --monte-carlo`).
# Usage: bash benches/service_goals.sh [SCENARIO...]
# (default: small-call-center omnichannel reference-week large).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
BIN="$PWD/target/release/staffplan"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
names=("$@"); [ ${#names[@]} -eq 0 ] && names=(small-call-center omnichannel reference-week large)
REPLICATIONS=${REPLICATIONS:-60}
RUNS=${RUNS:-500}
echo "machine: $(nproc) cores, $(uname -m); load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "simulation: $REPLICATIONS replications; Monte Carlo: $RUNS runs, absence 8 %"
printf '%-18s %-8s %7s %7s %9s %8s %9s %6s  %s\n' scenario scope wall_s peak_MB cost paid_h bound gap \
  "queue: weekly SL Erlang / simulated [99 % CI] / worst interval / worst day / P(week < target)"
for name in "${names[@]}"; do
  for scope in interval day week week-floor; do
    # The scenario with service_scope on every voice and chat queue (a service_level line
    # marks them), its relative paths pointing at scenarios/.
    python3 - "scenarios/$name.toml" "$scope" "$WORK/$name-$scope.toml" "$PWD/scenarios" <<'PY'
import re, sys
source, scope, target, base = sys.argv[1:]
text = open(source).read()
# week-floor: week scope with no open interval below half the target.
goal = 'service_scope = "week"\ninterval_floor = 0.4' if scope == "week-floor" else 'service_scope = "%s"' % scope
text = re.sub(r'(?m)^(service_level = .*)$', lambda m: m.group(1) + "\n" + goal, text)
text = re.sub(r'(?m)^((?:agents|time_off|forecast|history) = ")([^"/]+")', r'\1%s/\2' % base, text)
open(target, "w").write(text)
PY
    s="$WORK/$name-$scope.toml"
    out="$WORK/out-$name-$scope"
    /usr/bin/time -v "$BIN" run "$s" --out "$out" --quiet 2> "$WORK/time" || { echo "$name $scope failed"; cat "$WORK/time"; continue; }
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$WORK/time")
    peak=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$WORK/time")
    roster="$out/roster.csv"; [ -f "$roster" ] || roster="$out/slots.csv"
    "$BIN" evaluate "$s" --roster "$roster" --out "$out/eval" --simulate --replications "$REPLICATIONS" > /dev/null
    "$BIN" whatif "$s" --roster "$roster" --out "$out/mc" --monte-carlo "$RUNS" --absence-rate 0.08 > /dev/null
    python3 - "$out" "$name" "$scope" "$wall" "$peak" <<'PY'
import json, sys
out, name, scope, wall, peak = sys.argv[1:]
if ":" in wall:
    parts = [float(p) for p in wall.split(":")]
    wall = sum(p * 60 ** (len(parts) - 1 - k) for k, p in enumerate(parts))
s = json.load(open(out + "/summary.json"))
e = json.load(open(out + "/eval/summary.json"))
mc = json.load(open(out + "/mc/summary.json"))
risk = {}
for q in (mc.get("monte_carlo") or {}).get("queues", []):
    risk[q.get("queue")] = q.get("p_week_below_target")
cells = []
for q, sl in sorted(s["service_level"].items()):
    if sl is None:
        continue
    sim = (e.get("simulated_service_level") or {}).get(q) or {}
    days = [v for v in s["service_level_by_day"][q].values() if v is not None]
    worst = None
    with open(out + "/coverage.csv") as f:
        header = f.readline().strip().split(",")
        qi, li, vi = header.index("queue"), header.index("service_level"), header.index("volume")
        for line in f:
            c = line.strip().split(",")
            if c[qi] == q and c[li] and float(c[vi]) > 0:
                v = float(c[li]); worst = v if worst is None else min(worst, v)
    p = risk.get(q)
    cells.append("%s %.1f / %.1f [%.1f, %.1f] / %s / %.1f / %s" % (
        q, 100 * sl, 100 * sim.get("mean", float("nan")), 100 * sim.get("low", float("nan")),
        100 * sim.get("high", float("nan")), "-" if worst is None else "%.1f" % (100 * worst),
        100 * min(days), "-" if p is None else "%.2f" % p))
gap = s.get("gap")
print("%-18s %-8s %7.1f %7s %9.0f %8.0f %9.0f %5.2f%%  %s" % (
    name, scope, float(wall), peak, s["cost"], s["paid_agent_hours"],
    s.get("lower_bound_cost") or float("nan"), 100 * gap if gap is not None else float("nan"),
    "; ".join(cells)))
PY
  done
done
