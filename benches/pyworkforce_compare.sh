#!/usr/bin/env bash
# Runs benches/pyworkforce_compare.py: installs pyworkforce from PyPI into its own venv under
# target/ (never committed), builds staffplan, and prints both tools' agent-hours and time.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=target/pyworkforce-venv
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --upgrade pip
    "$venv/bin/pip" install --quiet pyworkforce
fi
cargo build --release --quiet
"$venv/bin/python" benches/pyworkforce_compare.py --staffplan target/release/staffplan "$@"
