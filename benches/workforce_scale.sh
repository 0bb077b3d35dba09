#!/usr/bin/env bash
# Workforce-aware planning at scale: the bundled large scenario (500 agents) and the same
# generator at 1,000 and 2,000 agents (volume scaled with them), plus the three other agent
# mixes of the large week. Prints wall time, peak memory, cost, the workforce-aware LP bound and
# gap, the anonymous bound, roster shortfall, weekly and worst-day service level per queue, and
# the days capacity_shortfall names. Usage: bash benches/workforce_scale.sh [AGENTS...]
# (default: 500 1000 2000).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
BIN="$PWD/target/release/staffplan"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
sizes=("$@"); [ ${#sizes[@]} -eq 0 ] && sizes=(500 1000 2000)
scenarios=()
for n in "${sizes[@]}"; do
  if [ "$n" = 500 ]; then scenarios+=("scenarios/large.toml"); else
    scenarios+=("$(python3 scenarios/make_demo.py --scale "$n" --out "$WORK/gen")"); fi
done
for mix in multiskill weekends parttime; do
  sed -e "s#agents = \"large.agents.csv\"#agents = \"$PWD/scenarios/large-$mix.agents.csv\"#" \
      -e "s#\"large.volume.csv\"#\"$PWD/scenarios/large.volume.csv\"#" \
      scenarios/large.toml > "$WORK/large-$mix.toml"
  [ ${#@} -eq 0 ] && scenarios+=("$WORK/large-$mix.toml")
done
echo "machine: $(nproc) cores, $(uname -m); load: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-22s %8s %8s %10s %10s %7s %10s %8s  %s\n' scenario wall_s peak_MB cost wf_bound gap anon_bound unfilled_h "queue: weekly SL / worst day SL; days short"
for s in "${scenarios[@]}"; do
  name=$(basename "$s" .toml)
  out="$WORK/out-$name"
  /usr/bin/time -v "$BIN" run "$s" --out "$out" --quiet 2> "$WORK/time-$name" || true
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$WORK/time-$name")
  peak=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$WORK/time-$name")
  python3 - "$out/summary.json" "$name" "$wall" "$peak" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
wall = sys.argv[3]
if ":" in wall:
    parts = [float(p) for p in wall.split(":")]
    wall = sum(p * 60 ** (len(parts) - 1 - k) for k, p in enumerate(parts))
queues = []
for q, week in s["service_level"].items():
    days = [v for v in s["service_level_by_day"][q].values() if v is not None]
    queues.append(f"{q} {week*100:.1f}/{min(days)*100:.1f}")
short = sorted({f"{c['queue']} {c['local_date']}" for c in s.get("capacity_shortfall", [])})
gap = s.get("gap")
print(f"{sys.argv[2]:<22} {float(wall):8.1f} {sys.argv[4]:>8} {s['cost']:10.0f} "
      f"{s.get('lower_bound_cost') or 0:10.0f} {(gap or 0)*100:6.2f}% "
      f"{s.get('anonymous_lower_bound_cost') or 0:10.0f} {s.get('roster_shortfall_agent_hours', 0):8.1f}  "
      f"{'; '.join(queues)}; short: {', '.join(short) or 'none'}")
PY
done
