//! Units a planner types: durations (`"180s"`, `"3m"`, `"8h30m"`), fractions and percentages
//! (`0.85`, `"85%"`), service-level targets (`"80/20"`) and clock times (`"08:30"`).
//!
//! Parsers return a plain `String` cause on failure; callers turn it into a
//! [`Diagnostic`](crate::Diagnostic) naming the field. What they echo of the input is cut to a
//! sensible length ([`echo`] for text, [`format_value`] for numbers).

use crate::error::echo;

/// Parses a duration such as `"180s"`, `"3m"`, `"8h30m"`, `"1h 15m"`, `"1.5h"` or `"2d"` into
/// seconds. A bare number is refused: the unit must be explicit.
///
/// Errors echo the text through [`echo`], cut to a sensible length.
pub fn parse_duration(text: &str) -> Result<f64, String> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err("empty duration".into());
    }
    if trimmed.starts_with('-') {
        return Err(format!("negative duration {}", echo(trimmed)));
    }
    if let Ok(number) = trimmed.parse::<f64>() {
        if !number.is_finite() {
            return Err(format!(
                "duration {} is not a finite length of time; give a number with a unit, e.g. \
                 \"180s\"",
                echo(trimmed)
            ));
        }
        if trimmed.len() > 20 {
            return Err(format!(
                "duration {} has no unit; write the number with a unit, e.g. \"180s\" or \"3m\"",
                echo(trimmed)
            ));
        }
        return Err(format!(
            "duration {trimmed:?} has no unit; write e.g. \"{trimmed}s\" or \"{trimmed}m\""
        ));
    }
    let mut total = 0.0;
    let mut rest = trimmed;
    let mut parts = 0;
    while !rest.is_empty() {
        rest = rest.trim_start();
        let number_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        if number_len == 0 {
            return Err(format!(
                "cannot read duration {}: expected a number at {}",
                echo(trimmed),
                echo(rest)
            ));
        }
        let number: f64 = rest[..number_len]
            .parse()
            .map_err(|_| format!("cannot read duration {}: bad number", echo(trimmed)))?;
        rest = rest[number_len..].trim_start();
        let unit_len = rest
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(rest.len());
        let unit = &rest[..unit_len];
        let factor = match unit.to_ascii_lowercase().as_str() {
            "s" | "sec" | "secs" | "second" | "seconds" => 1.0,
            "m" | "min" | "mins" | "minute" | "minutes" => 60.0,
            "h" | "hr" | "hrs" | "hour" | "hours" => 3600.0,
            "d" | "day" | "days" => 86_400.0,
            "" => {
                return Err(format!(
                    "duration {} is missing a unit after {}; use s, m, h or d",
                    echo(trimmed),
                    format_value(number)
                ));
            }
            other => {
                return Err(format!(
                    "unknown unit {} in duration {}; use s, m, h or d",
                    echo(other),
                    echo(trimmed)
                ));
            }
        };
        total += number * factor;
        rest = &rest[unit_len..];
        parts += 1;
    }
    if parts == 0 {
        return Err(format!("cannot read duration {}", echo(trimmed)));
    }
    if !total.is_finite() {
        return Err(format!(
            "duration {} is not a finite length of time",
            echo(trimmed)
        ));
    }
    Ok(total)
}

/// Formats seconds compactly: `180` → `"3m"`, `30600` → `"8h30m"`, `20` → `"20s"`.
pub fn format_duration(seconds: f64) -> String {
    if !seconds.is_finite() {
        return format_value(seconds);
    }
    if seconds.abs() >= 1e15 {
        return format!("{}s", format_value(seconds));
    }
    let total = seconds.round() as i64;
    if total == 0 {
        return "0s".into();
    }
    let (hours, minutes, secs) = (total / 3600, (total % 3600) / 60, total % 60);
    let mut out = String::new();
    if hours > 0 {
        out.push_str(&format!("{hours}h"));
    }
    if minutes > 0 {
        out.push_str(&format!("{minutes}m"));
    }
    if secs > 0 {
        out.push_str(&format!("{secs}s"));
    }
    out
}

