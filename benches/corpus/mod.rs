//! A corpus generator for the benchmarks: N talks made from the bundled seed.
//!
//! Each talk is the seed with realistic variation: another speaker and title, its sections
//! shuffled, a few dropped and renumbered, and its numbers changed. The text stays Chinese with
//! Latin names, like the content lectern serves, so that the index sees the same mix of
//! bigrams and words; the fixed seed makes every run build the same corpus.

use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

const SPEAKERS: &[&str] = &[
    "Sam Altman",
    "Lisa Su",
    "Jensen Huang",
    "Demis Hassabis",
    "Fei-Fei Li",
    "Andrej Karpathy",
    "Yann LeCun",
    "Mira Murati",
    "Satya Nadella",
    "Kai-Fu Lee",
];

const TOPICS: &[&str] = &[
    "与开发者的一小时",
    "谈模型与产品",
    "的年度问答",
    "在斯坦福的对谈",
    "与创业者的圆桌",
    "谈 AI 的下一步",
];

/// The seed, split into its parts.
struct Seed {
    /// Everything before the first numbered section (title, summary, introduction).
    head: String,
    /// Each numbered section: its title and its text (without the heading).
    sections: Vec<(String, String)>,
    /// The closing part, from the rule before `尾声` to the end.
    tail: String,
}

fn split(seed: &str) -> Seed {
    let lines: Vec<&str> = seed.lines().collect();
    let is_heading = |i: usize| {
        let l = lines[i];
        let numbered = l
            .split_once(". ")
            .is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
        numbered
            && lines
                .get(i + 1)
                .is_some_and(|u| !u.is_empty() && u.chars().all(|c| c == '-'))
    };
    let starts: Vec<usize> = (0..lines.len()).filter(|&i| is_heading(i)).collect();
    let tail_at = lines
        .iter()
        .position(|l| l.trim() == "* * *")
        .unwrap_or(lines.len());
    let head = lines[..starts[0]].join("\n");
    let mut sections = Vec::new();
    for (k, &s) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(tail_at);
        let title = lines[s].split_once(". ").map_or("", |(_, t)| t).to_string();
        sections.push((title, lines[s + 2..end].join("\n")));
    }
    Seed {
        head,
        sections,
        tail: lines[tail_at..].join("\n"),
    }
}

/// Changes some of the numbers of `text` (one run of digits in three), keeping their length.
fn vary_numbers(text: &str, rng: &mut StdRng) -> String {
    let mut out = String::with_capacity(text.len());
    let mut digits = String::new();
    let flush = |digits: &mut String, out: &mut String, rng: &mut StdRng| {
        if !digits.is_empty() {
            if rng.random_ratio(1, 3) {
                let n = digits.len() as u32;
                let lo = if n == 1 { 0 } else { 10u64.pow(n - 1) };
                let v = rng.random_range(lo..10u64.pow(n));
                out.push_str(&v.to_string());
            } else {
                out.push_str(digits);
            }
            digits.clear();
        }
    };
    for c in text.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
        } else {
            flush(&mut digits, &mut out, rng);
            out.push(c);
        }
    }
    flush(&mut digits, &mut out, rng);
    out
}

/// `n` talks as (file name, Markdown), generated from `seed` with a fixed random seed.
pub fn generate(seed: &str, n: usize) -> Vec<(String, String)> {
    let parts = split(seed);
    let mut rng = StdRng::seed_from_u64(0x1ec7e3);
    (0..n)
        .map(|i| {
            if i == 0 {
                return (
                    "0000-2026-01-27-sam-altman-developer-townhall.md".to_string(),
                    seed.to_string(),
                );
            }
            let speaker = SPEAKERS[rng.random_range(0..SPEAKERS.len())];
            let topic = TOPICS[rng.random_range(0..TOPICS.len())];
            let surname = speaker.rsplit(' ').next().unwrap_or(speaker);
            let mut head = parts.head.replace("Sam Altman", speaker);
            head = head.replace("Altman", surname);
            // A new first line: the title.
            let rest = head.split_once('\n').map_or("", |(_, r)| r);
            let head = format!("# {speaker} {topic}（第 {i} 期）\n{rest}");
            let mut order: Vec<usize> = (0..parts.sections.len()).collect();
            order.shuffle(&mut rng);
            let keep = parts.sections.len() - rng.random_range(0..=3);
            let mut md = vary_numbers(&head, &mut rng);
            md.push_str("\n\n");
            for (k, &s) in order.iter().take(keep).enumerate() {
                let (title, text) = &parts.sections[s];
                let heading = format!("{}. {title}", k + 1);
                let rule = "-".repeat(heading.chars().count().max(3));
                let text = vary_numbers(&text.replace("Altman", surname), &mut rng);
                md.push_str(&format!("{heading}\n{rule}\n{text}\n"));
            }
            md.push_str(&parts.tail.replace("Altman", surname));
            md.push('\n');
            (format!("{i:04}-talk.md"), md)
        })
        .collect()
}
