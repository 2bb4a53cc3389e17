//! Relevance of search on the bundled seed: a table of queries with the section each must
//! return first (or in the top three), and queries that must find nothing.
//!
//! Run with `cargo test --test relevance -- --nocapture` to see the table, hit@1 and hit@3,
//! and the coverage of each query's best hit (the measurement behind the miss threshold).

use std::path::Path;

use lectern::library::{Library, LoadOptions};
use lectern::search::{self, rank::MIN_COVERAGE};

/// What a query must return.
#[derive(Debug, Clone, Copy)]
enum Want {
    /// This section number first.
    First(u32),
    /// This section number among the first three.
    Top3(u32),
    /// No hit at all, an honest miss.
    Miss,
}

use Want::*;

/// (kind of query, query, expectation)
const CASES: &[(&str, &str, Want)] = &[
    // Exact Chinese words.
    ("zh", "杰文斯悖论", First(1)),
    ("zh", "护城河", First(8)),
    ("zh", "微应用", First(7)),
    ("zh", "生物安全", First(13)),
    ("zh", "湿实验室", First(12)),
    ("zh", "幼儿园", First(16)),
    ("zh", "辍学", First(18)),
    ("zh", "面试", First(20)),
    ("zh", "软技能", First(23)),
    ("zh", "通缩", First(4)),
    ("zh", "成本下降", First(6)),
    ("zh", "图像生成", First(21)),
    ("zh", "人类注意力", First(2)),
    ("zh", "无监督访问", Top3(15)),
    ("zh", "天使投资", First(18)),
    ("zh", "分组记忆", First(22)),
    // Latin names and words.
    ("latin", "Paul Graham", First(10)),
    ("latin", "Theo", First(11)),
    ("latin", "Voychuk", First(13)),
    ("latin", "clanker", First(21)),
    ("latin", "LinkedIn", First(20)),
    ("latin", "Berkeley", First(16)),
    ("latin", "curfew", First(13)),
    ("latin", "Photoshop", First(21)),
    // Latin typos.
    ("typo", "Grahm", First(10)),
    ("typo", "Voychek", First(13)),
    ("typo", "clankr", First(21)),
    ("typo", "Photshop", First(21)),
    ("typo", "Linkedln", First(20)),
    ("typo", "Berkley", First(16)),
    // Chinese one-character typos (wrong or missing character).
    ("zh-typo", "杰文斯悖轮", First(1)),
    ("zh-typo", "卡斯帕罗天", First(12)),
    ("zh-typo", "生物安荃", First(13)),
    ("zh-typo", "幼儿圆", First(16)),
    ("zh-typo", "湿实验事", First(12)),
    ("zh-typo", "卡斯罗夫", First(12)),
    // Traditional script.
    ("trad", "護城河", First(8)),
    ("trad", "韌性策略", First(13)),
    ("trad", "幼兒園", First(16)),
    ("trad", "面試", First(20)),
    ("trad", "微應用", First(7)),
    ("trad", "輟學創業", First(18)),
    // Mixed script.
    ("mixed", "token 预算", First(19)),
    ("mixed", "3D 推理", First(17)),
    ("mixed", "深蓝 卡斯帕罗夫", First(12)),
    ("mixed", "Codex 全权限", Top3(15)),
    ("mixed", "GTM 挑战", First(2)),
    ("mixed", "Agent 失败模式", First(15)),
    // Numbers and versions.
    ("number", "GPT-6", First(8)),
    ("number", "GPT 4.5", First(5)),
    ("number", "2027", First(6)),
    ("number", "W26", First(18)),
    ("number", "30 块屏幕", First(3)),
    // Multi-word.
    ("multi", "Agent Builder", First(3)),
    ("multi", "high agency", First(23)),
    ("multi", "Sign in with ChatGPT", First(19)),
    ("multi", "Y Combinator 辍学", First(18)),
    ("multi", "slop 注水内容", First(10)),
    // Must miss.
    ("miss", "量子计算", Miss),
    ("miss", "区块链", Miss),
    ("miss", "kubernetes", Miss),
    ("miss", "bitcoin price", Miss),
    ("miss", "天气预报", Miss),
    ("miss", "足球比赛", Miss),
    ("miss", "Elon Musk", Miss),
    ("miss", "披萨食谱", Miss),
];

fn seed() -> Library {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    Library::load(&dir, &LoadOptions::default()).library
}