/// Parses a fraction `0.85` or a percentage `"85%"` into a fraction.
pub fn parse_fraction(text: &str) -> Result<f64, String> {
    let trimmed = text.trim();
    let value = if let Some(percent) = trimmed.strip_suffix('%') {
        percent
            .trim()
            .parse::<f64>()
            .map(|p| p / 100.0)
            .map_err(|_| format!("cannot read percentage {}", echo(trimmed)))?
    } else {
        trimmed.parse::<f64>().map_err(|_| {
            format!(
                "cannot read fraction {}; write 0.85 or \"85%\"",
                echo(trimmed)
            )
        })?
    };
    if !value.is_finite() {
        return Err(format!("{} is not a finite number", echo(trimmed)));
    }
    Ok(value)
}

/// Parses a signed relative change such as `"+15%"`, `"-20%"` or `"0.1"` into a fraction.
pub fn parse_change(text: &str) -> Result<f64, String> {
    let trimmed = text.trim();
    let unsigned = trimmed.strip_prefix('+').unwrap_or(trimmed);
    parse_fraction(unsigned)
}

/// Parses a service-level target `"80/20"` (80 % within 20 s); the answer time may carry a
/// unit (`"80/20s"`, `"90/1m"`) and the share may be a fraction (`"0.8/20"`).
pub fn parse_service_target(text: &str) -> Result<(f64, f64), String> {
    let trimmed = text.trim();
    let (share, time) = trimmed.split_once('/').ok_or_else(|| {
        format!(
            "service-level target {} must look like \"80/20\" (80 % within 20 s)",
            echo(trimmed)
        )
    })?;
    let share = share.trim().trim_end_matches('%');
    let mut fraction: f64 = share
        .parse()
        .map_err(|_| format!("cannot read the share {} in {}", echo(share), echo(trimmed)))?;
    if fraction > 1.0 {
        fraction /= 100.0;
    }
    let time = time.trim();
    let seconds = match time.parse::<f64>() {
        Ok(value) => value,
        Err(_) => parse_duration(time)?,
    };
    if !(fraction > 0.0 && fraction < 1.0) {
        return Err(format!(
            "service-level share in {} must be between 0 and 100 % (exclusive)",
            echo(trimmed)
        ));
    }
    if !(seconds.is_finite() && (0.0..=86_400.0).contains(&seconds)) {
        return Err(format!(
            "answer time in {} must be between 0 seconds and a day",
            echo(trimmed)
        ));
    }
    Ok((fraction, seconds))
}

/// Parses a clock time `"08:30"` (or `"24:00"` for the end of a day) into minutes after midnight.
pub fn parse_clock(text: &str) -> Result<u32, String> {
    let trimmed = text.trim();
    let (hours, minutes) = trimmed
        .split_once(':')
        .ok_or_else(|| format!("clock time {} must look like \"08:30\"", echo(trimmed)))?;
    let hours: u32 = hours
        .parse()
        .map_err(|_| format!("cannot read hours in clock time {}", echo(trimmed)))?;
    let minutes: u32 = minutes
        .parse()
        .map_err(|_| format!("cannot read minutes in clock time {}", echo(trimmed)))?;
    if minutes >= 60 || hours > 24 || (hours == 24 && minutes > 0) {
        return Err(format!(
            "clock time {} is out of range (00:00 to 24:00)",
            echo(trimmed)
        ));
    }
    Ok(hours * 60 + minutes)
}

/// Formats minutes after midnight as `HH:MM`.
pub fn format_clock(minutes: u32) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// Formats a number with at most `decimals` decimals and no trailing zeros (`12.5`, `3`).
/// A value that is not finite (infinite, NaN) is empty: no CSV or message ever says `inf` or
/// `NaN`. A value of 10^15 or more is written as [`format_value`] writes it (`1e300`).
pub fn format_number(value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        return String::new();
    }
    if value.abs() >= 1e15 {
        return format_value(value);
    }
    let text = format!("{value:.decimals$}");
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    };
    if text == "-0" { "0".into() } else { text }
}

