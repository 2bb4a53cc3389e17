//! The crate's shape, checked: which top-level module of `src/` uses which, read from the
//! source. ARCHITECTURE.md states these invariants; this test keeps them true.
//!
//! Run with `cargo test --test library architecture -- --nocapture` to print the module graph.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::root;

/// The modules that know nothing of Discord (ARCHITECTURE.md, "Invariants").
const CORE: &[&str] = &[
    "changes", "i18n", "library", "model", "parse", "reply", "search", "text",
];

type Graph = BTreeMap<String, BTreeSet<String>>;

/// Every `.rs` file below `dir`, with its text minus comment lines.
fn sources(dir: &Path, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).unwrap();
            let code: String = text
                .lines()
                .filter(|l| !l.trim_start().starts_with("//"))
                .collect::<Vec<_>>()
                .join("\n");
            out.push((path.to_string_lossy().into_owned(), code));
        }
    }
}

/// The top-level module a file of `src/` belongs to (`src/search/rank.rs` → `search`).
fn module_of(src: &Path, file: &str) -> Option<String> {
    let rel = Path::new(file).strip_prefix(src).ok()?;
    let first = rel.components().next()?.as_os_str().to_string_lossy();
    let name = first.trim_end_matches(".rs").to_string();
    (name != "lib" && name != "main").then_some(name)
}

/// The names `crate::a`, `crate::{a, b::c}` refer to at the top level.
fn crate_refs(code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // Top-level names of a group: split at commas outside nested braces.
            let mut depth = 0;
            let mut name = String::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        out.insert(std::mem::take(&mut name));
                        continue;
                    }
                    _ => {}
                }
                if depth == 0 {
                    name.push(c);
                }
            }
            out.insert(name);
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            out.insert(name);
        }
    }
    out.into_iter()
        .map(|n| {
            n.trim()
                .split("::")
                .next()
                .unwrap_or_default()
                .trim()
                .to_string()
        })
        .filter(|n| !n.is_empty() && n != "self")
        .collect()
}

fn graph() -> (Graph, Vec<(String, String)>) {
    let src = root().join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let mut g = Graph::new();
    for (file, code) in &files {
        let Some(module) = module_of(&src, file) else {
            continue;
        };
        let uses = g.entry(module.clone()).or_default();
        for r in crate_refs(code) {
            if r != module {
                uses.insert(r);
            }
        }
    }
    (g, files)
}

/// A cycle through `start`, if there is one (depth-first search).
fn cycle_from(g: &Graph, start: &str) -> Option<Vec<String>> {
    fn walk(
        g: &Graph,
        at: &str,
        start: &str,
        path: &mut Vec<String>,
        seen: &mut BTreeSet<String>,
    ) -> bool {
        for next in g.get(at).into_iter().flatten() {
            if next == start {
                return true;
            }
            if seen.insert(next.clone()) {
                path.push(next.clone());
                if walk(g, next, start, path, seen) {
                    return true;
                }
                path.pop();
            }
        }
        false
    }
    let mut path = vec![start.to_string()];
    walk(g, start, start, &mut path, &mut BTreeSet::new()).then_some(path)
}

#[test]
fn the_top_level_modules_form_no_cycle() {
    let (g, _) = graph();
    for (module, uses) in &g {
        println!(
            "{module:>10} → {}",
            uses.iter().cloned().collect::<Vec<_>>().join(", ")
        );
    }
    assert!(
        g.contains_key("library") && g["library"].contains("search"),
        "the graph is read: {g:?}"
    );
    for module in g.keys() {
        if let Some(cycle) = cycle_from(&g, module) {
            panic!("import cycle: {} → {module}", cycle.join(" → "));
        }
    }
}

#[test]
fn the_core_knows_nothing_of_discord_and_the_bot_nothing_of_the_cli() {
    let src = root().join("src");
    let (g, files) = graph();
    for (file, code) in &files {
        let Some(module) = module_of(&src, file) else {
            continue;
        };
        if CORE.contains(&module.as_str()) {
            for word in ["serenity", "poise"] {
                assert!(!code.contains(word), "{file} (core) mentions {word}");
            }
        }
    }
    assert!(
        !g["discord"].contains("cli"),
        "discord imports the CLI: {:?}",
        g["discord"]
    );
}
