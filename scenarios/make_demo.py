#!/usr/bin/env python3
"""Writes the demo scenarios' history and workforce data (deterministic: a fixed linear
congruential generator, no library randomness; same bytes every run).

- small-call-center.history.csv: 12 weeks of 30-minute ACD history (calls, AHT) before the
  plan week, with a weekly pattern, a slow trend and Poisson-like noise; Sundays closed.
- small-call-center.agents.csv / .time_off.csv: 44 agents (full and part time) in Chicago.
- omnichannel.agents.csv / .time_off.csv: 66 agents in New York across voice, blended
  (voice + chat) and digital (chat + email) skill groups.
- large.volume.csv / large.agents.csv: a 500-agent week (voice + chat, 15-minute intervals)
  for benches; large-{multiskill,weekends,parttime}.agents.csv: other mixes of 500 agents for
  the same week (two-skill agents, few weekend workers, half part-timers).
Run from the repository root: python3 scenarios/make_demo.py
Scale runs (benches): python3 scenarios/make_demo.py --scale 2000 --out /tmp/large-2000
"""
import csv
import math
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

HERE = __file__.rsplit("/", 1)[0]


class Lcg:
    """Numerical Recipes LCG: portable and reproducible."""

    def __init__(self, seed):
        self.state = seed & 0xFFFFFFFF

    def uniform(self):
        self.state = (1664525 * self.state + 1013904223) & 0xFFFFFFFF
        return (self.state + 0.5) / 2**32

    def normal(self):
        u1, u2 = self.uniform(), self.uniform()
        return math.sqrt(-2 * math.log(u1)) * math.cos(2 * math.pi * u2)


def local_intervals(start, days, minutes, zone):
    tz = ZoneInfo(zone)
    for day in range(days):
        d = start + timedelta(days=day)
        begin = datetime(d.year, d.month, d.day, tzinfo=tz).astimezone(timezone.utc)
        nd = d + timedelta(days=1)
        end = datetime(nd.year, nd.month, nd.day, tzinfo=tz).astimezone(timezone.utc)
        t = begin
        while t < end:
            yield day, t.astimezone(tz)
            t += timedelta(minutes=minutes)


def intraday(hour):
    morning = math.exp(-((hour - 10.5) ** 2) / (2 * 1.6 ** 2))
    afternoon = 0.8 * math.exp(-((hour - 14.5) ** 2) / (2 * 1.9 ** 2))
    evening = 0.25 * math.exp(-((hour - 19.0) ** 2) / (2 * 2.0 ** 2))
    return morning + afternoon + evening