#[test]
fn relevance_table() {
    let lib = seed();
    assert!(CASES.len() >= 40);
    let (mut n_hit, mut at1, mut at3) = (0, 0, 0);
    let mut failures = Vec::new();
    println!(
        "{:<8} {:<22} {:<10} {:>5} {:>9}",
        "kind", "query", "want", "rank", "coverage"
    );
    for &(kind, query, want) in CASES {
        let outcome = search::search(&lib, query, 10);
        let numbers: Vec<Option<u32>> = outcome
            .hits
            .iter()
            .map(|h| {
                h.section
                    .and_then(|s| lib.talks()[h.talk].sections.get(s))
                    .and_then(|s| s.number)
            })
            .collect();
        let coverage = search::rank::best_coverage(&lib, query);
        let rank = match want {
            First(n) | Top3(n) => numbers.iter().position(|&x| x == Some(n)).map(|p| p + 1),
            Miss => None,
        };
        println!(
            "{kind:<8} {query:<22} {:<10} {:>5} {coverage:>9.2}",
            format!("{want:?}"),
            rank.map_or("-".into(), |r| r.to_string()),
        );
        match want {
            First(_) | Top3(_) => {
                n_hit += 1;
                at1 += usize::from(rank == Some(1));
                at3 += usize::from(rank.is_some_and(|r| r <= 3));
                let ok = match want {
                    First(_) => rank == Some(1),
                    _ => rank.is_some_and(|r| r <= 3),
                };
                if rank.is_none_or(|r| r > 3) || !ok {
                    failures.push(format!("{query}: want {want:?}, got {numbers:?}"));
                }
            }
            Miss => {
                if !outcome.hits.is_empty() {
                    failures.push(format!("{query}: want a miss, got {numbers:?}"));
                }
                assert!(outcome.suggestions.len() <= 3);
            }
        }
    }
    let hit1 = at1 as f64 / n_hit as f64;
    let hit3 = at3 as f64 / n_hit as f64;
    println!(
        "relevance: {} queries ({n_hit} to find, {} to miss): hit@1 {:.1}% ({at1}/{n_hit}), hit@3 {:.1}% ({at3}/{n_hit}); miss threshold: coverage {MIN_COVERAGE}",
        CASES.len(),
        CASES.len() - n_hit,
        hit1 * 100.0,
        hit3 * 100.0,
    );
    for f in &failures {
        println!("FAIL {f}");
    }
    assert!(hit1 >= 0.9, "hit@1 {hit1:.3}");
    assert_eq!(at3, n_hit, "every expected section in the top 3");
    let dishonest: Vec<&String> = failures
        .iter()
        .filter(|f| f.contains("want a miss"))
        .collect();
    assert!(dishonest.is_empty(), "{dishonest:?}");
}

#[test]
fn misses_offer_at_most_three_suggestions_that_exist() {
    let lib = seed();
    let outcome = search::search(&lib, "生物安全威胁的量子计算区块链", 5);
    for r in &outcome.suggestions {
        assert!(lib.section(*r).is_some());
    }
    assert!(outcome.suggestions.len() <= 3);
}

#[test]
fn a_very_long_query_is_cut_not_choked_on() {
    let lib = seed();
    let long = format!("卡斯帕罗夫 {}", "无关的文字 ".repeat(2000));
    let outcome = search::search(&lib, &long, 5);
    assert!(outcome.hits.len() + outcome.suggestions.len() <= 8);
}

#[test]
fn hits_carry_a_short_snippet_with_the_match_in_bold() {
    let lib = seed();
    for query in ["卡斯帕罗夫", "GPT-6", "token 预算", "韌性"] {
        let outcome = search::search(&lib, query, 5);
        let hit = &outcome.hits[0];
        assert!(hit.snippet.contains("**"), "{query}: {}", hit.snippet);
        assert!(
            hit.snippet.chars().count() <= 170,
            "{query}: {}",
            hit.snippet
        );
        assert!(hit.score > 0.0);
    }
}

#[test]
fn autocomplete_ranks_number_then_prefix_then_substring_then_fuzzy() {
    let lib = seed();
    let label = |choices: &[search::Choice], i: usize| choices[i].label.clone();

    let all = search::autocomplete(&lib, "");
    // Section 0 is the intro (issue 11).
    assert_eq!(all.len(), 25);
    assert_eq!(label(&all, 0), "开场");
    assert_eq!(label(&all, 1), "1 · 软件工程的杰文斯悖论");
    assert_eq!(label(&all, 24), "尾声");

    let num = search::autocomplete(&lib, "13");
    assert_eq!(label(&num, 0), "13 · 生物安全与韧性策略");

    let prefix = search::autocomplete(&lib, "AI");
    assert_eq!(label(&prefix, 0), "2 · AI 时代的 GTM 挑战");
    let prefix_titles: Vec<String> = prefix.iter().take(4).map(|c| c.label.clone()).collect();
    assert!(
        prefix_titles.iter().all(|l| l.contains(" · AI")),
        "{prefix_titles:?}"
    );

    let sub = search::autocomplete(&lib, "韌性");
    assert_eq!(label(&sub, 0), "13 · 生物安全与韧性策略");

    let fuzzy = search::autocomplete(&lib, "生物安荃");
    assert_eq!(label(&fuzzy, 0), "13 · 生物安全与韧性策略");

    for c in search::autocomplete(&lib, "a") {
        assert!(c.label.chars().count() <= search::MAX_LABEL_CHARS);
    }
    assert!(search::autocomplete(&lib, "a").len() <= search::MAX_CHOICES);
}

#[test]
fn resolve_section_takes_numbers_titles_and_body_words() {
    let lib = seed();
    let number = |text: &str| {
        search::resolve_section(&lib, text)
            .and_then(|r| lib.section(r))
            .and_then(|(_, s)| s.number)
    };
    assert_eq!(number("§13"), Some(13));
    assert_eq!(number("招聘與面試"), Some(20));
    assert_eq!(number("卡斯帕罗夫"), Some(12));
}
