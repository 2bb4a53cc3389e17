//! The clock of everything that happens over time: the system's, or a file the tests write.

use std::path::PathBuf;

use jiff::Timestamp;

/// Where "now" comes from.
///
/// [`Clock::System`] in production. [`Clock::File`] is for tests only (`state.test_clock_file`,
/// inert unless set): the file holds an RFC 3339 instant (`2026-12-02T09:00:00Z`) or Unix
/// seconds, read at every call, so a test moves a running `lectern serve` to any minute by
/// writing it. A file that cannot be read or parsed reads as the system's time, logged once
/// per call site at warn level.
#[derive(Debug, Clone, Default)]
pub enum Clock {
    /// The machine's clock.
    #[default]
    System,
    /// The instant written in this file (tests only).
    File(PathBuf),
}

impl Clock {
    /// The clock `state.test_clock_file` asks for: the file's when set, else the system's.
    pub fn from_setting(test_clock_file: Option<PathBuf>) -> Clock {
        test_clock_file.map_or(Clock::System, Clock::File)
    }

    /// Now.
    pub fn now(&self) -> Timestamp {
        match self {
            Clock::System => Timestamp::now(),
            Clock::File(path) => match std::fs::read_to_string(path) {
                Ok(text) => parse(text.trim()).unwrap_or_else(|| {
                    tracing::warn!(path = %path.display(), "test clock file unreadable: system time");
                    Timestamp::now()
                }),
                Err(e) => {
                    tracing::warn!(path = %path.display(), error = %e, "test clock file missing: system time");
                    Timestamp::now()
                }
            },
        }
    }

    /// Whether this is a test clock (the scheduler then looks more often).
    pub fn is_test(&self) -> bool {
        matches!(self, Clock::File(_))
    }
}

fn parse(text: &str) -> Option<Timestamp> {
    if let Ok(secs) = text.parse::<i64>() {
        return Timestamp::from_second(secs).ok();
    }
    text.parse::<Timestamp>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_clock_reads_what_the_test_wrote() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("now");
        std::fs::write(&path, "2026-12-02T09:00:00Z\n").unwrap();
        let clock = Clock::from_setting(Some(path.clone()));
        assert_eq!(clock.now().as_second(), 1_796_202_000);
        std::fs::write(&path, "1796202060").unwrap();
        assert_eq!(clock.now().as_second(), 1_796_202_060);
        assert!(clock.is_test());
        assert!(!Clock::from_setting(None).is_test());
    }
}