def write_csv(name, header, rows):
    with open(f"{HERE}/{name}", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def small_history():
    rng = Lcg(20261123)
    weekday_scale = [1.00, 0.93, 0.90, 0.92, 0.85, 0.45, 0.0]
    start = date(2026, 8, 31)
    rows = []
    for day, t in local_intervals(start, 84, 30, "America/Chicago"):
        hour = t.hour + t.minute / 60
        weekday = t.weekday()
        open_ = (weekday < 5 and 8 <= hour < 20) or (weekday == 5 and 9 <= hour < 17)
        if not open_:
            continue
        trend = 1.0 + 0.004 * (day // 7)
        mean = 110 * weekday_scale[weekday] * intraday(hour + 0.25) * trend + 2.0
        calls = max(0, round(mean + math.sqrt(mean) * rng.normal()))
        aht = 270 + 25 * math.sin((hour - 8) / 12 * math.pi) + 12 * rng.normal()
        rows.append((t.isoformat(), "support", calls, round(aht)))
    write_csv("small-call-center.history.csv", ["interval_start", "queue", "offered", "aht_seconds"], rows)


FIRST = ["Ana", "Ben", "Chloé", "Dmitri", "Emeka", "Fatima", "Grace", "Hiro", "Ines", "Jonas",
         "Kwame", "Lena", "Mateo", "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tariq",
         "Uma", "Victor", "Wen", "Ximena", "Yusuf", "Zoë"]
LAST = ["Abbott", "Berg", "Castillo", "Dubois", "Eriksen", "Fernández", "García", "Hansen",
        "Ivanova", "Jensen", "Kowalski", "López", "Müller", "Nakamura", "O'Brien", "Pereira",
        "Quispe", "Rossi", "Schmidt", "Tanaka", "Usman", "Vargas", "Weber", "Xu", "Yilmaz", "Zhou"]


def name(i):
    return f"{FIRST[i % len(FIRST)]} {LAST[(i * 7 + 3) % len(LAST)]}"


AGENT_HEADER = ["id", "name", "skills", "time_zone", "min_weekly_hours", "max_weekly_hours",
                "max_days_per_week", "max_consecutive_days", "preferred_start", "weekdays",
                "weekend"]


def small_agents():
    rows = []
    for i in range(44):
        full = i < 32
        rows.append((
            f"S{i + 1:03d}", name(i), "support", "America/Chicago",
            32 if full else 12, 40 if full else 24, 5 if full else 4, 5,
            ["07:30", "09:00", "11:00", ""][i % 4] if full else "",
            "07:00-21:00" if i % 9 != 8 else "07:00-15:00",
            "08:00-18:00" if i % 3 != 2 else "off",
        ))
    write_csv("small-call-center.agents.csv", AGENT_HEADER, rows)
    write_csv("small-call-center.time_off.csv", ["agent_id", "start", "end", "reason"], [
        ("S004", "2026-11-27", "2026-11-28", "vacation"),
        ("S011", "2026-11-24 12:00", "2026-11-24 16:00", "doctor"),
        ("S017", "2026-11-23", "2026-11-24", "vacation"),
    ])


def omnichannel_agents():
    rows = []
    for i in range(66):
        if i < 32:
            skills = "voice"
        elif i < 46:
            skills = "blended"
        else:
            skills = "digital"
        full = i % 5 != 4
        night = i < 10  # the voice line is open around the clock
        rows.append((
            f"N{i + 1:03d}", name(i + 3), skills, "America/New_York",
            32 if full else 12, 40 if full else 24, 5 if full else 4, 5, "",
            "00:00-24:00" if night else "06:00-24:00",
            "00:00-24:00" if night else ("07:00-23:00" if i % 3 else "off"),
        ))
    write_csv("omnichannel.agents.csv", AGENT_HEADER, rows)
    write_csv("omnichannel.time_off.csv", ["agent_id", "start", "end", "reason"], [
        ("N007", "2026-10-28", "2026-10-29", "vacation"),
        ("N030", "2026-11-01 00:00", "2026-11-01 04:00", "personal"),
        ("N050", "2026-10-26 13:00", "2026-10-26 17:00", "training"),
    ])


def large_volume(scale=1.0):
    """Voice and chat volume of the large week; `scale` multiplies it (more agents, more calls)."""
    rows = []
    for day, t in local_intervals(date(2026, 11, 23), 7, 15, "America/Denver"):
        hour = t.hour + t.minute / 60
        weekday = t.weekday()
        week_scale = [1.0, 0.96, 0.94, 0.95, 0.9, 0.55, 0.45][weekday]
        wobble = 1.0 + 0.04 * math.sin(1.9 * hour + 1.3 * day)
        if 6 <= hour < 23:
            rows.append((t.isoformat(), "voice", round(scale * (430 * week_scale * intraday(hour) * wobble + 4), 1)))
        if 7 <= hour < 21:
            rows.append((t.isoformat(), "chat", round(scale * (250 * week_scale * intraday(hour - 0.5) * wobble + 2), 1)))
    rows.sort(key=lambda r: (r[1] != "voice", datetime.fromisoformat(r[0])))
    return rows


def large_agents(n, mix="bundled"):
    """`n` agents in Denver. Mixes:
    - bundled: the large scenario's (voice, voice, blended, chat-part-time; a third off weekends);
    - multiskill: agents with two skill groups (voice;chat), blended and dedicated ones, most
      weekends worked;
    - weekends: most agents off on weekends, a few weekend specialists;
    - parttime: half of them part-timers on morning or evening windows."""
    agents = []
    for i in range(n):
        if mix == "bundled":
            skills = ["voice", "voice", "blended", "chat"][i % 4]
            full = i % 4 != 3
            weekdays, weekend = "05:00-24:00", "06:00-24:00" if i % 3 else "off"
        elif mix == "multiskill":
            skills = ["voice;chat", "voice", "blended", "voice;chat", "chat"][i % 5]
            full = i % 5 != 4
            weekdays, weekend = "05:00-24:00", "06:00-24:00" if i % 5 else "off"
        elif mix == "weekends":
            skills = ["voice", "voice", "blended", "chat"][i % 4]
            full = i % 4 != 3
            specialist = i % 7 == 0
            weekdays = "05:00-24:00"
            weekend = "06:00-24:00" if specialist or i % 5 == 0 else "off"
        elif mix == "parttime":
            skills = ["voice", "blended", "chat", "voice"][i % 4]
            full = i % 2 == 0
            weekdays = "05:00-24:00" if full else ["06:00-15:00", "13:00-24:00"][(i // 2) % 2]
            weekend = "06:00-24:00" if i % 3 else "off"
        else:
            raise SystemExit(f"unknown mix {mix!r}: bundled, multiskill, weekends or parttime")
        agents.append((
            f"L{i + 1:04d}", name(i), skills, "America/Denver",
            32 if full else 12, 40 if full else 24, 5 if full else 4, 5, "",
            weekdays, weekend,
        ))
    return agents


def large():
    write_csv("large.volume.csv", ["interval_start", "queue", "volume"], large_volume())
    write_csv("large.agents.csv", AGENT_HEADER, large_agents(500))
    for mix in ["multiskill", "weekends", "parttime"]:
        write_csv(f"large-{mix}.agents.csv", AGENT_HEADER, large_agents(500, mix))


def scaled(agents, out, mix="bundled"):
    """A large-like week for `agents` agents (volume scaled with them) written to `out`:
    large-N.toml, large-N.volume.csv, large-N.agents.csv. For benches, not committed."""
    global HERE
    import os
    os.makedirs(out, exist_ok=True)
    stem = f"large-{agents}" + ("" if mix == "bundled" else f"-{mix}")
    with open(f"{HERE}/large.toml") as f:
        text = f.read()
    text = text.replace('agents = "large.agents.csv"', f'agents = "{stem}.agents.csv"')
    text = text.replace('"large.volume.csv"', f'"{stem}.volume.csv"')
    text = text.replace('name = "Large (500 agents)"', f'name = "Large ({agents} agents)"')
    with open(f"{out}/{stem}.toml", "w") as f:
        f.write(text)
    here, HERE = HERE, out
    try:
        write_csv(f"{stem}.volume.csv", ["interval_start", "queue", "volume"], large_volume(agents / 500))
        write_csv(f"{stem}.agents.csv", AGENT_HEADER, large_agents(agents, mix))
    finally:
        HERE = here
    print(f"{out}/{stem}.toml")


if __name__ == "__main__":
    import sys
    if len(sys.argv) > 1:
        # python3 scenarios/make_demo.py --scale N --out DIR [--mix MIX]
        import argparse
        ap = argparse.ArgumentParser()
        ap.add_argument("--scale", type=int, required=True, help="number of agents")
        ap.add_argument("--out", required=True)
        ap.add_argument("--mix", default="bundled")
        args = ap.parse_args()
        scaled(args.scale, args.out, args.mix)
    else:
        small_history()
        small_agents()
        omnichannel_agents()
        large()
