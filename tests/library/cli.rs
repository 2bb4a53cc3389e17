//! The `lectern` binary as a user runs it.

use std::process::Command;

use serde_json::Value;

use crate::root;

fn lectern(args: &[&str]) -> (i32, String, String) {
    lectern_with(args, &[])
}

/// `lectern ARGS` with the environment variables `env` set.
fn lectern_with(args: &[&str], env: &[(&str, &std::path::Path)]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_lectern"))
        .args(args)
        .envs(env.iter().copied())
        .current_dir(root())
        .env_remove("RUST_LOG")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn json(args: &[&str]) -> Value {
    let (code, out, err) = lectern(args);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

#[test]
fn ask_topics_lists_the_sections() {
    let (code, out, err) = lectern(&["ask", "topics"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("13 · 生物安全与韧性策略\n"));
    assert!(out.contains("尾声"));
    assert!(err.contains("library loaded"), "logs go to stderr: {err}");

    let v = json(&["ask", "topics", "--json"]);
    let talk = &v["talks"][0];
    assert_eq!(talk["id"], "2026-01-27-sam-altman-developer-townhall");
    let sections = talk["sections"].as_array().unwrap();
    // Section 0 is the intro (issue 11).
    assert_eq!(sections.len(), 25);
    assert_eq!(sections[0]["title"], "开场");
    assert_eq!(sections[13]["number"], 13);
    assert_eq!(sections[13]["title"], "生物安全与韧性策略");
}

#[test]
fn ask_topic_shows_text_and_infographic() {
    let (code, out, _) = lectern(&["ask", "topic", "13"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("# 13 · 生物安全与韧性策略\n"));
    assert!(out.contains("[image] https://s.baoyu.io/"));
    let v = json(&["ask", "topic", "生物安全与韧性策略", "--json"]);
    assert_eq!(v["section"]["number"], 13);
    assert!(
        v["section"]["text"]
            .as_str()
            .unwrap()
            .contains("我不认为这能持续太久")
    );
    assert!(
        v["section"]["infographic"]["url"]
            .as_str()
            .unwrap()
            .ends_with("13-infographic-biosafety-resilience.png")
    );
}

#[test]
fn ask_quote_gives_a_real_quote_with_its_section() {
    let pool = json(&["ask", "quotes", "--json"]);
    let pool = pool["quotes"].as_array().unwrap().clone();
    let v = json(&["ask", "quote", "--json"]);
    let q = &v["quote"];
    assert!(pool.contains(q), "{q} is from the pool");
    assert_eq!(q["talk"], "2026-01-27-sam-altman-developer-townhall");
    let v = json(&["ask", "--json", "quote", "13"]);
    assert_eq!(v["quote"]["section"]["number"], 13);
}

#[test]
fn ask_search_json_has_ranked_hits_or_none() {
    let v = json(&["ask", "search", "生物安全", "--json"]);
    let hits = v["hits"].as_array().unwrap();
    assert!(!hits.is_empty());
    assert_eq!(hits[0]["section"], 13);
    assert!(hits[0]["snippet"].as_str().unwrap().contains("**"));
    assert!(hits[0]["score"].as_f64().unwrap() > 0.0);
    let v = json(&["ask", "search", "zzqqxxyy", "--json"]);
    assert_eq!(v["hits"].as_array().unwrap().len(), 0);
}

#[test]
fn seeds_option_and_check_exit_codes() {
    let (code, out, _) = lectern(&["check", "seeds"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("seeds: 1 talks, 25 sections, "), "{out}");

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.md"), b"\xff\xfe").unwrap();
    let d = dir.path().to_str().unwrap();
    let (code, out, _) = lectern(&["check", d]);
    assert_eq!(code, 1);
    assert!(out.contains("bad.md: skipped: not UTF-8"), "{out}");

    let v = json(&["ask", "topics", "--json", "--seeds", d]);
    assert_eq!(v["talks"].as_array().unwrap().len(), 0);
}

#[test]
fn check_and_ask_answer_the_same_from_the_load_cache() {
    let cache = tempfile::tempdir().unwrap();
    let env = [("LECTERN__CACHE__DIR", cache.path())];
    let (code, want, _) = lectern(&["check", "seeds"]);
    assert_eq!(code, 0);
    let (code, out, err) = lectern_with(&["check", "seeds"], &env);
    assert_eq!((code, out.as_str()), (0, want.as_str()));
    assert!(err.contains("from_cache=false"), "{err}");
    let files: Vec<_> = std::fs::read_dir(cache.path()).unwrap().collect();
    assert_eq!(files.len(), 1, "one cache file for the seeds folder");

    // The next start reads it: nothing is parsed, and the answers are the same.
    let (code, out, err) = lectern_with(&["check", "seeds"], &env);
    assert_eq!((code, out.as_str()), (0, want.as_str()));
    assert!(err.contains("parsed=0 from_cache=true"), "{err}");
    let ask = ["ask", "search", "生物安全", "--json"];
    let (_, want_search, _) = lectern(&ask);
    let (code, out, err) = lectern_with(&ask, &env);
    assert_eq!((code, out.as_str()), (0, want_search.as_str()));
    assert!(err.contains("from_cache=true"), "{err}");

    // A damaged cache is ignored with a warning naming it, and written again.
    let file = files[0].as_ref().unwrap().path();
    let mut bytes = std::fs::read(&file).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 1;
    std::fs::write(&file, bytes).unwrap();
    let (code, out, err) = lectern_with(&["check", "seeds"], &env);
    assert_eq!((code, out.as_str()), (0, want.as_str()));
    assert!(err.contains("the load cache is ignored"), "{err}");
    assert!(err.contains(&file.display().to_string()), "{err}");
    let (_, _, err) = lectern_with(&["check", "seeds"], &env);
    assert!(err.contains("from_cache=true"), "{err}");
}
