//! The workspace's shape, checked: which file uses which, read from the source, across the
//! three crates. ARCHITECTURE.md states these invariants and draws the arrows; this test keeps
//! both true.
//!
//! A file is a module (`core::search::index` is `crates/lectern-core/src/search/index.rs`); it
//! uses another when its code names a path into it (`crate::…`, `super::…`, `lectern_core::…`,
//! `lectern_discord::…`, resolved to the longest module that exists). Test modules
//! (`#[cfg(test)]` to the end of a file) and comments are left out. A parent's use of a child
//! it declares by a bare path (`quotes::find` after `mod quotes;`) is not read.
//!
//! Run with `cargo test --test library architecture -- --nocapture` to print both graphs.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::root;

/// The crates: the name their modules are shown with, their folder, the name others use.
const CRATES: &[(&str, &str, &str)] = &[
    ("core", "crates/lectern-core", "lectern_core"),
    ("discord", "crates/lectern-discord", "lectern_discord"),
    ("state", "crates/lectern-state", "lectern_state"),
    ("lectern", ".", "lectern"),
];

/// The dependencies each library crate must compile without (ARCHITECTURE.md, "Invariants").
const FORBIDDEN: &[(&str, &[&str])] = &[
    (
        "core",
        &["serenity", "poise", "tokio", "axum", "clap", "reqwest"],
    ),
    (
        "discord",
        &["clap", "axum", "notify", "tracing-subscriber", "config"],
    ),
    (
        "state",
        &[
            "serenity",
            "poise",
            "axum",
            "clap",
            "notify",
            "tracing-subscriber",
            "config",
            "reqwest",
        ],
    ),
];

type Graph = BTreeMap<String, BTreeSet<String>>;

struct File {
    /// `core::search::index`; a crate's root is its bare name.
    module: String,
    code: String,
}

/// The module a file is, from its path below `src/` (`search/mod.rs` → `search`).
fn module_path(rel: &Path) -> Vec<String> {
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().unwrap_or_default();
    let stem = last.trim_end_matches(".rs");
    if !["mod", "lib", "main"].contains(&stem) {
        parts.push(stem.to_string());
    }
    parts
}

