#!/usr/bin/env python3
"""Writes the reference-week scheduling benchmark (deterministic: same bytes every run).

- reference-week.volume.csv: one voice queue, 7 x 96 quarter-hours, a double-peaked weekday
  curve with lower weekends and a night floor (the line is open around the clock);
- reference-week.requirements.csv: agents per interval by Erlang C (80 % within 20 s, AHT
  5 min, no shrinkage: breaks are modelled as shifts' breaks), peaking near 120 agents. The
  scheduler benchmark reads this file, so its figures do not move when the Erlang engine
  changes;
- reference-week-5q.volume.csv / .requirements.csv: the same week split into five queues of
  different shapes (two voice languages, chat, a sales line, a back-office line).

Run from the repository root: python3 scenarios/make_reference_week.py
"""
import math
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

HERE = __file__.rsplit("/", 1)[0]
START = date(2026, 11, 23)  # a Monday; no DST change in the week in America/Chicago
ZONE = "America/Chicago"
MINUTES = 15
AHT = 300.0
TARGET_SL, ANSWER_WITHIN = 0.80, 20.0


def erlang_c_wait_probability(traffic, agents):
    """Erlang C via the stable Erlang B recursion."""
    if agents <= traffic:
        return 1.0
    b = 1.0
    for n in range(1, agents + 1):
        b = traffic * b / (n + traffic * b)
    return agents * b / (agents - traffic * (1.0 - b))


def required_agents(volume, aht=AHT, sl=TARGET_SL, answer=ANSWER_WITHIN, minimum=1):
    traffic = volume * aht / (MINUTES * 60)
    agents = max(minimum, int(math.floor(traffic)) + 1)
    while True:
        pw = erlang_c_wait_probability(traffic, agents)
        service = 1.0 - pw * math.exp(-(agents - traffic) * answer / aht)
        if service >= sl - 1e-12:
            return agents
        agents += 1


def intraday(hour):
    """Double-peaked intraday shape: 10:30 and 14:30 peaks, an evening shoulder."""
    morning = math.exp(-((hour - 10.5) ** 2) / (2 * 1.7 ** 2))
    afternoon = 0.85 * math.exp(-((hour - 14.5) ** 2) / (2 * 2.0 ** 2))
    evening = 0.3 * math.exp(-((hour - 19.5) ** 2) / (2 * 2.2 ** 2))
    return morning + afternoon + evening


def wobble(day, slot):
    return 1.0 + 0.05 * math.sin(1.3 * slot + 2.1 * day) + 0.03 * math.cos(0.7 * slot * (day + 1) + 0.4)


def intervals():
    tz = ZoneInfo(ZONE)
    for day in range(7):
        d = START + timedelta(days=day)
        begin = datetime(d.year, d.month, d.day, tzinfo=tz).astimezone(timezone.utc)
        nd = d + timedelta(days=1)
        end = datetime(nd.year, nd.month, nd.day, tzinfo=tz).astimezone(timezone.utc)
        t = begin
        while t < end:
            yield day, t.astimezone(tz)
            t += timedelta(minutes=MINUTES)


def iso(t):
    return t.isoformat(timespec="seconds")


def utc(t):
    return t.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


WEEKDAY_SCALE = [1.00, 0.95, 0.92, 0.94, 0.90, 0.55, 0.42]


def reference_volume(day, t):
    hour = t.hour + t.minute / 60
    slot = int(hour * 4)
    return 272.0 * WEEKDAY_SCALE[t.weekday()] * intraday(hour + 0.125) * wobble(day, slot) + 6.0


# Five queues: (id, share of the reference volume, hour shift of the shape, AHT seconds).
FIVE = [
    ("voice-en", 0.38, 0.0, 300.0),
    ("voice-es", 0.14, 1.0, 330.0),
    ("chat", 0.20, -0.5, 300.0),
    ("sales", 0.16, 1.5, 360.0),
    ("backoffice", 0.12, -1.0, 270.0),
]


def five_volume(day, t, shift):
    hour = t.hour + t.minute / 60
    slot = int(hour * 4)
    return 272.0 * WEEKDAY_SCALE[t.weekday()] * intraday(hour + 0.125 - shift) * wobble(day + 3, slot) + 6.0


def write(name, rows):
    with open(f"{HERE}/{name}", "w") as f:
        f.write("\n".join(rows) + "\n")


def main():
    volume_rows = ["interval_start,queue,volume,aht_seconds"]
    requirement_rows = ["interval_start,local_start,queue,volume,aht_seconds,required_agents,scheduled_agents"]
    peak = 0
    for day, t in intervals():
        volume = round(reference_volume(day, t), 1)
        agents = required_agents(volume)
        peak = max(peak, agents)
        volume_rows.append(f"{iso(t)},voice,{volume:.1f},{AHT:.0f}")
        requirement_rows.append(f"{utc(t)},{iso(t)},voice,{volume:.1f},{AHT:.0f},{agents},{agents}")
    write("reference-week.volume.csv", volume_rows)
    write("reference-week.requirements.csv", requirement_rows)

    volume_rows = ["interval_start,queue,volume,aht_seconds"]
    requirement_rows = ["interval_start,local_start,queue,volume,aht_seconds,required_agents,scheduled_agents"]
    by_queue = {q[0]: [] for q in FIVE}
    for day, t in intervals():
        for queue, share, shift, aht in FIVE:
            volume = round(share * five_volume(day, t, shift), 1)
            agents = required_agents(volume, aht=aht)
            by_queue[queue].append(f"{iso(t)},{queue},{volume:.1f},{aht:.0f}")
            requirement_rows.append(f"{utc(t)},{iso(t)},{queue},{volume:.1f},{aht:.0f},{agents},{agents}")
    for queue, _, _, _ in FIVE:
        volume_rows.extend(by_queue[queue])
    write("reference-week-5q.volume.csv", volume_rows)
    write("reference-week-5q.requirements.csv", requirement_rows)
    print(f"reference week: peak {peak} agents")


if __name__ == "__main__":
    main()
