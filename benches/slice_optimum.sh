#!/usr/bin/env bash
# Runs benches/slice_optimum.py: builds staffplan (and, with --highs, a second binary with the
# `highs` feature under target/highs: needs cmake and libclang-dev, several minutes the first
# time), cuts one skill group and a few days out of the five-queue reference week, and prints
# how far the default heuristic and HiGHS's exact MIP end from the LP bound.
#   bash benches/slice_optimum.sh                       # sales, two days, default path only
#   bash benches/slice_optimum.sh --highs               # and HiGHS's implicit MIP, 300 s
#   bash benches/slice_optimum.sh --highs --group voice --days 1 --highs-time-limit 60s
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
args=()
for arg in "$@"; do
    if [ "$arg" = "--highs" ]; then
        CARGO_TARGET_DIR=target/highs cargo build --release --quiet --features highs
        args+=(--highs target/highs/release/staffplan)
    else
        args+=("$arg")
    fi
done
python3 benches/slice_optimum.py "${args[@]}"
