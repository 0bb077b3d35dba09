//! Duration, clock, fraction, service-target and timestamp parsers: never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(seconds) = staffplan::units::parse_duration(text) {
            assert!(seconds.is_finite() && seconds >= 0.0);
        }
        let _ = staffplan::units::parse_clock(text);
        let _ = staffplan::units::parse_fraction(text);
        let _ = staffplan::units::parse_change(text);
        if let Ok((share, answer)) = staffplan::units::parse_service_target(text) {
            assert!(share > 0.0 && share < 1.0 && answer >= 0.0);
        }
        for zone in [
            chrono_tz::America::New_York,
            chrono_tz::Europe::Lisbon,
            chrono_tz::Australia::Lord_Howe,
        ] {
            let _ = staffplan::time::parse_timestamp(text, zone);
        }
        let _ = staffplan::time::parse_zone(text);
    }
});
