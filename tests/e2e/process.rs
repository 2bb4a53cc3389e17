//! `lectern serve` as a child process against the fake Discord, for what only the binary
//! shows: the token read from the environment, logging set up by `main`, exit codes and
//! signals, its own memory. Used by `bot.rs` and by `benches/load.rs` (which includes this
//! file by path).
//!
//! The child never inherits a token or a log filter from the environment the tests run in;
//! it is killed if the test ends before it exits.

use std::ffi::OsStr;
use std::process::{Command, ExitStatus, Stdio};

use super::fake_discord::{FakeDiscord, PATIENCE};

/// `lectern serve` in the crate's folder, with no token and no `RUST_LOG` of the caller's.
pub fn lectern_serve() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_lectern"));
    c.arg("serve")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("DISCORD_TOKEN")
        .env_remove("DISCORD_TOKEN_FILE")
        .env_remove("RUST_LOG");
    c
}

/// A running `lectern serve`.
pub struct Served {
    child: std::process::Child,
    /// Its stderr, where it logs.
    logs: tempfile::NamedTempFile,
    /// Its own state database's folder, unless the test gave `LECTERN__STATE__PATH`.
    _state: tempfile::TempDir,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Served {
    /// Starts `lectern serve` against `fake` with `envs` set, and waits until a process has
    /// started registering its commands.
    pub async fn start<K, V>(fake: &FakeDiscord, envs: impl IntoIterator<Item = (K, V)>) -> Served
    where
        K: AsRef<OsStr>,
        V: AsRef<OsStr>,
    {
        let served = Served::spawn(fake, envs);
        // Registration reads what Discord has first (and writes only if it differs).
        fake.wait_request("command registration", |r| {
            r.method == "GET" && r.path.ends_with("/commands")
        })
        .await;
        served
    }

    /// Starts `lectern serve` against `fake` with `envs` set, and returns at once.
    pub fn spawn<K, V>(fake: &FakeDiscord, envs: impl IntoIterator<Item = (K, V)>) -> Served
    where
        K: AsRef<OsStr>,
        V: AsRef<OsStr>,
    {
        let logs = tempfile::NamedTempFile::new().unwrap();
        let state = tempfile::tempdir().unwrap();
        let child = lectern_serve()
            .env("LECTERN__DISCORD__API_BASE", &fake.api_base)
            .env("LECTERN__STATE__PATH", state.path().join("lectern.sqlite3"))
            .envs(envs)
            .stdout(Stdio::null())
            .stderr(logs.reopen().unwrap())
            .spawn()
            .expect("the lectern binary starts");
        Served {
            child,
            logs,
            _state: state,
        }
    }

    /// Its exit status, if it has exited.
    pub fn try_wait(&mut self) -> Option<ExitStatus> {
        self.child.try_wait().unwrap()
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// What it logged so far.
    pub fn stderr(&self) -> String {
        std::fs::read_to_string(self.logs.path()).unwrap_or_default()
    }

    /// Sends SIGTERM and waits for it to exit.
    pub async fn terminate(&mut self) -> ExitStatus {
        let kill = Command::new("kill")
            .args(["-TERM", &self.pid().to_string()])
            .status()
            .unwrap();
        assert!(kill.success());
        let exited = tokio::time::timeout(PATIENCE, async {
            loop {
                if let Some(status) = self.child.try_wait().unwrap() {
                    return status;
                }
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            }
        })
        .await;
        exited.unwrap_or_else(|_| panic!("lectern did not exit after SIGTERM: {}", self.stderr()))
    }
}