/// A number as a message shows it: as Rust writes it when that is short (`0.85`, `1500`), else
/// in scientific notation with at most six significant digits (`1e300`, `1.23457e-30`), never
/// more than about 20 characters. For values the user gave, echoed in a range error.
pub fn format_value(value: f64) -> String {
    let plain = format!("{value}");
    if plain.len() <= 20 {
        return plain;
    }
    let scientific = format!("{value:e}");
    if scientific.len() <= 20 {
        return scientific;
    }
    let rounded = format!("{value:.5e}");
    match rounded.split_once('e') {
        Some((mantissa, exponent)) if mantissa.contains('.') => format!(
            "{}e{exponent}",
            mantissa.trim_end_matches('0').trim_end_matches('.')
        ),
        _ => rounded,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_in_every_accepted_form() {
        assert_eq!(parse_duration("180s"), Ok(180.0));
        assert_eq!(parse_duration("3m"), Ok(180.0));
        assert_eq!(parse_duration("8h30m"), Ok(30_600.0));
        assert_eq!(parse_duration("1h 15m"), Ok(4_500.0));
        assert_eq!(parse_duration("1.5h"), Ok(5_400.0));
        assert_eq!(parse_duration("2d"), Ok(172_800.0));
        assert_eq!(parse_duration("90 sec"), Ok(90.0));
    }

    #[test]
    fn durations_refuse_ambiguity() {
        assert!(parse_duration("180").unwrap_err().contains("no unit"));
        assert!(parse_duration("-3m").unwrap_err().contains("negative"));
        assert!(parse_duration("3x").unwrap_err().contains("unknown unit"));
        assert!(format!("{:?}", parse_duration("").unwrap_err()).contains("empty duration"));
        assert!(format!("{:?}", parse_duration("h").unwrap_err()).contains("expected a number"));
        assert!(
            parse_duration("3m5")
                .unwrap_err()
                .contains("missing a unit")
        );
    }

    #[test]
    fn duration_formatting_round_trips() {
        for text in ["3m", "8h30m", "20s", "1h0m5s"] {
            let seconds = parse_duration(text).unwrap();
            assert_eq!(parse_duration(&format_duration(seconds)).unwrap(), seconds);
        }
        assert_eq!(format_duration(30_600.0), "8h30m");
    }

    #[test]
    fn service_targets() {
        assert_eq!(parse_service_target("80/20"), Ok((0.8, 20.0)));
        assert_eq!(parse_service_target("0.9/1m"), Ok((0.9, 60.0)));
        assert_eq!(parse_service_target("80%/20s"), Ok((0.8, 20.0)));
        assert!(
            format!("{:?}", parse_service_target("150/20").unwrap_err())
                .contains("between 0 and 100")
        );
        assert!(
            format!("{:?}", parse_service_target("80-20").unwrap_err()).contains("must look like")
        );
    }

    #[test]
    fn fractions_and_changes() {
        assert_eq!(parse_fraction("85%"), Ok(0.85));
        assert_eq!(parse_fraction("0.3"), Ok(0.3));
        assert_eq!(parse_change("+15%"), Ok(0.15));
        assert_eq!(parse_change("-20%"), Ok(-0.2));
        assert!(
            format!("{:?}", parse_fraction("abc").unwrap_err()).contains("cannot read fraction")
        );
    }

    #[test]
    fn numbers_never_print_inf_nan_or_300_digits() {
        assert_eq!(format_number(f64::INFINITY, 1), "");
        assert_eq!(format_number(f64::NEG_INFINITY, 1), "");
        assert_eq!(format_number(f64::NAN, 1), "");
        assert_eq!(format_number(12.50, 2), "12.5");
        assert_eq!(format_number(1e300, 2), "1e300");
        assert_eq!(format_value(0.85), "0.85");
        assert_eq!(format_value(1e300), "1e300");
        assert_eq!(format_value(1e-300), "1e-300");
        assert_eq!(format_value(1.234_567_891_234_567_8e300), "1.23457e300");
        assert_eq!(format_value(f64::NAN), "NaN");
        assert!(format_value(-1.234_567_891_234e-300).len() <= 20);
    }

    #[test]
    fn durations_that_are_not_finite_say_so() {
        for text in ["inf", "NaN", "infinity", "-inf"] {
            let cause = parse_duration(text).unwrap_err();
            assert!(
                cause.contains("not a finite length") || cause.contains("negative"),
                "{text}: {cause}"
            );
            assert!(!cause.contains("infs"), "{cause}");
        }
        let cause = parse_duration(&"9".repeat(400)).unwrap_err();
        assert!(cause.len() < 200, "{cause}");
        assert!(parse_service_target("80/1e300").is_err());
    }

    #[test]
    fn clock_times() {
        assert_eq!(parse_clock("08:30"), Ok(510));
        assert_eq!(parse_clock("24:00"), Ok(1440));
        assert!(format!("{:?}", parse_clock("24:30").unwrap_err()).contains("out of range"));
        assert!(format!("{:?}", parse_clock("8h").unwrap_err()).contains("must look like"));
        assert_eq!(format_clock(510), "08:30");
    }
}