/// Every `.rs` file below `dir`.
fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            walk(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a file without its comment lines and its test module.
fn code_of(text: &str) -> String {
    let end = text.find("#[cfg(test)]").unwrap_or(text.len());
    text[..end]
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn files() -> Vec<File> {
    let mut out = Vec::new();
    for &(name, dir, _) in CRATES {
        let src = root().join(dir).join("src");
        let mut paths = Vec::new();
        walk(&src, &mut paths);
        for path in paths {
            let rel = path.strip_prefix(&src).unwrap();
            // The binary's `main.rs` is the crate root of another target: leave it out.
            if name == "lectern" && rel == Path::new("main.rs") {
                continue;
            }
            let mut module = vec![name.to_string()];
            module.extend(module_path(rel));
            out.push(File {
                module: module.join("::"),
                code: code_of(&std::fs::read_to_string(&path).unwrap()),
            });
        }
    }
    out
}

/// The paths a use or an expression names after `prefix::` at `at` (`a::{b, c::d}` gives
/// `a::b` and `a::c::d`).
fn paths_after(code: &str, mut at: usize, base: &[String], out: &mut Vec<Vec<String>>) -> usize {
    let bytes = code.as_bytes();
    let ident = |at: usize| -> usize {
        let mut end = at;
        while end < bytes.len() && (bytes[end].is_ascii_alphanumeric() || bytes[end] == b'_') {
            end += 1;
        }
        end
    };
    let mut path = base.to_vec();
    loop {
        while at < bytes.len() && bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        if at < bytes.len() && bytes[at] == b'{' {
            at += 1;
            loop {
                at = paths_after(code, at, &path, out);
                while at < bytes.len() && bytes[at].is_ascii_whitespace() {
                    at += 1;
                }
                match bytes.get(at) {
                    Some(b',') => at += 1,
                    Some(b'}') => return at + 1,
                    _ => return at,
                }
                while at < bytes.len() && bytes[at].is_ascii_whitespace() {
                    at += 1;
                }
                if bytes.get(at) == Some(&b'}') {
                    return at + 1;
                }
            }
        }
        let end = ident(at);
        if end == at {
            break;
        }
        path.push(code[at..end].to_string());
        at = end;
        if code[at..].starts_with("::") {
            at += 2;
        } else {
            break;
        }
    }
    out.push(path);
    at
}

/// What each crate root re-exports from its own modules: `discord::Plugin` → `discord::plugin`
/// (from `pub use plugin::{…, Plugin, …};` in its `lib.rs`).
fn root_exports(files: &[File]) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for file in files.iter().filter(|f| !f.module.contains("::")) {
        let code = &file.code;
        let mut from = 0;
        while let Some(found) = code[from..].find("pub use ") {
            from += found + "pub use ".len();
            let mut paths = Vec::new();
            paths_after(code, from, std::slice::from_ref(&file.module), &mut paths);
            for path in paths.into_iter().filter(|p| p.len() == 3) {
                out.insert(
                    format!("{}::{}", path[0], path[2]),
                    format!("{}::{}", path[0], path[1]),
                );
            }
        }
    }
    out
}

/// The modules `file` uses, resolved against the modules that exist.
fn uses_of(
    file: &File,
    modules: &BTreeSet<String>,
    exports: &BTreeMap<String, String>,
) -> BTreeSet<String> {
    let own: Vec<String> = file.module.split("::").map(String::from).collect();
    let krate = own[0].clone();
    // Where `super` points: the parent of this module (of a `mod.rs`, its parent too).
    let parent: Vec<String> = own[..own.len().saturating_sub(1).max(1)].to_vec();
    let mut starts: Vec<(&str, Vec<String>)> = vec![
        ("crate::", vec![krate.clone()]),
        ("super::", parent),
        ("self::", own.clone()),
    ];
    for &(name, _, extern_name) in CRATES {
        starts.push((extern_name, vec![name.to_string()]));
    }
    let code = &file.code;
    let mut paths = Vec::new();
    for (prefix, base) in &starts {
        let needle = if prefix.ends_with("::") {
            prefix.to_string()
        } else {
            format!("{prefix}::")
        };
        let mut from = 0;
        while let Some(found) = code[from..].find(&needle) {
            let at = from + found;
            let before = code[..at].chars().next_back();
            from = at + needle.len();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            paths_after(code, from, base, &mut paths);
        }
    }
    let mut out = BTreeSet::new();
    for path in paths {
        let mut path = path;
        // The binary's library re-exports the core's modules and the plugin as `discord`.
        if path[0] == "lectern" && path.len() > 1 {
            let core = format!("core::{}", path[1]);
            if modules.contains(&core) {
                path[0] = "core".into();
            } else if path[1] == "discord" || path[1] == "reload" {
                path[0] = "discord".into();
                if path[1] == "discord" {
                    path.remove(1);
                }
            }
        }
        if path.len() >= 2
            && let Some(module) = exports.get(&format!("{}::{}", path[0], path[1]))
        {
            path = module.split("::").map(String::from).collect();
        }
        while !path.is_empty() && !modules.contains(&path.join("::")) {
            path.pop();
        }
        let target = path.join("::");
        if !target.is_empty() && target != file.module {
            out.insert(target);
        }
    }
    out
}

/// The file graph: each file's module and the modules it uses.
fn file_graph() -> Graph {
    let files = files();
    let modules: BTreeSet<String> = files.iter().map(|f| f.module.clone()).collect();
    let exports = root_exports(&files);
    files
        .iter()
        .map(|f| (f.module.clone(), uses_of(f, &modules, &exports)))
        .collect()
}

/// A module's top level within its crate (`core::search::index` → `core::search`).
fn top(module: &str) -> String {
    module.split("::").take(2).collect::<Vec<_>>().join("::")
}

/// The graph of top-level modules (within a crate, and across crates).
fn top_graph(files: &Graph) -> Graph {
    let mut g = Graph::new();
    for (from, uses) in files {
        let from = top(from);
        let entry = g.entry(from.clone()).or_default();
        for to in uses {
            let to = top(to);
            // A crate's root counts only from another crate (its re-exports: `discord::run_bot`).
            let other_crate = to.split("::").next() != from.split("::").next();
            if to != from && (to.contains("::") || other_crate) {
                entry.insert(to);
            }
        }
    }
    g
}

/// Every cycle's members: the strongly connected components with more than one node (Tarjan).
fn cycles(g: &Graph) -> Vec<Vec<String>> {
    struct State<'a> {
        g: &'a Graph,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on: BTreeSet<&'a str>,
        out: Vec<Vec<String>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a str) {
        let n = s.index.len();
        s.index.insert(v, n);
        s.low.insert(v, n);
        s.stack.push(v);
        s.on.insert(v);
        let g = s.g;
        for w in g.get(v).into_iter().flatten() {
            let w = w.as_str();
            if !s.index.contains_key(w) {
                visit(s, w);
                let lw = s.low[w];
                let lv = s.low.get_mut(v).unwrap();
                *lv = (*lv).min(lw);
            } else if s.on.contains(w) {
                let iw = s.index[w];
                let lv = s.low.get_mut(v).unwrap();
                *lv = (*lv).min(iw);
            }
        }
        if s.low[v] == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on.remove(w);
                component.push(w.to_string());
                if w == v {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                s.out.push(component);
            }
        }
    }
    let mut s = State {
        g,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on: BTreeSet::new(),
        out: Vec::new(),
    };
    for v in g.keys() {
        if !s.index.contains_key(v.as_str()) {
            visit(&mut s, v);
        }
    }
    s.out
}

