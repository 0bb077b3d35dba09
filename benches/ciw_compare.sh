#!/usr/bin/env bash
# Runs benches/ciw_compare.py: `staffplan simulate` against an independent discrete-event
# simulation in ciw (PyPI). Creates its own venv (benches/.venv-ciw, git-ignored; or
# $CIW_VENV), installs ciw into it, builds staffplan (release), runs the bundled scenarios
# (`staffplan run scenarios/small-call-center.toml --out DIR`, the same for omnichannel) and
# simulates every day of DIR/roster.csv both ways, staffplan with --without-shrinkage (ciw has
# no shrinkage). Exit 1 when a staffplan figure falls outside the combined 99 % interval.
#   bash benches/ciw_compare.sh                                   # all cases, 100 replications
#   bash benches/ciw_compare.sh --cases small --replications 200
#   bash benches/ciw_compare.sh --modes agents --markdown /tmp/ciw.md --work /tmp/ciw
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${CIW_VENV:-benches/.venv-ciw}"
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --upgrade pip
fi
if ! "$venv/bin/python" -c 'import ciw' 2>/dev/null; then
    "$venv/bin/pip" install --quiet "ciw==${CIW_VERSION:-3.2.7}"
fi
cargo build --release --quiet
target_dir="${CARGO_TARGET_DIR:-target}"
"$venv/bin/python" benches/ciw_compare.py --staffplan "$target_dir/release/staffplan" "$@"
