#!/usr/bin/env python3
"""Writes the two-sites scenario's data (deterministic: same bytes every run):
two-sites.volume.csv (voice and chat forecast, America/New_York, 30-minute intervals),
two-sites.agents.csv (60 named agents: 36 in New York, 24 in Lisbon; full and part time; voice,
chat and both) and two-sites.time_off.csv.

Follow the sun: Lisbon agents cover New York's early morning (07:00 in Lisbon is 02:00 in New
York in late November), New York agents the day and evening. Two names are hostile on purpose
(a spreadsheet formula and an @-mention) and others carry commas, quotes and non-ASCII letters:
every CSV staffplan writes must neutralise or quote them.
Run from the repository root: python3 scenarios/make_two_sites.py
"""
import csv
import math
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

HERE = __file__.rsplit("/", 1)[0]
START = date(2026, 11, 23)
DAYS = 7
ZONE = "America/New_York"


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


def shape(hour):
    """Traffic in New York hours: an early European-hours shoulder, a US morning peak and an
    afternoon peak."""
    early = 0.45 * math.exp(-((hour - 5.0) ** 2) / (2 * 1.8 ** 2))
    morning = math.exp(-((hour - 10.5) ** 2) / (2 * 1.8 ** 2))
    afternoon = 0.8 * math.exp(-((hour - 15.0) ** 2) / (2 * 2.0 ** 2))
    return early + morning + afternoon


def volumes():
    rows = []
    for day, local in local_intervals(START, DAYS, 30, ZONE):
        hour = local.hour + local.minute / 60
        weekday = local.weekday()
        day_factor = {5: 0.55, 6: 0.4}.get(weekday, 1.0)
        wobble = 1.0 + 0.05 * math.sin(1.3 * hour + 2.1 * day)
        stamp = local.isoformat()
        if 2 <= hour < 22:
            rows.append((stamp, "voice", round(50 * shape(hour) * day_factor * wobble, 1)))
        if 3 <= hour < 20:
            rows.append((stamp, "chat", round(30 * shape(hour) * day_factor * wobble, 1)))
    with open(f"{HERE}/two-sites.volume.csv", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["interval_start", "queue", "volume"])
        w.writerows(rows)


FIRST = ["Ana", "Bruno", "Carla", "Duarte", "Eva", "Filipe", "Gil", "Helena", "Inês", "João",
         "Kara", "Luís", "Marta", "Nuno", "Olga", "Pedro", "Quinn", "Rita", "Sam", "Tomás"]
LAST = ["Silva", "Santos", "O'Neil", "Ferreira", "Pereira", "Costa", "Martins", "Jansen",
        "Nguyen", "Müller", "García", "Kowalski"]


def agents():
    rows = []
    time_off = []
    for k in range(60):
        lisbon = k % 5 in (1, 3)  # 24 of 60
        agent_id = f"{'LIS' if lisbon else 'NYC'}{k + 1:03d}"
        name = f"{FIRST[k % len(FIRST)]} {LAST[(k * 7) % len(LAST)]}"
        if k == 7:
            name = '=HYPERLINK("http://x","y")'
        if k == 12:
            name = "@mention Doe"
        if k == 20:
            name = 'Costa, Maria "Mia"'
        skills = ["voice", "chat", "voice;chat"][0 if k % 4 in (0, 1) else (1 if k % 4 == 2 else 2)]
        full = k % 3 != 2
        min_h, max_h, days = (32, 40, 5) if full else (12, 24, 4)
        row = {
            "id": agent_id,
            "name": name,
            "skills": skills,
            "site": "Lisbon" if lisbon else "New York",
            "time_zone": "Europe/Lisbon" if lisbon else "America/New_York",
            "min_weekly_hours": min_h,
            "max_weekly_hours": max_h,
            "max_days_per_week": days,
            "max_consecutive_days": 5,
            "preferred_start": "",
            "weekdays": "",
            "weekend": "",
        }
        if lisbon:
            row["weekdays"] = "07:00-21:00"
            row["weekend"] = "07:00-21:00" if k % 2 else "off"
            row["preferred_start"] = "08:00" if k % 3 == 0 else ""
        else:
            row["weekdays"] = "06:00-23:00" if k % 2 else "08:00-23:00"
            row["weekend"] = "08:00-22:00" if k % 3 else "off"
            row["preferred_start"] = "09:00" if k % 4 == 0 else ""
        rows.append(row)
        if k % 9 == 4:
            d = START + timedelta(days=(k % 5))
            time_off.append((agent_id, d.isoformat(), (d + timedelta(days=1)).isoformat(), "vacation"))
        if k % 11 == 6:
            d = START + timedelta(days=(k % 4) + 1)
            time_off.append((agent_id, f"{d.isoformat()} 12:00", f"{d.isoformat()} 16:00", "doctor"))
    columns = list(rows[0].keys())
    with open(f"{HERE}/two-sites.agents.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=columns, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    with open(f"{HERE}/two-sites.time_off.csv", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["agent_id", "start", "end", "reason"])
        w.writerows(time_off)


if __name__ == "__main__":
    volumes()
    agents()
