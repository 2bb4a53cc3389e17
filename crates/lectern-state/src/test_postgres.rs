//! A throwaway Postgres cluster for tests (feature `test-postgres`, and this crate's own
//! tests): `initdb` into a temporary folder, `postgres` on 127.0.0.1 and a free port, a fresh
//! database per test ([`Cluster::database`]), everything removed when the test process ends.
//!
//! The binaries are looked up on `PATH`, then in `/usr/lib/postgresql/*/bin` (where Debian's
//! `postgresql` package puts them). Without them [`cluster`] returns `None` after saying so
//! loudly on stderr, unless `CI=true`, where it panics: CI must run the Postgres tests.
//! `initdb` refuses to run as root: as uid 0 the cluster runs as `nobody` (through `setpriv`).
//!
//! The server is started by a small shell watchdog that stops it and deletes its folder as
//! soon as the test process is gone, however it ended (a panic, a kill): a test binary leaves
//! no server behind.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

/// One running cluster, shared by the tests of one process.
#[derive(Debug)]
pub struct Cluster {
    port: u16,
    next: AtomicU32,
}

impl Cluster {
    /// The URL of the cluster's `postgres` database.
    pub fn admin_url(&self) -> String {
        format!("postgres://lectern@127.0.0.1:{}/postgres", self.port)
    }

    /// The port it listens on (127.0.0.1).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// A new, empty database of its own for one test, and its URL.
    pub async fn database(&self) -> String {
        use sqlx::Connection;
        let n = self.next.fetch_add(1, Ordering::SeqCst);
        let name = format!("t{}_{n}", std::process::id());
        // pg_isready may answer while the server still refuses ("starting up"): retry.
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut conn = loop {
            match sqlx::PgConnection::connect(&self.admin_url()).await {
                Ok(conn) => break conn,
                Err(e) if Instant::now() < deadline => {
                    let _ = e;
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                Err(e) => panic!("cannot connect to the test cluster: {e}"),
            }
        };
        sqlx::Executor::execute(&mut conn, format!("CREATE DATABASE {name}").as_str())
            .await
            .expect("create a test database");
        format!("postgres://lectern@127.0.0.1:{}/{name}", self.port)
    }
}

/// The cluster of this test process, started on first use; `None` (said loudly) when the
/// Postgres binaries are missing outside CI.
pub fn cluster() -> Option<&'static Cluster> {
    static CLUSTER: OnceLock<Option<Cluster>> = OnceLock::new();
    CLUSTER.get_or_init(start).as_ref()
}

/// The folder holding `initdb` and `postgres`, if any.
pub fn bin_dir() -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH").into_iter().flat_map(|p| {
        std::env::split_paths(&p)
            .filter(|d| d.join("initdb").is_file() && d.join("postgres").is_file())
            .collect::<Vec<_>>()
    });
    let debian = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path().join("bin"))
        .filter(|d| d.join("initdb").is_file());
    on_path.chain(debian).next()
}

fn start() -> Option<Cluster> {
    let Some(bin) = bin_dir() else {
        let ci = std::env::var("CI").is_ok_and(|v| v == "true");
        assert!(
            !ci,
            "CI=true but no Postgres binaries (initdb, postgres) on PATH or in /usr/lib/postgresql/*/bin"
        );
        eprintln!(
            "\n!!!!! SKIPPED: the Postgres half of these tests (no initdb/postgres on PATH or in \
             /usr/lib/postgresql/*/bin; install Debian's `postgresql` package) !!!!!\n"
        );
        return None;
    };
    let root = std::env::temp_dir().join(format!("lectern-pg-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).expect("create the cluster's folder");
    let as_root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    if as_root {
        // initdb refuses root: the cluster belongs to nobody.
        let ok = Command::new("chown")
            .args(["-R", "nobody", &root.display().to_string()])
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "cannot give {} to nobody", root.display());
    }
    let data = root.join("data");
    let run = |program: &Path, args: &[&str]| {
        let mut c = if as_root {
            let mut c = Command::new("setpriv");
            c.args(["--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"])
                .arg(program);
            c
        } else {
            Command::new(program)
        };
        c.args(args);
        c
    };
    let out = run(
        &bin.join("initdb"),
        &[
            "-D",
            &data.display().to_string(),
            "-U",
            "lectern",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-sync",
            "--no-instructions",
        ],
    )
    .current_dir(&root)
    .output()
    .expect("run initdb");
    assert!(
        out.status.success(),
        "initdb failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let port = free_port();
    // The watchdog: the server runs while this test process does, then goes with its folder.
    let script = format!(
        "{postgres} -D {data} -k {root} -h 127.0.0.1 -p {port} -c fsync=off \
         -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 \
         >{root}/log 2>&1 & pg=$!; \
         while [ -d /proc/{parent} ] && kill -0 $pg 2>/dev/null; do sleep 0.5; done; \
         kill -INT $pg 2>/dev/null; wait $pg; rm -rf {root}",
        postgres = bin.join("postgres").display(),
        data = data.display(),
        root = root.display(),
        parent = std::process::id(),
    );
    let mut shell = if as_root {
        let mut c = Command::new("setpriv");
        c.args([
            "--reuid=nobody",
            "--regid=nogroup",
            "--clear-groups",
            "--",
            "sh",
            "-c",
        ]);
        c
    } else {
        let mut c = Command::new("sh");
        c.arg("-c");
        c
    };
    let mut watchdog = shell
        .arg(script)
        .current_dir(&root)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start postgres");
    // It outlives every test of the process; a thread reaps it should it end first.
    std::thread::spawn(move || watchdog.wait());
    let ready = bin.join("pg_isready");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let up = if ready.is_file() {
            Command::new(&ready)
                .args(["-q", "-h", "127.0.0.1", "-p", &port.to_string()])
                .status()
                .is_ok_and(|s| s.success())
        } else {
            std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
        };
        if up {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "postgres did not start: {}",
            std::fs::read_to_string(root.join("log")).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    Some(Cluster {
        port,
        next: AtomicU32::new(0),
    })
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}
