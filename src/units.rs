//! Units: durations, percentages.
