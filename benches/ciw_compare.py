#!/usr/bin/env python3
"""`staffplan simulate` against an independent discrete-event simulation in ciw.

Run through benches/ciw_compare.sh (it makes the venv, installs ciw and builds staffplan):

    benches/ciw_compare.sh                       # small call center + omnichannel + synthetic chat
    benches/ciw_compare.sh --cases small --replications 200

The ciw model is built only from what staffplan writes and the scenario text, never from
staffplan's internals:

- arrivals: forecast.csv, one Poisson rate per interval (`volume / interval length`), through
  ciw's own `ciw.dists.PoissonIntervals`; an interval counts towards a day or the week when
  coverage.csv has a predicted service level for it (the queue is open);
- handle times: exponential with the `aht_seconds` of the contact's arrival interval
  (forecast.csv);
- patience: the scenario's `patience` (exponential, ciw reneging) where the queue has one;
- agents: roster.csv, every shift from `start_utc` to `end_utc` minus its breaks (the breaks
  column is `START/END` local times, each with its own UTC offset; `;` between breaks). In a
  `cyclic` plan the part of a shift past the week's end is also placed at the week's start
  (README, "cyclic"). A chat agent is `concurrency` servers.
- FCFS (ciw's default discipline); service level = answered within `answer_within` over all
  arrivals of the interval (abandoned and never-answered contacts count as not answered).

Two ways of turning the roster into ciw servers:

- `pool`: a `ciw.Schedule(numbers_of_servers, shift_end_dates, preemption=False)` with the
  number of agents on duty between consecutive duty boundaries. This is the model of issue 17.
  ciw's documented semantics of a non-pre-emptive schedule (docs, "Pre-emption & Server
  Schedules"): "servers finish the current customer's service before disappearing. This of
  course may mean that when new servers arrive the old servers are still there"; the code
  (`Node.change_shift`: `take_servers_off_duty` then `add_new_servers(schedule.c)`) takes *every*
  server off duty at *every* shift change and adds the new count afresh, so for the length of
  the calls in progress the node has the new count plus every busy old server (the docs'
  "Overtime" example: 1 server then 2, and 3 serve at once). On a roster where the head count
  changes every half hour that is extra capacity staffplan's agents do not have.
- `pool-interval`: the same with one schedule entry per interval (a per-interval head count,
  equal neighbours not merged): every interval boundary is then a shift change.
- `agents` (default): the same ciw node with one server per agent (`concurrency` per chat
  agent): at a duty boundary only the agents whose stretch ends go off duty (finishing their
  call, ciw's `offduty` mechanism) and only the agents whose stretch starts come on; an agent
  back from a break while still finishing a call keeps that server. A contact goes to the
  agent with a free slot that has been available longest (its last assignment, completion or
  arrival on duty the oldest, as staffplan routes; `--routing slot`: the free slot idle
  longest, which reads the same). This is the roster as staffplan and a call center see it.

staffplan's side: `staffplan evaluate --simulate --without-shrinkage` (the same simulation and
the same table as `staffplan simulate --without-shrinkage`; evaluate also writes the day and
week estimates to summary.json with six decimals). ciw has no shrinkage, so staffplan runs
without it.

Agreement: the difference of the two means within the combined 99 % half-width
sqrt(h_staffplan^2 + h_ciw^2).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import functools
import json
import math
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import tomllib
from multiprocessing import Pool
from pathlib import Path

import ciw

ROOT = Path(__file__).resolve().parent.parent


# --------------------------------------------------------------------------------------------
# Inputs


def parse_duration(text) -> float:
    """'4m30s', '20s', '3m', '1h30m', or a number of seconds."""
    if isinstance(text, (int, float)):
        return float(text)
    parts = re.findall(r"(\d+(?:\.\d+)?)\s*([hms])", text.strip())
    if not parts or "".join(a + b for a, b in parts) != re.sub(r"\s+", "", text):
        raise ValueError(f"not a duration: {text!r}")
    scale = {"h": 3600.0, "m": 60.0, "s": 1.0}
    return sum(float(a) * scale[b] for a, b in parts)


def utc(text: str) -> dt.datetime:
    """An ISO time with an offset or Z (roster.csv, forecast.csv) as an aware datetime."""
    return dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))


class Model:
    """What both simulators are given: intervals, rates, AHTs, open flags, days, duty."""

    def __init__(self, scenario_path: Path, out_dir: Path, roster_path: Path):
        self.scenario_path = scenario_path
        spec = tomllib.loads(scenario_path.read_text())
        plan = spec["plan"]
        self.step = int(plan.get("interval_minutes", 30)) * 60
        self.cyclic = bool(plan.get("cyclic", False))
        self.queues = {}
        for q in spec.get("queue", []):
            channel = q.get("channel", "voice")
            if channel == "email":
                continue
            self.queues[q["id"]] = {
                "channel": channel,
                "concurrency": int(q.get("concurrency", 1)),
                "answer": parse_duration(q["answer_within"]),
                "patience": parse_duration(q["patience"]) if "patience" in q else None,
            }
        groups = spec.get("skill_group", [])
        if groups:
            self.groups = {g["id"]: [q for q in g["queues"] if q in self.queues] for g in groups}
        else:
            self.groups = {q: [q] for q in self.queues}

        # forecast.csv: rate and AHT per interval per queue.
        rows = list(csv.DictReader(open(out_dir / "forecast.csv", newline="")))
        self.start = min(utc(r["interval_start"]) for r in rows)
        per_queue: dict[str, dict[int, tuple[float, float]]] = {}
        local_date: dict[int, str] = {}
        for r in rows:
            if r["queue"] not in self.queues:
                continue
            k = int((utc(r["interval_start"]) - self.start).total_seconds()) // self.step
            per_queue.setdefault(r["queue"], {})[k] = (float(r["volume"]), float(r["aht_seconds"]))
            local_date[k] = r["local_start"][:10]
        self.len = max(local_date) + 1
        self.end = self.len * self.step
        self.volume = {q: [v.get(k, (0.0, 1.0))[0] for k in range(self.len)] for q, v in per_queue.items()}
        self.aht = {q: [v.get(k, (0.0, 1.0))[1] for k in range(self.len)] for q, v in per_queue.items()}
        self.day_of = [local_date[k] for k in range(self.len)]
        self.days = sorted(set(self.day_of))

        # coverage.csv: an interval is open where the evaluation predicts a service level.
        self.open = {q: [False] * self.len for q in self.queues}
        for r in csv.DictReader(open(out_dir / "coverage.csv", newline="")):
            if r["queue"] in self.open and r["service_level"] != "":
                k = int((utc(r["interval_start"]) - self.start).total_seconds()) // self.step
                self.open[r["queue"]][k] = True

        # roster.csv: on-duty stretches (seconds from the horizon start) per shift.
        self.shifts = []
        for r in csv.DictReader(open(roster_path, newline="")):
            a = self.seconds(utc(r["start_utc"]))
            b = self.seconds(utc(r["end_utc"]))
            cuts = []
            for part in filter(None, (p.strip() for p in r["breaks"].split(";"))):
                lo, hi = part.split("/")
                cuts.append((self.seconds(utc(lo)), self.seconds(utc(hi))))
            duty = subtract([(a, b)], cuts)
            self.shifts.append({"agent": r["agent_id"], "group": r["skill_group"], "duty": duty})
            if self.cyclic and b > self.end:
                wrapped = [(x - self.end, y - self.end) for x, y in duty]
                self.shifts.append({"agent": r["agent_id"] + "~", "group": r["skill_group"], "duty": wrapped})

    def seconds(self, t: dt.datetime) -> int:
        return int(round((t - self.start).total_seconds()))

    def servers_of(self, queue: str, split: dict[int, str] | None = None):
        """(agent key, duty) of the shifts working `queue`; blended shifts by `split`."""
        out = []
        for n, s in enumerate(self.shifts):
            qs = self.groups.get(s["group"], [])
            if len(qs) > 1:
                if split is None or split.get(n) != queue:
                    continue
            elif qs != [queue]:
                continue
            out.append((f"{s['agent']}#{n}", s["duty"]))
        return out


def subtract(segments, cuts):
    out = []
    for a, b in segments:
        pieces = [(a, b)]
        for c, d in cuts:
            nxt = []
            for x, y in pieces:
                if d <= x or c >= y:
                    nxt.append((x, y))
                    continue
                if c > x:
                    nxt.append((x, c))
                if d < y:
                    nxt.append((d, y))
            pieces = nxt
        out.extend(p for p in pieces if p[1] > p[0])
    return sorted(out)


# --------------------------------------------------------------------------------------------
# ciw


class IntervalAht(ciw.dists.Distribution):
    """Exponential handle time with the AHT of the contact's arrival interval."""

    def __init__(self, aht, step, origin):
        self.aht, self.step, self.origin = aht, step, origin

    def sample(self, t=None, ind=None):
        k = int((ind.arrival_date + self.origin) // self.step)
        k = min(max(k, 0), len(self.aht) - 1)
        return random.expovariate(1.0 / self.aht[k])  # seeded by ciw.seed


def agent_node_class(changes, slots, routing):
    """A ciw Node whose servers are the roster's agents (see the module docstring).

    `changes[t] = (leaving, joining)` agent keys at ciw time `t` (every shift-change date of the
    node's ciw.Schedule, whose counts are the agents on duty × `slots`). `routing`: "agent",
    the agent with a free slot whose last assignment, completion or arrival on duty is the
    oldest (staffplan's "available longest", README); "slot", the free server idle longest.
    """

    class AgentNode(ciw.Node):
        def __init__(self, id_, simulation):
            super().__init__(id_, simulation)
            self.by_agent = {}
            self.touched = {}
            self.clock = 0

        def touch(self, agent):
            self.clock += 1
            self.touched[agent] = self.clock

        def take_servers_off_duty(self, preemption=False):
            leaving, _ = changes.get(self.now, ((), ()))
            for agent in leaving:
                keep = []
                for srv in self.by_agent.get(agent, []):
                    if srv not in self.servers:
                        continue
                    srv.shift_end = self.now
                    if srv.busy:
                        srv.offduty = True  # finishes the call, then ciw removes it
                        keep.append(srv)
                    else:
                        self.kill_server(srv)
                self.by_agent[agent] = keep

        def add_new_servers(self, num_servers):
            _, joining = changes.get(self.now, ((), ()))
            for agent in joining:
                mine = [s for s in self.by_agent.get(agent, []) if s in self.servers]
                for srv in mine:  # back from a break while still on a call
                    srv.offduty = False
                while len(mine) < slots:
                    self.highest_id += 1
                    srv = self.simulation.ServerType(self, self.highest_id, self.now)
                    srv.agent = agent
                    srv.idle_since = self.now
                    self.servers.append(srv)
                    mine.append(srv)
                self.by_agent[agent] = mine
                self.touch(agent)

        def attach_server(self, server, individual):
            super().attach_server(server, individual)
            self.touch(server.agent)

        def detatch_server(self, server, individual):
            super().detatch_server(server, individual)
            server.idle_since = self.now
            self.touch(server.agent)

        def find_free_server(self, ind):
            free = [s for s in self.servers if not s.busy]
            if not free:
                return None
            if routing == "slot":
                return min(free, key=lambda s: (s.idle_since, s.id_number))
            return min(free, key=lambda s: (self.touched[s.agent], s.id_number))

    return AgentNode


def ciw_replication(job):
    """One replication of one queue: per interval (arrivals, answered in time)."""
    spec, mode, seed = job
    step, length = spec["step"], spec["len"]
    servers, slots = spec["servers"], spec["slots"]
    origin = min([0] + [a for _, duty in servers for a, _ in duty])  # ciw time 0
    horizon_end = spec["len"] * step
    last = max([horizon_end] + [b for _, duty in servers for _, b in duty])

    # Duty boundaries -> schedule (counts) and per-agent changes.
    events: dict[int, tuple[list, list]] = {}
    for agent, duty in servers:
        for a, b in duty:
            events.setdefault(a, ([], []))[1].append(agent)
            events.setdefault(b, ([], []))[0].append(agent)
    if mode == "pool-interval":
        # One schedule entry per interval, as a per-interval head count would be written.
        for t in range(origin - origin % step, last + step, step):
            events.setdefault(t, ([], []))
    on = 0
    dates, counts = [], []
    changes = {}
    count_at_zero = 0
    for t in sorted(events):
        leaving, joining = events[t]
        on += len(joining) - len(leaving)
        ct = float(t - origin)
        changes[ct] = (leaving, joining)
        if ct <= 0.0:
            count_at_zero = on
            continue
        dates.append(ct)
        counts.append(on * slots)
    # numbers_of_servers[i] holds during [dates[i-1], dates[i]): shift by one, then close with
    # a far end date (no cycling inside the run).
    numbers = [count_at_zero * slots] + counts
    end_dates = dates + [float(last - origin) + 10 * 86400.0]
    if mode == "pool":
        # Merge equal neighbours: a pool changes only when the head count does.
        merged_n, merged_d = [], []
        for n, d in zip(numbers, end_dates):
            if merged_n and merged_n[-1] == n:
                merged_d[-1] = d
            else:
                merged_n.append(n)
                merged_d.append(d)
        numbers, end_dates = merged_n, merged_d
    if mode == "constant":
        number_of_servers = [spec["constant_servers"]]
    else:
        number_of_servers = [ciw.Schedule(numbers_of_servers=numbers, shift_end_dates=end_dates, preemption=False)]

    ciw.seed(seed)
    rates = [v / step for v in spec["volume"]]
    endpoints = [float((k + 1) * step - origin) for k in range(length)]
    if origin < 0:
        rates = [0.0] + rates
        endpoints = [float(-origin)] + endpoints
    network = ciw.create_network(
        arrival_distributions=[ciw.dists.PoissonIntervals(rates, endpoints, endpoints[-1])],
        service_distributions=[IntervalAht(spec["aht"], step, origin)],
        number_of_servers=number_of_servers,
        reneging_time_distributions=(
            [ciw.dists.Exponential(rate=1.0 / spec["patience"])] if spec["patience"] else None
        ),
    )
    node_class = agent_node_class(changes, slots, spec["routing"]) if mode == "agents" else None
    sim = ciw.Simulation(network, node_class=node_class)
    sim.simulate_until_max_time(float(last - origin) + 6 * 3600.0)

    arrivals = [0] * length
    in_time = [0] * length
    answer = spec["answer"]

    def interval(arrival_date):
        return min(max(int((arrival_date + origin) // step), 0), length - 1)

    seen = set()
    for ind in sim.get_all_individuals():
        if ind.id_number in seen or not ind.data_records:
            continue
        seen.add(ind.id_number)
        first = ind.data_records[0]  # its only visit: served ("service") or hung up ("renege")
        k = interval(first.arrival_date)
        arrivals[k] += 1
        if first.record_type == "service" and first.waiting_time <= answer:
            in_time[k] += 1
    # Still at the node when the run stops: in service (answered) or never answered.
    for ind in sim.transitive_nodes[0].all_individuals:
        if ind.id_number in seen:
            continue
        seen.add(ind.id_number)
        k = interval(ind.arrival_date)
        arrivals[k] += 1
        if ind.server and ind.service_start_date - ind.arrival_date <= answer:
            in_time[k] += 1
    return arrivals, in_time


# --------------------------------------------------------------------------------------------
# Estimates


@functools.lru_cache(maxsize=None)
def t_quantile(p: float, dof: float) -> float:
    """Student-t quantile by bisection on the numerically integrated density (Simpson)."""

    def density(x):
        return math.exp(
            math.lgamma((dof + 1) / 2) - math.lgamma(dof / 2) - 0.5 * math.log(dof * math.pi)
            - (dof + 1) / 2 * math.log1p(x * x / dof)
        )

    def cdf(x):
        n = 2000
        h = x / n
        s = density(0) + density(x) + sum((4 if i % 2 else 2) * density(i * h) for i in range(1, n))
        return 0.5 + s * h / 3

    lo, hi = 0.0, 50.0
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if cdf(mid) < p else (lo, mid)
    return (lo + hi) / 2


def ratio_estimate(pairs, confidence):
    """Σ in_time / Σ arrivals over replications, delta-method Student-t half-width."""
    used = [(x, y) for x, y in pairs if y > 0]
    if not used:
        return None
    n = len(used)
    num, den = sum(x for x, _ in used), sum(y for _, y in used)
    ratio = num / den
    if n < 2:
        return ratio, math.inf
    mean_den = den / n
    residual = sum((x - ratio * y) ** 2 for x, y in used)
    var = residual / ((n - 1) * n * mean_den * mean_den)
    return ratio, t_quantile(0.5 + confidence / 2, n - 1) * math.sqrt(var)


def summarize(model: Model, queue: str, runs, confidence):
    """Week and day estimates over the open intervals."""
    out = {}
    periods = [("week", range(model.len))] + [
        (d, [k for k in range(model.len) if model.day_of[k] == d]) for d in model.days
    ]
    for name, ks in periods:
        ks = [k for k in ks if model.open[queue][k]]
        pairs = [(sum(it[k] for k in ks), sum(ar[k] for k in ks)) for ar, it in runs]
        est = ratio_estimate(pairs, confidence)
        if est is not None:
            out[name] = est
    return out


def run_ciw(model: Model, queue: str, servers, mode, args, constant=None):
    spec = {
        "step": model.step,
        "len": model.len,
        "volume": model.volume[queue],
        "aht": model.aht[queue],
        "answer": model.queues[queue]["answer"],
        "patience": model.queues[queue]["patience"],
        "slots": model.queues[queue]["concurrency"],
        "servers": servers,
        "constant_servers": constant,
        "routing": args.routing,
    }
    jobs = [(spec, mode, args.seed * 1_000_003 + r) for r in range(args.replications)]
    if args.workers > 1:
        with Pool(args.workers) as pool:
            return pool.map(ciw_replication, jobs, chunksize=1)
    return [ciw_replication(j) for j in jobs]


# --------------------------------------------------------------------------------------------
# staffplan


def run_staffplan(binary, scenario, roster, replications, seed, work: Path):
    """`staffplan simulate --without-shrinkage` (printed) and the same simulation's estimates
    from `evaluate --simulate --without-shrinkage` (summary.json)."""
    common = ["--without-shrinkage", "--replications", str(replications), "--seed", str(seed)]
    printed = subprocess.run(
        [binary, "simulate", str(scenario), str(roster), *common],
        check=True, capture_output=True, text=True,
    ).stdout
    out = work / "evaluate"
    subprocess.run(
        [binary, "evaluate", str(scenario), "--roster", str(roster), "--out", str(out), "--simulate", *common],
        check=True, capture_output=True, text=True,
    )
    summary = json.loads((out / "summary.json").read_text())
    result = {}
    for queue, week in summary["simulated_service_level"].items():
        est = {"week": week}
        est.update({d: v for d, v in summary["simulated_service_level_by_day"][queue].items() if v})
        result[queue] = {k: (v["mean"], (v["high"] - v["low"]) / 2) for k, v in est.items()}
    # The printed table is the same simulation: check the week to its printed precision.
    for line in printed.splitlines():
        m = re.match(r"(\S+)\s+week\s+\S+%\s+([\d.]+)%", line)
        if m and m.group(1) in result:
            assert abs(float(m.group(2)) - 100 * result[m.group(1)]["week"][0]) < 0.051, line
    return result, printed


# --------------------------------------------------------------------------------------------
# Cases


def blended_split(model: Model):
    """Each blended shift wholly on one queue, greedily in start order: on the queue whose
    offered load per agent on duty (forecast volume × AHT ÷ interval ÷ concurrency, over the
    dedicated agents and the blended ones placed so far) is higher over the shift's intervals.
    Returns the split and each queue's share of the blended agent time."""
    blended = [n for n, s in enumerate(model.shifts) if len(model.groups.get(s["group"], [])) > 1]
    if not blended:
        return {}, {}
    queues = model.groups[model.shifts[blended[0]]["group"]]
    load = {
        q: [model.volume[q][k] * model.aht[q][k] / model.step / model.queues[q]["concurrency"]
            for k in range(model.len)]
        for q in queues
    }
    capacity = {q: [0.0] * model.len for q in queues}

    def add(duty, target):
        for a, b in duty:
            for k in range(max(a, 0) // model.step, min(b, model.end) // model.step + 1):
                lo, hi = max(a, k * model.step), min(b, (k + 1) * model.step, model.end)
                if hi > lo:
                    target[k] += (hi - lo) / model.step

    for s in model.shifts:
        qs = model.groups.get(s["group"], [])
        if len(qs) == 1 and qs[0] in capacity:
            add(s["duty"], capacity[qs[0]])
    split, hours = {}, {q: 0.0 for q in queues}
    for n in sorted(blended, key=lambda n: (model.shifts[n]["duty"] or [(0, 0)])[0]):
        duty = model.shifts[n]["duty"]
        mine = [0.0] * model.len
        add(duty, mine)
        ks = [k for k in range(model.len) if mine[k] > 0]

        def pressure(q):
            return sum(load[q][k] / (capacity[q][k] + 1.0) for k in ks) / max(len(ks), 1)

        q = max(queues, key=pressure)
        split[n] = q
        add(duty, capacity[q])
        hours[q] += sum(b - a for a, b in duty)
    total = sum(hours.values()) or 1.0
    return split, {q: h / total for q, h in hours.items()}


def write_split_roster(model: Model, roster_path: Path, split, dest: Path):
    """roster.csv with each blended shift moved to the dedicated group of its queue."""
    dedicated = {qs[0]: g for g, qs in model.groups.items() if len(qs) == 1}
    # A group whose only simulated queue is q (e.g. digital = chat + email).
    rows = list(csv.DictReader(open(roster_path, newline="")))
    fields = list(rows[0].keys())
    n = 0
    with open(dest, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields)
        w.writeheader()
        for r in rows:
            if n in split:
                r = dict(r, skill_group=dedicated[split[n]])
            w.writerow(r)
            n += 1
            if model.cyclic and model.seconds(utc(r["end_utc"])) > model.end:
                n += 1  # the wrapped copy has its own index in model.shifts
    return dest


def compare_roster(label, scenario, out_dir, roster, args, work: Path, split=None, notes=()):
    model = Model(scenario, out_dir, roster)
    staffplan, printed = run_staffplan(args.staffplan, scenario, roster, args.replications, args.seed, work)
    rows = []
    for queue in model.queues:
        if queue not in staffplan:
            continue
        servers = model.servers_of(queue, split)
        results = {}
        for mode in args.modes:
            started = time.time()
            runs = run_ciw(model, queue, servers, mode, args)
            results[mode] = summarize(model, queue, runs, args.confidence)
            print(f"  ciw {mode:<7} {label} {queue}: {time.time() - started:.0f} s", file=sys.stderr)
        # A one-day case: the day is the week.
        for period in (["week"] if len(model.days) > 1 else []) + model.days:
            if period not in staffplan[queue]:
                continue
            rows.append((label, queue, period, staffplan[queue][period], {m: results[m].get(period) for m in args.modes}))
    return {"label": label, "printed": printed, "rows": rows, "notes": list(notes)}


SYNTHETIC_SCENARIO = """# Synthetic chat check for benches/ciw_compare.py (written by the script).
[plan]
name = "chat M/M/3n"
start = 2026-11-23
days = 1
interval_minutes = 30
time_zone = "UTC"

[[queue]]
id = "chat"
channel = "chat"
aht = "10m"
concurrency = 3
service_level = 0.8
answer_within = "60s"
forecast = "chat.volume.csv"
"""


def synthetic_chat(args, work: Path, flat: bool):
    """A chat queue (concurrency 3, AHT 10 min, 60 s target), one day of 48 half hours.

    flat: 10 agents (30 chat slots) on duty from an hour before to an hour after the day, 78
    chats per half hour (26 chat-Erlangs); also run in ciw with a constant 30 servers (no
    schedule at all), next to the Erlang C closed form.
    staggered: 32 agents on 8-hour shifts starting every half hour from 00:00, each with a
    30-minute break 4 hours in; the volume follows the head count (2.6 chat-Erlangs an agent).
    """
    name = "chat-flat" if flat else "chat-staggered"
    d = work / name
    d.mkdir(parents=True, exist_ok=True)
    (d / "scenario.toml").write_text(SYNTHETIC_SCENARIO)
    start = dt.datetime(2026, 11, 23, tzinfo=dt.timezone.utc)
    step = 1800
    shifts = []
    if flat:
        for k in range(10):
            shifts.append((start - dt.timedelta(hours=1), start + dt.timedelta(hours=25), []))
    else:
        for k in range(32):
            a = start + dt.timedelta(minutes=30 * (k % 32))
            b = a + dt.timedelta(hours=8)
            brk = [(a + dt.timedelta(hours=4), a + dt.timedelta(hours=4, minutes=30))]
            shifts.append((a, b, brk))
    on = [0.0] * 48
    for a, b, brk in shifts:
        for k in range(48):
            lo, hi = start + dt.timedelta(seconds=k * step), start + dt.timedelta(seconds=(k + 1) * step)
            if a <= lo and hi <= b and not any(x <= lo and hi <= y for x, y in brk):
                on[k] += 1
    with open(d / "chat.volume.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["interval_start", "queue", "volume", "aht_seconds"])
        for k in range(48):
            t = start + dt.timedelta(seconds=k * step)
            # 26 chat-Erlangs per 10 agents (30 chat slots): 0.867 of the slots busy.
            volume = 78.0 if flat else round(7.8 * on[k], 1)
            w.writerow([t.strftime("%Y-%m-%dT%H:%M:%S+00:00"), "chat", volume, 600])
    fmt = "%Y-%m-%dT%H:%M%z"

    def local(t):
        s = t.strftime(fmt)
        return s[:-2] + ":" + s[-2:]

    with open(d / "roster.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["agent_id", "agent_name", "local_date", "shift_start_local", "shift_end_local",
                    "start_utc", "end_utc", "paid_hours", "skill_group", "breaks"])
        for k, (a, b, brk) in enumerate(shifts):
            w.writerow([f"C{k:03}", f"Chat {k}", a.strftime("%Y-%m-%d"), local(a), local(b),
                        a.strftime("%Y-%m-%dT%H:%M:%SZ"), b.strftime("%Y-%m-%dT%H:%M:%SZ"),
                        (b - a).total_seconds() / 3600, "chat",
                        ";".join(f"{local(x)}/{local(y)}" for x, y in brk)])
    # forecast.csv / coverage.csv as staffplan writes them, from `staffplan evaluate`.
    subprocess.run(
        [args.staffplan, "evaluate", str(d / "scenario.toml"), "--roster", str(d / "roster.csv"),
         "--out", str(d / "out"), "--without-shrinkage"],
        check=True, capture_output=True, text=True,
    )
    write_forecast(d / "out", d / "chat.volume.csv")
    result = compare_roster(name, d / "scenario.toml", d / "out", d / "roster.csv", args, d)
    if flat:
        model = Model(d / "scenario.toml", d / "out", d / "roster.csv")
        runs = run_ciw(model, "chat", model.servers_of("chat"), "constant", args, constant=30)
        est = summarize(model, "chat", runs, args.confidence)
        result["constant"] = est["week"]
        result["erlang_c"] = erlang_c_sl(26.0, 30, 600.0, 60.0)
    return result


def write_forecast(out_dir: Path, volume_csv: Path):
    """forecast.csv in out_dir, as `run` writes it, from the scenario's volume file (`evaluate`
    writes no forecast.csv)."""
    rows = list(csv.DictReader(open(volume_csv, newline="")))
    with open(out_dir / "forecast.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["interval_start", "local_start", "queue", "volume", "aht_seconds"])
        for r in rows:
            t = utc(r["interval_start"])
            w.writerow([t.strftime("%Y-%m-%dT%H:%M:%SZ"), t.isoformat(), r["queue"], r["volume"], r["aht_seconds"]])


def erlang_c_sl(traffic, servers, aht, answer):
    term, total = 1.0, 1.0
    for k in range(1, servers):
        term *= traffic / k
        total += term
    term *= traffic / servers
    top = term * servers / (servers - traffic)
    c = top / (total + top)
    return 1.0 - c * math.exp(-(servers - traffic) * answer / aht)


# --------------------------------------------------------------------------------------------
# Output


def fmt(est):
    return "—" if est is None else f"{100 * est[0]:.2f} ± {100 * est[1]:.2f}"


def report(results, args, markdown: Path | None):
    modes = args.modes
    header = ["case", "queue", "period", "staffplan %"] + [f"ciw {m} %" for m in modes] + [
        "Δ (ciw agents − staffplan)", "combined ±", "inside"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    all_inside = True
    notes = []
    for res in results:
        for label, queue, period, sp, ciw_est in res["rows"]:
            ref = ciw_est.get("agents") or ciw_est.get(modes[0])
            if ref is None:
                continue
            diff = ref[0] - sp[0]
            combined = math.hypot(ref[1], sp[1])
            inside = abs(diff) <= combined
            all_inside &= inside
            lines.append("| " + " | ".join(
                [label, queue, period, fmt(sp)] + [fmt(ciw_est.get(m)) for m in modes]
                + [f"{100 * diff:+.2f}", f"{100 * combined:.2f}", "yes" if inside else "**no**"]) + " |")
        notes += [f"{res['label']}: {n}" for n in res["notes"]]
        if "constant" in res:
            notes.append(f"{res['label']}: ciw with a constant 30 servers (no schedule) "
                         f"{fmt(res['constant'])} %, Erlang C M/M/30 steady state "
                         f"{100 * res['erlang_c']:.2f} % (the day includes the empty start).")
    text = "\n".join(lines + [""] + [f"- {n}" for n in notes])
    print(text)
    print(f"\nall staffplan figures inside the combined {100 * args.confidence:.0f} % intervals: "
          f"{'yes' if all_inside else 'NO'}")
    if markdown:
        markdown.write_text(text + "\n")
    return all_inside


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--staffplan", default=str(ROOT / "target/release/staffplan"))
    p.add_argument("--cases", default="small,omnichannel,chat",
                   help="comma-separated: small, omnichannel, chat (synthetic), chat-staggered")
    p.add_argument("--replications", type=int, default=100)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--confidence", type=float, default=0.99)
    p.add_argument("--modes", default="agents,pool,pool-interval",
                   help="ciw server models: agents, pool, pool-interval")
    p.add_argument("--routing", default="agent", choices=["agent", "slot"],
                   help="ciw agents mode: which free server takes a contact (see agent_node_class)")
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    p.add_argument("--work", type=Path, default=None, help="work directory (default: a temp dir)")
    p.add_argument("--markdown", type=Path, default=None, help="also write the table here")
    args = p.parse_args()
    args.modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    work = args.work or Path(tempfile.mkdtemp(prefix="ciw-compare-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"ciw {ciw.__version__}, {args.replications} replications, seed {args.seed}, work {work}",
          file=sys.stderr)

    results = []
    for case in [c.strip() for c in args.cases.split(",") if c.strip()]:
        if case == "small":
            scenario = ROOT / "scenarios/small-call-center.toml"
            out = work / "small"
            subprocess.run([args.staffplan, "run", str(scenario), "--out", str(out), "--quiet"], check=True)
            results.append(compare_roster("small-call-center", scenario, out, out / "roster.csv", args, out))
        elif case == "omnichannel":
            scenario = ROOT / "scenarios/omnichannel.toml"
            out = work / "omni"
            subprocess.run([args.staffplan, "run", str(scenario), "--out", str(out), "--quiet"], check=True)
            model = Model(scenario, out, out / "roster.csv")
            split, share = blended_split(model)
            roster = write_split_roster(model, out / "roster.csv", split, out / "roster-split.csv")
            note = ("blended shifts each put wholly on one queue (share of blended time: "
                    + ", ".join(f"{q} {100 * s:.0f} %" for q, s in share.items()) + "), in both simulators")
            print(note, file=sys.stderr)
            results.append(compare_roster("omnichannel", scenario, out, roster, args, out / "split", split=None,
                                          notes=[note]))
        elif case == "chat":
            results.append(synthetic_chat(args, work, flat=True))
        elif case == "chat-staggered":
            results.append(synthetic_chat(args, work, flat=False))
        else:
            p.error(f"unknown case {case!r}")
    ok = report(results, args, args.markdown)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
