#!/usr/bin/env bash
# The four-point service-level sweep of the reference week with one thread and with two:
# wall time of each (median of REPEAT runs) and the ratio, plus a check that both wrote the
# same files. Usage: bash benches/sweep_threads.sh [REPEAT]   (default 3)
set -euo pipefail
cd "$(dirname "$0")/.."
REPEAT="${1:-3}"
cargo build --release --quiet
BIN=target/release/staffplan
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
run() {  # threads, out
  local start end
  start=$(date +%s.%N)
  RAYON_NUM_THREADS="$1" "$BIN" sweep scenarios/reference-week.toml \
    --vary voice.service_level=0.70,0.75,0.80,0.85 --out "$2" --quiet
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
one=(); two=()
for r in $(seq 1 "$REPEAT"); do
  # Alternate the order so that a drift in the machine's load hits both alike.
  if (( r % 2 )); then
    one+=("$(run 1 "$WORK/one-$r")"); two+=("$(run 2 "$WORK/two-$r")")
  else
    two+=("$(run 2 "$WORK/two-$r")"); one+=("$(run 1 "$WORK/one-$r")")
  fi
done
m1=$(printf '%s\n' "${one[@]}" | median)
m2=$(printf '%s\n' "${two[@]}" | median)
same=yes
for f in $(cd "$WORK/one-1" && find . -type f ! -name timings.json | sort); do
  cmp -s "$WORK/one-1/$f" "$WORK/two-1/$f" || { same=no; echo "differs: $f"; }
done
echo "machine: $(nproc) cores, $(uname -m); load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "1 thread:  ${one[*]} s (median $m1 s)"
echo "2 threads: ${two[*]} s (median $m2 s)"
echo "speed-up:  $(echo "scale=2; $m1 / $m2" | bc)x; same files with 1 and 2 threads: $same"