fn print(g: &Graph) {
    for (module, uses) in g {
        println!(
            "{module:>28} → {}",
            uses.iter().cloned().collect::<Vec<_>>().join(", ")
        );
    }
}

/// The arrows ARCHITECTURE.md draws: the lines `from → to, to` of its fenced block that
/// follows the heading "Module graph".
fn drawn() -> Graph {
    let doc = std::fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap();
    let at = doc
        .find("## Module graph")
        .expect("ARCHITECTURE.md has a Module graph");
    let block = doc[at..].split("```").nth(1).expect("a fenced block");
    let mut g = Graph::new();
    for line in block.lines() {
        let Some((from, to)) = line.split_once('→') else {
            continue;
        };
        let entry = g.entry(from.trim().to_string()).or_default();
        for t in to.split(',').map(str::trim).filter(|t| !t.is_empty()) {
            entry.insert(t.to_string());
        }
    }
    g
}

#[test]
fn the_graph_is_read_from_the_source() {
    let g = file_graph();
    print(&g);
    // Known arrows, one of each kind of path: `crate::`, `super::`, another crate's name.
    assert!(g["core::library"].contains("core::search"), "{g:?}");
    assert!(g["discord::host"].contains("discord::commands"), "{g:?}");
    assert!(g["discord::host"].contains("core::library"), "{g:?}");
    assert!(g["core::search::rank"].contains("core::text"), "{g:?}");
    assert!(g["lectern::serve"].contains("discord::gateway"), "{g:?}");
}

#[test]
fn no_two_files_import_each_other_even_through_others() {
    let g = file_graph();
    let found = cycles(&g);
    assert!(found.is_empty(), "import circles between files: {found:?}");
}

#[test]
fn the_top_level_modules_form_no_cycle_and_every_arrow_is_drawn() {
    let g = top_graph(&file_graph());
    print(&g);
    let found = cycles(&g);
    assert!(found.is_empty(), "import cycles: {found:?}");
    let drawn = drawn();
    for (from, uses) in &g {
        for to in uses {
            assert!(
                drawn.get(from).is_some_and(|d| d.contains(to)),
                "{from} → {to} is not drawn in ARCHITECTURE.md's module graph"
            );
        }
    }
    for (from, uses) in &drawn {
        for to in uses {
            assert!(
                g.get(from).is_some_and(|d| d.contains(to)),
                "ARCHITECTURE.md draws {from} → {to}, which the code no longer has"
            );
        }
    }
}

#[test]
fn the_core_knows_nothing_of_discord_and_the_plugin_nothing_of_the_cli() {
    for file in files() {
        if file.module.starts_with("core") {
            for word in ["serenity::", "poise::", "tokio::"] {
                assert!(
                    !file.code.contains(word),
                    "{} (core) uses {word}",
                    file.module
                );
            }
        }
    }
    let g = top_graph(&file_graph());
    for (from, uses) in &g {
        if from.starts_with("discord") {
            assert!(
                uses.iter().all(|u| !u.starts_with("lectern")),
                "{from} imports the binary: {uses:?}"
            );
        }
        if from.starts_with("core") {
            assert!(
                uses.iter().all(|u| u.starts_with("core")),
                "{from} imports another crate: {uses:?}"
            );
        }
    }
    // And the manifests, which the compiler holds to.
    for &(name, forbidden) in FORBIDDEN {
        let dir = CRATES.iter().find(|c| c.0 == name).unwrap().1;
        let manifest = std::fs::read_to_string(root().join(dir).join("Cargo.toml")).unwrap();
        let deps = manifest
            .split("\n[")
            .filter(|t| t.contains("dependencies]") && !t.contains("dev-dependencies]"))
            .collect::<Vec<_>>()
            .join("\n");
        for dep in forbidden {
            let named = deps.lines().any(|l| {
                l.split(['=', '.', ' '])
                    .next()
                    .is_some_and(|k| k.trim() == *dep)
            });
            assert!(!named, "{name}'s Cargo.toml depends on {dep}");
        }
    }
}
