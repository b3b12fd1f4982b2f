//! Numbers as people read them: sizes, speeds and times left.

use std::time::Duration;

pub use crate::cli::human_bytes;

/// "2.4 MB/s"; empty before anything was measured.
pub fn speed(bytes_per_second: f64) -> String {
    if bytes_per_second <= 0.0 || !bytes_per_second.is_finite() {
        return String::new();
    }
    format!("{}/s", human_bytes(bytes_per_second as u64))
}

/// "about 3 min left", "12 s left": coarse on purpose, an estimate that flickers at the
/// second is noise.
pub fn time_left(left: Duration) -> String {
    let secs = left.as_secs();
    if secs < 60 {
        format!("{secs} s left")
    } else if secs < 3600 {
        format!("about {} min left", secs.div_ceil(60))
    } else {
        format!("about {} h {} min left", secs / 3600, (secs % 3600) / 60)
    }
}

/// The countdown of a staged file: "expires in 59 min", then seconds in the last minute.
pub fn expires_in(left: Duration) -> String {
    let secs = left.as_secs();
    if secs >= 60 {
        format!("expires in {} min", secs.div_ceil(60))
    } else {
        format!("expires in {secs} s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_read_naturally() {
        assert_eq!(time_left(Duration::from_secs(5)), "5 s left");
        assert_eq!(time_left(Duration::from_secs(61)), "about 2 min left");
        assert_eq!(expires_in(Duration::from_secs(3599)), "expires in 60 min");
        assert_eq!(expires_in(Duration::from_secs(59)), "expires in 59 s");
        assert_eq!(speed(0.0), "");
        assert_eq!(speed(2_400_000.0), "2.4 MB/s");
    }
}
