//! Volume/history CSV reader and grid alignment: any bytes, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let zone: chrono_tz::Tz = chrono_tz::America::New_York;
    if let Ok(table) = staffplan::volume::read_volume_csv(data, "fuzz.csv", zone) {
        let start = chrono::NaiveDate::from_ymd_opt(2026, 10, 26).unwrap();
        let horizon = staffplan::time::Horizon::new(start, 7, 15, zone).unwrap();
        let open = vec![true; horizon.len()];
        let _ = staffplan::volume::align_to_horizon(&table, "q", &horizon, 180.0, &open);
    }
});
