#!/usr/bin/env python3
"""Writes the demo scenarios' volume CSVs (deterministic: no randomness, same bytes every run).

Curves are synthetic but shaped like real contact-center traffic: a morning peak around
10:30, a smaller afternoon peak around 14:30, lower weekends, and a small weekly trend.
Run from the repository root: python3 scenarios/make_volumes.py
"""
import math
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

HERE = __file__.rsplit("/", 1)[0]


def intraday(hour):
    """Double-peaked intraday shape in [0, 1]: peaks at 10:30 and 14:30."""
    morning = math.exp(-((hour - 10.5) ** 2) / (2 * 1.6 ** 2))
    afternoon = 0.8 * math.exp(-((hour - 14.5) ** 2) / (2 * 1.9 ** 2))
    evening = 0.25 * math.exp(-((hour - 19.0) ** 2) / (2 * 2.0 ** 2))
    return morning + afternoon + evening


def wobble(day, slot):
    """Deterministic small irregularity so the curve is not perfectly smooth."""
    return 1.0 + 0.06 * math.sin(1.7 * slot + 2.3 * day) + 0.03 * math.cos(0.9 * slot * day + 1.1)


def local_intervals(start, days, minutes, zone):
    """UTC-correct local interval starts: local midnight to local midnight, stepping in UTC."""
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


def iso(t):
    return t.isoformat(timespec="seconds")


def small_call_center():
    rows = ["interval_start,queue,volume,aht_seconds"]
    weekday_scale = [1.00, 0.93, 0.90, 0.92, 0.85, 0.45, 0.0]
    for day, t in local_intervals(date(2026, 11, 23), 7, 30, "America/Chicago"):
        hour = t.hour + t.minute / 60
        weekday = t.weekday()
        open_ = (weekday < 5 and 8 <= hour < 20) or (weekday == 5 and 9 <= hour < 17)
        if not open_:
            continue
        slot = int(hour * 2)
        volume = 120 * weekday_scale[weekday] * intraday(hour + 0.25) * wobble(day, slot)
        volume = max(round(volume, 1), 2.0)
        aht = 270 + 25 * math.sin((hour - 8) / 12 * math.pi)
        rows.append(f"{iso(t)},support,{volume:.1f},{aht:.0f}")
    with open(f"{HERE}/small-call-center.volume.csv", "w") as f:
        f.write("\n".join(rows) + "\n")


def omnichannel():
    rows = ["interval_start,queue,volume,aht_seconds"]
    weekday_scale = [1.00, 0.95, 0.92, 0.94, 0.88, 0.55, 0.45]
    for day, t in local_intervals(date(2026, 10, 26), 7, 15, "America/New_York"):
        hour = t.hour + t.minute / 60
        weekday = t.weekday()
        slot = int(hour * 4)
        scale = weekday_scale[weekday] * wobble(day, slot)
        shape = intraday(hour + 0.125)
        # Voice is open around the clock: a night floor keeps a few calls coming.
        voice = 35 * scale * shape + 1.0
        rows.append(f"{iso(t)},voice,{voice:.1f},{300 + 20 * math.sin(hour / 24 * 2 * math.pi):.0f}")
        if 8 <= hour < 22:
            chat = 22 * scale * intraday(hour - 0.5) + 0.5
            rows.append(f"{iso(t)},chat,{chat:.1f},600")
        if weekday < 5 and 8 <= hour < 18:
            email = 9 * scale * (0.6 + 0.4 * shape)
            rows.append(f"{iso(t)},email,{email:.1f},420")
    # Rows sorted by queue, then time (the reader wants each queue's rows in time order).
    header, body = rows[0], rows[1:]
    order = {"voice": 0, "chat": 1, "email": 2}
    body.sort(key=lambda r: (order[r.split(",")[1]], datetime.fromisoformat(r.split(",")[0])))
    with open(f"{HERE}/omnichannel.volume.csv", "w") as f:
        f.write("\n".join([header] + body) + "\n")


if __name__ == "__main__":
    small_call_center()
    omnichannel()
