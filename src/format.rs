//! Numbers as people read them: sizes, speeds and times left. Shared by the window and
//! the command line, so both say the same thing the same way.

use std::time::Duration;

/// Sizes as people read them: 1.5 MB, 320 KB (decimal units, as file managers show).
pub fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["bytes", "KB", "MB", "GB", "TB"];
    if bytes < 1000 {
        return format!("{bytes} bytes");
    }
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit < UNITS.len() - 1 {
        value /= 1000.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

/// "60 minutes": how long a staged file lives, as said to the operator.
pub fn lifetime() -> String {
    let minutes = crate::STAGED_FILE_LIFETIME.as_secs() / 60;
    format!("{minutes} minutes")
}

/// "200 MB": the most an execution may upload, as said to the operator.
pub fn execution_limit() -> String {
    let limit = crate::EXECUTION_UPLOAD_LIMIT;
    if limit.is_multiple_of(1_000_000) {
        format!("{} MB", limit / 1_000_000)
    } else {
        human_bytes(limit)
    }
}

/// "10:42" today, "Nov 28, 10:42" another day: when something happened, in local time.
pub fn when(at: std::time::SystemTime, now: std::time::SystemTime) -> String {
    let at: chrono::DateTime<chrono::Local> = at.into();
    let now: chrono::DateTime<chrono::Local> = now.into();
    if at.date_naive() == now.date_naive() {
        at.format("%H:%M").to_string()
    } else {
        at.format("%b %-d, %H:%M").to_string()
    }
}

/// "3 files", "1 file".
pub fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

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
    fn sizes_read_like_a_file_manager() {
        assert_eq!(human_bytes(999), "999 bytes");
        assert_eq!(human_bytes(1500), "1.5 KB");
        assert_eq!(human_bytes(1_073_741_824), "1.1 GB");
        assert_eq!(lifetime(), "60 minutes");
        assert_eq!(execution_limit(), "200 MB");
        assert_eq!(count(1, "file", "files"), "1 file");
        assert_eq!(count(0, "file", "files"), "0 files");
    }

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
