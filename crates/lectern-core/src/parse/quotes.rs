//! Finding who said what in a paragraph of plain text.
//!
//! Write-ups mix straight and curly quotation marks freely, and often the wrong way round
//! (`"他说。“Altman 说，”接着说。"`). So `"`, `“` and `”` are all treated as the same mark, and
//! each one switches between "outside" and "inside" a quotation. A paragraph with an odd
//! number of such marks is unbalanced: no segment of it can be trusted, so it yields nothing.
//! Corner brackets `「…」` nest properly and are matched as pairs.
//!
//! **A quote is an utterance that can stand alone.** A quotation is one when it opens the
//! paragraph or a sentence, or follows a colon or a comma (`他建议：“…”`, `One attendee said,
//! "…"`). A quotation glued to the writer's words (`叫做“…”`, `所谓“…”`, `他说这“…”，因为`,
//! `so-called "…"`, `whether "a" or "b"`) is a term, a scare quote, reported speech or the
//! option of a question: the writer's sentence, not an utterance. A quotation that follows
//! another with nothing between (`“难读”“不自然”`) shares its verdict. A paragraph that is
//! nothing but a question in quotation marks is a section's prompt, not an utterance.
//!
//! **Who said it.** In order: an attribution right after the quotation (`”Altman 说，`,
//! `" Okafor replied.`), one right before it in the same sentence (`一位 OpenAI 员工回答：`,
//! `The moderator asked,`), the one the paragraph opens with (`对方回答：…。“…”`), the last
//! person given words in the section, the talk's main speaker. `他`/`she` is the last person
//! given words; `对方` is the person the section introduced (`一位…创始人提了个…`); `主持人`
//! and `moderator` are the talk's host when the metadata names one. A transcript line
//! (`**林静**：…`, `Q: …`) is wholly its speaker's.
//!
//! Bold spans inside a quote are its emphasis, never quotes of their own, so no quote is
//! contained in another.

use std::collections::HashSet;
use std::sync::LazyLock;

use aho_corasick::AhoCorasick;

use super::render::PlainText;
use super::roster::{AUDIENCE, HOSTS, Roster, is_role_word, label_of};
use crate::model::QuoteKind;

/// Shortest quote kept, in characters. Context, not length, tells a term from an utterance;
/// this only keeps out marks around a letter or two.
pub const MIN_CHARS: usize = 3;
/// Longest quote kept, in characters.
pub const MAX_CHARS: usize = 400;

/// A quote found in a paragraph, before it is tied to a section.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Found {
    pub text: String,
    pub kind: QuoteKind,
    pub speaker: Option<String>,
    pub emphasis: Vec<String>,
}

/// The people of a talk (its [`Roster`]), and who spoke last in the current section.
#[derive(Debug, Clone, Default)]
pub(super) struct Voices {
    roster: Roster,
    /// The last person explicitly given words in this section.
    last: Option<String>,
    /// The person this section introduces (`一位…问`), whom `对方` refers back to.
    asker: Option<String>,
    /// The speaker of the open turn: a labelled turn runs over the paragraphs after it until
    /// the next label or heading.
    turn: Option<String>,
    /// The whole body is the main speaker's turn (a transcript of a talk in the first person).
    monologue: bool,
    /// In a section that introduces the people (`本期人物`, `Bio`): no one speaks there.
    pub quiet: bool,
    /// The monologue's last paragraph so far is the speaker's farewell (`Thank you, and see
    /// you next month!`): when the section ends there, the talk has ended, and the sections
    /// after it (an agenda, an `About`) are the writer's.
    signed_off: bool,
    /// The speaker the section's heading names, in a report of several talks.
    section_main: Option<String>,
}

impl Voices {
    pub(super) fn new(roster: Roster, monologue: bool) -> Voices {
        Voices {
            roster,
            last: None,
            asker: None,
            turn: None,
            monologue,
            quiet: false,
            signed_off: false,
            section_main: None,
        }
    }

    /// A new section: who spoke last is forgotten, and the open turn ends.
    pub(super) fn new_section(&mut self) {
        if self.signed_off {
            self.monologue = false;
        }
        self.last = None;
        self.asker = None;
        self.turn = None;
        self.section_main = None;
    }

    /// A heading that is a label (`#### Stefano:`) opens that person's turn.
    pub(super) fn heading_turn(&mut self, title: &str) {
        let Some(name) = title.trim().strip_suffix([':', '：']) else {
            return;
        };
        if let Some(i) = self.roster.find(name.trim()) {
            let who = self.roster.name(i).to_string();
            self.last = Some(who.clone());
            self.turn = Some(who);
        }
    }

    /// The speaker the section's heading names, when the roster has them.
    pub(super) fn section_speaker(&mut self, named: Option<&str>) {
        self.section_main = named
            .and_then(|n| self.roster.find(n))
            .map(|i| self.roster.name(i).to_string());
    }

    /// The giver of the talk a report introduces here (see [`super::lineup`]): the words that
    /// follow are theirs until the next talk or section, unless the text says otherwise.
    pub(super) fn talk_giver(&mut self, name: &str) {
        if let Some(i) = self.roster.find(name) {
            self.section_main = Some(self.roster.name(i).to_string());
            self.last = None;
            self.turn = None;
        }
    }

    /// A heading inside a section ends the open turn.
    pub(super) fn end_turn(&mut self) {
        self.turn = None;
    }

    fn main(&self) -> Option<String> {
        self.roster.main().map(str::to_string)
    }

    fn sole_speaker(&self) -> Option<String> {
        let mut speakers = self
            .roster
            .people()
            .iter()
            .filter(|p| p.role == super::roster::Role::Speaker);
        match (speakers.next(), speakers.next()) {
            (Some(p), None) => Some(p.name.clone()),
            _ => None,
        }
    }

    fn host(&self) -> Option<String> {
        self.roster.host().map(str::to_string)
    }

    fn current(&self) -> Option<String> {
        self.last
            .clone()
            .or_else(|| self.section_main.clone())
            .or_else(|| self.main())
    }

    /// The person a subject (`Altman`, `一位 OpenAI 员工`, `他`, `对方`, `the moderator`)
    /// names: a pronoun or back reference, a role word, a person of the roster, a person the
    /// text introduces with an article; `None` for anything else, which is no speaker.
    fn resolve(&mut self, subject: &str) -> Option<Subject> {
        let (s, introduced) = strip_subject(subject);
        if s.is_empty() || char_len(s) > 24 || s.contains(is_sentence_punct) {
            return None;
        }
        let lower = s.to_lowercase();
        if PRONOUNS.contains(&lower.as_str()) {
            return Some(Subject::Pronoun(self.current()));
        }
        if BACK_REFERENCES.contains(&lower.as_str()) {
            return Some(Subject::Pronoun(
                self.asker.clone().or_else(|| self.current()),
            ));
        }
        if HOSTS.contains(&lower.as_str()) {
            return Some(Subject::Named(self.host().unwrap_or_else(|| s.to_string())));
        }
        if AUDIENCE.contains(&lower.as_str()) {
            return Some(Subject::Named(audience(s)));
        }
        // Someone the text describes by role (`字节跳动 CloudWeGo 技术专家`, `a staff engineer`).
        if PERSON_NOUNS.iter().any(|n| lower.ends_with(n)) && char_len(s) >= 3 {
            return Some(Subject::Named(s.to_string()));
        }
        if let Some(i) = self.roster.find(s) {
            return Some(Subject::Named(self.roster.name(i).to_string()));
        }
        if self.asker.as_deref().is_some_and(|a| a == s) || introduced {
            return Some(Subject::Named(s.to_string()));
        }
        None
    }

    /// Resolves a subject and remembers a named one as the last speaker.
    fn attribute(&mut self, subject: &str) -> Option<Option<String>> {
        match self.resolve(subject)? {
            Subject::Pronoun(who) => Some(who),
            Subject::Named(who) => {
                self.last = Some(who.clone());
                Some(Some(who))
            }
        }
    }
}

enum Subject {
    Pronoun(Option<String>),
    Named(String),
}

/// References to the last speaker, or the section's: `作者` in a report of talks is the talk's
/// speaker.
const PRONOUNS: &[&str] = &["他", "她", "他们", "她们", "he", "she", "they", "作者"];
const BACK_REFERENCES: &[&str] = &["对方", "对方也", "the other"];
/// Nouns for a person described by role, which make a subject someone.
const PERSON_NOUNS: &[&str] = &[
    "专家",
    "工程师",
    "负责人",
    "创始人",
    "经理",
    "架构师",
    "总监",
    "教授",
    "员工",
    "研究员",
    "开发者",
    "engineer",
    "founder",
    "manager",
    "architect",
    "director",
    "professor",
    "developer",
    "researcher",
];

/// The audience as a quote names it: the role word, without `提问` (`学生提问` → `学生`).
fn audience(label: &str) -> String {
    let t = label.trim();
    t.strip_suffix("提问")
        .filter(|s| !s.is_empty())
        .unwrap_or(t)
        .to_string()
}

/// Verbs that give words to their subject.
const SPEECH_VERBS: &[&str] = &[
    "回应道",
    "回应",
    "谈道",
    "告诉",
    "说道",
    "说过",
    "坦言",
    "承认",
    "确认",
    "补充",
    "表示",
    "指出",
    "回答",
    "答道",
    "强调",
    "警告",
    "透露",
    "提到",
    "解释",
    "建议",
    "问道",
    "说",
    "问",
    " said",
    " says",
    " replied",
    " added",
    " asked",
    " answered",
    " explained",
    " noted",
    " told",
];

/// Words around a subject that are not the subject: conjunctions and adverbs before it,
/// adverbs after it, articles.
const SUBJECT_PREFIXES: &[&str] = &[
    "但是", "但", "而", "然后", "不过", "最后", "接着", "于是", "随后", "一位", "一名", "一个",
    "有位", "and ", "but ", "then ", "finally ", "one ", "a ", "an ", "the ",
];
const SUBJECT_SUFFIXES: &[&str] = &[
    "直接", "笑着", "也", "还", "又", "再次", "则", "就", "当时", " then", " also", " later",
];

/// Indefinite articles: a subject that opens with one introduces a person (`一位 OpenAI
/// 员工`, `One attendee`).
const ARTICLES: &[&str] = &["一位", "一名", "有位", "one ", "a ", "an "];

/// The subject without the words around it, and whether an indefinite article introduced it.
fn strip_subject(subject: &str) -> (&str, bool) {
    let mut s = subject.trim_matches(|c: char| c.is_whitespace() || c == '*');
    // After the last comma: `关于协作，他` is `他`.
    if let Some(i) = s.rfind(['，', ',']) {
        s = s[i..].trim_start_matches(['，', ',']).trim();
    }
    let mut introduced = false;
    loop {
        let before = s;
        for p in SUBJECT_PREFIXES {
            if s.len() > p.len()
                && s.is_char_boundary(p.len())
                && s[..p.len()].eq_ignore_ascii_case(p)
            {
                introduced |= ARTICLES.contains(p);
                s = s[p.len()..].trim_start();
            }
        }
        for x in SUBJECT_SUFFIXES {
            if s.len() > x.len()
                && s.is_char_boundary(s.len() - x.len())
                && s[s.len() - x.len()..].eq_ignore_ascii_case(x)
            {
                s = s[..s.len() - x.len()].trim_end();
            }
        }
        if s == before {
            return (s, introduced && char_len(s) <= 16);
        }
    }
}

/// The earliest speech verb in `clause` and the subject before it.
fn subject_of(clause: &str) -> Option<&str> {
    let lower = clause.to_lowercase();
    // Lower-casing keeps byte offsets for the ASCII verbs; CJK verbs are not affected.
    let at = earliest_verb(&lower)?;
    let subject = clause.get(..at)?.trim();
    (!subject.is_empty()).then_some(subject)
}

/// Whether a verb is the head of a noun instead (`问题`, `说法`, `说明`, `提到的`), or part of
/// a longer English word.
fn starts_noun(after: &str) -> bool {
    let next = after.chars().next();
    matches!(next, Some('题' | '法' | '明' | '服' | '候' | '的'))
        || next.is_some_and(|c| c.is_ascii_alphabetic())
}

fn char_len(s: &str) -> usize {
    s.chars().count()
}

fn is_ambiguous_mark(c: char) -> bool {
    matches!(c, '"' | '“' | '”')
}

fn is_sentence_end(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '!' | '?' | '…')
}

fn is_sentence_punct(c: char) -> bool {
    is_sentence_end(c) || matches!(c, '：' | ':' | '；' | ';' | '“' | '”' | '"')
}

/// Punctuation after which a quotation starts an utterance of its own.
fn is_lead_in(c: char) -> bool {
    is_sentence_end(c) || matches!(c, '：' | ':' | '，' | ',' | '；' | ';' | '.' | '(' | '（')
}

/// Quotes in an ordinary paragraph.
pub(super) fn extract(p: &PlainText, voices: &mut Voices) -> Vec<Found> {
    if voices.quiet {
        return Vec::new();
    }
    if let Some(found) = transcript_line(p, voices) {
        return found;
    }
    if let Some(found) = bold_question(p, voices) {
        return found;
    }
    let mut turn = continued_turn(p, voices);
    if voices.turn.is_some() {
        return turn.unwrap_or_default();
    }
    let mut found = quotations(p, voices, turn.is_some());
    match turn.take() {
        Some(own) => found.extend(own),
        None => found.extend(reported_speech(p, voices)),
    }
    found
}

/// Words the writer reports without quotation marks: `他说，…`, `作者最后说，…`, `Lily Mara
/// 认为：…` give the rest of the sentence to the subject, when the subject is someone (a
/// pronoun, a person of the roster, `作者` for the section's speaker).
fn reported_speech(p: &PlainText, voices: &mut Voices) -> Vec<Found> {
    let mut out = Vec::new();
    for (start, end) in sentences(&p.text, 0) {
        let sentence = &p.text[start..end];
        if sentence.contains(|c: char| is_ambiguous_mark(c) || c == '「') {
            continue;
        }
        // The first clause that is a subject and a verb of speech (`他说`, `作者最后说`).
        let mut from = 0;
        let mut found = None;
        for (sep, c) in sentence
            .char_indices()
            .filter(|&(_, c)| matches!(c, '：' | ':' | '，' | ','))
        {
            let clause = sentence[from..sep].trim();
            from = sep + c.len_utf8();
            // Lower-cased once per clause, not once per verb.
            let lower = clause.to_lowercase();
            let verb_ends = REPORTING_VERBS.iter().any(|v| lower.ends_with(v));
            if !verb_ends {
                continue;
            }
            // Only the talk's people (or a pronoun for them): a stranger's words reported
            // without quotation marks are the writer's paraphrase.
            let who = match subject_of(clause).and_then(|s| voices.resolve(s)) {
                Some(Subject::Pronoun(who)) => who,
                Some(Subject::Named(who)) if voices.roster.find(&who).is_some() => Some(who),
                _ => None,
            };
            if let Some(who) = who {
                voices.last = Some(who.clone());
                found = Some((sep, who));
                break;
            }
        }
        let Some((sep, who)) = found else {
            continue;
        };
        let words_start = start + sep + sentence[sep..].chars().next().map_or(1, char::len_utf8);
        let words = p.slice(words_start, end);
        if char_len(words.text.trim()) >= 8 {
            out.extend(utterances(&words, 0, Some(who)));
        }
    }
    out
}

/// Verbs that report what someone said when they end the clause before the words.
const REPORTING_VERBS: &[&str] = &[
    "说",
    "说道",
    "表示",
    "认为",
    "指出",
    "提到",
    "强调",
    "坦言",
    "补充",
    "解释",
    "透露",
    "说到",
    " said",
    " says",
    " added",
    " noted",
    " explained",
];

/// The quotations of a paragraph, in quotation marks, with their speakers.
fn quotations(p: &PlainText, voices: &mut Voices, own_words: bool) -> Vec<Found> {
    let text = p.text.as_str();
    if voices.asker.is_none() {
        voices.asker = introduced_person(text);
    }
    let marks: Vec<(usize, char)> = text
        .char_indices()
        .filter(|&(_, c)| is_ambiguous_mark(c))
        .collect();
    // (open mark, inner start, inner end, close mark end)
    let mut spans: Vec<(usize, usize, usize, usize)> = Vec::new();
    if marks.len().is_multiple_of(2) {
        for pair in marks.chunks(2) {
            let (open, oc) = pair[0];
            let (close, cc) = pair[1];
            spans.push((open, open + oc.len_utf8(), close, close + cc.len_utf8()));
        }
    }
    spans.extend(corner_bracket_spans(text));
    spans.sort_unstable();

    // Bold spans are recorded in text order; sorting keeps the lookup below a binary search
    // even if that ever changes. Both lookups keep the work linear in the paragraph: a 4 MB
    // paragraph of `"**quoted**"` must not take quadratic time.
    let mut bold = p.bold.clone();
    bold.sort_unstable();
    let lead = paragraph_lead(text);
    let mut out = Collector::new();
    let mut prev_end = 0usize;
    let mut prev_kept = false;
    for (open, start, end, close_end) in spans {
        let inner = &text[start..end];
        let before = text[prev_end.min(open)..open]
            .trim_end_matches(|c: char| c.is_whitespace() || c == '*');
        let whole_paragraph = text[..open].trim_matches(is_mark_or_space).is_empty()
            && text[close_end..].trim_matches(is_mark_or_space).is_empty();
        let stands_alone = match before.chars().next_back() {
            // Right after the previous quotation: a list of terms, or an utterance in parts.
            None if prev_end > 0 => prev_kept,
            None => true,
            // Right after a verb of speech: direct speech (`he says "…"`), when the subject
            // is someone (below).
            Some(c) => is_lead_in(c) || ends_with_speech_verb(before),
        };
        let by_verb = before.chars().next_back().is_some_and(|c| !is_lead_in(c));
        let after_clause = clause_after(&text[close_end..]);
        prev_end = close_end;
        prev_kept = false;
        if !stands_alone
            || (whole_paragraph && is_question(inner))
            || p.is_link_text(start, end)
            || is_title_case(inner)
        {
            continue;
        }
        // A quotation the writer's sentence goes on from (`“Collect it All” is their approach`,
        // `the “one size” standpoint`, `“…”这个说法`) is a name, a slogan or a title used in the
        // sentence, not an utterance, unless what follows is its attribution (`“…” he said`).
        let rest = &text[close_end..];
        let next = rest
            .trim_start_matches(|c: char| c.is_whitespace() || c == '*')
            .chars()
            .next();
        // (A quotation that ends its sentence may be followed by the next sentence.)
        let ends_sentence = inner
            .trim_end()
            .ends_with(|c: char| is_sentence_end(c) || c == '.');
        let glued = next
            .is_some_and(|c| c.is_alphanumeric() && (!ends_sentence || c.is_lowercase()))
            && !names_speech(after_clause);
        if glued {
            continue;
        }
        // Words credited after a dash (`“Encryption works” - Edward Snowden`) are that person's;
        // someone not of the talk is quoted by its speaker, and that is no utterance of theirs.
        let credited = dash_credit(rest).map(|name| voices.roster.find(&name));
        if credited == Some(None) {
            continue;
        }
        prev_kept = true;
        // Who: right after, right before in the sentence, the paragraph's lead, the section.
        let sentence = before
            .rfind(is_sentence_end)
            .map_or(before, |i| &before[i..])
            .trim_start_matches(is_sentence_end);
        // Someone the writer's sentence names who is not of the talk (`The store’s response
        // was, “we sell tablets?”`, `the clerk said, "…"`): their words, quoted in an
        // anecdote, are nobody's to serve.
        let subject = subject_of(sentence).or_else(|| possessive_speech(sentence));
        if subject.is_some_and(|s| voices.resolve(s).is_none() && is_outsider(s)) {
            continue;
        }
        let attributed = credited
            .flatten()
            .map(|i| Some(voices.roster.name(i).to_string()))
            .or_else(|| subject_of(after_clause).and_then(|s| voices.attribute(s)))
            .or_else(|| subject.and_then(|s| voices.attribute(s)))
            .or_else(|| lead.and_then(|s| voices.attribute(s)));
        // In the speaker's own words, a quotation nobody is named for is the speaker quoting
        // a saying, a slogan, a question people ask: not an utterance of anyone's.
        if attributed.is_none() && (own_words || by_verb) {
            continue;
        }
        let speaker = attributed.unwrap_or_else(|| voices.current());
        let first = bold.partition_point(|&(bs, _)| bs < start);
        let emphasis = bold[first..]
            .iter()
            .take_while(|&&(bs, _)| bs <= end)
            .filter(|&&(bs, be)| be <= end && bs <= be)
            .filter_map(|&(bs, be)| text.get(bs..be))
            .map(clean)
            .filter(|t| !t.is_empty())
            .collect();
        // A question from someone else is answered by the talk's speaker: the quotations that
        // follow without attribution are not the asker's.
        if is_question(inner) && speaker != voices.main() {
            voices.last = None;
        }
        // A long quotation is offered in pieces cut at sentence ends, never dropped.
        if char_len(inner) > MAX_CHARS {
            for (s, e) in sentence_pieces(inner, 0) {
                out.push(&inner[s..e], QuoteKind::Quoted, speaker.clone(), Vec::new());
            }
            continue;
        }
        out.push(inner, QuoteKind::Quoted, speaker, emphasis);
    }
    out.found
}

/// The owner of words a sentence names with a noun of speech before a quotation: `The store’s
/// response was,` gives `The store`.
fn possessive_speech(sentence: &str) -> Option<&str> {
    let t = sentence.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, ',' | ':'));
    let lower = t.to_lowercase();
    let noun_at = ["response was", "reply was", "answer was", "reaction was"]
        .iter()
        .find_map(|n| lower.strip_suffix(n).map(str::len))?;
    let owner = t[..noun_at].trim_end();
    let owner = owner
        .strip_suffix("’s")
        .or_else(|| owner.strip_suffix("'s"))?
        .trim();
    (!owner.is_empty()).then_some(owner)
}

/// Whether an English subject is a common noun with a determiner (`The store`, `my mother`,
/// `the clerk`): someone or something the writer names, not a person of the talk's roster.
fn is_outsider(subject: &str) -> bool {
    let mut subject = subject.trim();
    if !subject.is_ascii() {
        return false;
    }
    // (After a conjunction: `Then the clerk said`.)
    while let Some(rest) = ["and ", "but ", "then ", "so "].iter().find_map(|c| {
        subject
            .get(..c.len())
            .filter(|h| h.eq_ignore_ascii_case(c))
            .map(|_| &subject[c.len()..])
    }) {
        subject = rest.trim_start();
    }
    let lower = subject.to_lowercase();
    let Some(d) = ["the ", "my ", "his ", "her ", "their ", "our ", "your "]
        .iter()
        .find(|d| lower.starts_with(**d))
    else {
        return false;
    };
    // (The talk's own people described by their part are not outsiders.)
    const OF_THE_TALK: &[&str] = &[
        "speaker",
        "presenter",
        "panelist",
        "panellist",
        "guest",
        "interviewee",
        "author",
        "writer",
    ];
    let words: Vec<&str> = subject[d.len()..].split_whitespace().collect();
    (1..=3).contains(&words.len())
        && words.iter().all(|w| {
            w.chars()
                .all(|c| c.is_ascii_lowercase() || matches!(c, '-' | '\''))
        })
        && !words
            .iter()
            .any(|w| OF_THE_TALK.contains(&w.trim_end_matches('s')))
}

/// Whether the writer's words end with an English verb of speech (`he says`).
fn ends_with_speech_verb(before: &str) -> bool {
    let tail: String = before
        .chars()
        .rev()
        .take(12)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .flat_map(char::to_lowercase)
        .collect();
    // English only: a Chinese `说“…”` is as often a term or someone's imagined words
    // (`找那些说“…”的人`) as direct speech.
    SPEECH_VERBS
        .iter()
        .any(|v| v.starts_with(' ') && tail.ends_with(v))
}

/// Whether quoted words are a title (`Chilling Effects: NSA Surveillance Drives U.S. Writers to
/// Self-Censor`): Latin words, every one of four letters or more capitalised. People do not
/// speak in title case; reports, books and talks are named in it.
fn is_title_case(inner: &str) -> bool {
    // Asked first: most quotes of a Chinese write-up fail it, and it is one vector pass.
    if !inner.is_ascii() {
        return false;
    }
    let words: Vec<&str> = inner.split_whitespace().collect();
    let long: Vec<&&str> = words
        .iter()
        .filter(|w| w.chars().filter(char::is_ascii_alphabetic).count() >= 4)
        .collect();
    words.len() >= 3
        && long.len() >= 3
        && long.iter().all(|w| {
            w.chars()
                .find(char::is_ascii_alphabetic)
                .is_some_and(|c| c.is_ascii_uppercase())
        })
}

/// Whether a clause holds a verb of speech (`he said`, `said Bob`, `他补充道`).
fn names_speech(clause: &str) -> bool {
    // (`说法`, `问题` are nouns.)
    earliest_verb(&format!(" {}", clause.to_lowercase())).is_some()
}

/// Where the earliest speech verb of a lower-cased text starts, one that is no noun's head
/// ([`starts_noun`]). One overlapping pass of an automaton over the text finds every verb at
/// every position: trying each of thirty verbs at every character cost a tenth of the parse.
fn earliest_verb(lower: &str) -> Option<usize> {
    static VERBS: LazyLock<AhoCorasick> = LazyLock::new(|| {
        AhoCorasick::new(SPEECH_VERBS).expect("the speech verbs make an automaton")
    });
    VERBS
        .find_overlapping_iter(lower)
        .filter(|m| !starts_noun(&lower[m.end()..]))
        .map(|m| m.start())
        .min()
}

/// The person credited after a dash right after a quotation (`- Edward Snowden`, `——乔布斯`),
/// when what follows the dash is a name.
fn dash_credit(rest: &str) -> Option<String> {
    let rest = rest.trim_start();
    let after = ["——", "—", "–", "--", "-"]
        .iter()
        .find_map(|d| rest.strip_prefix(d))?
        .trim_start();
    let end = after
        .find([',', '，', '.', '。', '(', '（', ';', '；', '\n'])
        .unwrap_or(after.len());
    let (name, _) = super::roster::clean_name(&after[..end])?;
    let capital = name.chars().next().is_some_and(|c| !c.is_ascii_lowercase());
    (capital && super::roster::is_name(&name)).then_some(name)
}

/// The writer's words right after a closing mark, up to the next punctuation: where an
/// attribution (`Altman 说`, `Okafor replied`) stands.
fn clause_after(rest: &str) -> &str {
    let rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '*');
    let end = rest
        .find(|c: char| is_sentence_punct(c) || matches!(c, '，' | ',' | '.' | '「'))
        .unwrap_or(rest.len());
    let clause = &rest[..end];
    if char_len(clause) > 30 { "" } else { clause }
}

/// The subject and verb a paragraph opens with, before its first colon or comma
/// (`对方回答：…`, `He added, …`).
fn paragraph_lead(text: &str) -> Option<&str> {
    let end = text.find(|c: char| is_sentence_punct(c) || matches!(c, '，' | ',' | '「'))?;
    let clause = &text[..end];
    if char_len(clause) > 30 {
        return None;
    }
    subject_of(clause)
}

/// The person a paragraph introduces: `一位做身份认证的公司创始人提了个功能请求` gives
/// `做身份认证的公司创始人`; `A founder asked …` gives `founder`.
fn introduced_person(text: &str) -> Option<String> {
    // Only the opening is compared with the articles: lower-casing the whole paragraph cost
    // more than the rest of this function.
    let opening: String = text.chars().take(4).flat_map(char::to_lowercase).collect();
    let article = ["一位", "一名", "a ", "an ", "one "]
        .iter()
        .find(|a| opening.starts_with(**a))?;
    let rest = &text[article.len()..];
    let end = rest
        .find(|c: char| is_sentence_punct(c) || matches!(c, '，' | ','))
        .unwrap_or(rest.len());
    let clause = &rest[..end];
    // The noun ends at the first speech verb after its last `的` (`…做产品的创业者问`).
    let from = clause.rfind('的').map_or(0, |i| i + '的'.len_utf8());
    let lower = clause.to_lowercase();
    // The leftmost of the verbs, in one pass (a substring search per verb cost more).
    static VERBS: LazyLock<AhoCorasick> = LazyLock::new(|| {
        AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostFirst)
            .build(SPEECH_VERBS.iter().chain(&["提", "注意到", "想", "正在"]))
            .expect("the speech verbs make an automaton")
    });
    let verb = from + VERBS.find(&lower[from..])?.start();
    let person = clause[..verb].trim();
    (!person.is_empty() && char_len(person) <= 24).then(|| person.to_string())
}

/// A transcript line: `**林静**：…`, `**Q:** …`, `Q: …`, `主持人：…`, `Mira Okafor: …`. Its label
/// must be a role or a person of the roster; the line opens a turn that runs over the next
/// paragraphs until the next label or heading. `None` when the paragraph is no such line.
fn transcript_line(p: &PlainText, voices: &mut Voices) -> Option<Vec<Found>> {
    let label = label_of(p)?;
    // `林静说：“…”`, `最后主持人问：…`: an attribution, not a label; the writer's sentence,
    // which ends the open turn. (`学生提问：` is the audience's label.)
    if !is_role_word(label.text) && subject_of(label.text).is_some() {
        voices.turn = None;
        return None;
    }
    let lower = label.text.to_lowercase();
    let speaker = match lower.as_str() {
        // `Q:` is the host's; with no host, in a talk that has speakers, a questioner from
        // the floor (`**Q**：` in a meeting's notes).
        "q" | "问" | "问题" => voices.host().or_else(|| {
            let han = p.text[label.words..]
                .chars()
                .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
            voices
                .main()
                .map(|_| if han { "观众" } else { "audience" }.to_string())
        }),
        // `A:` is the main speaker's only when the talk has one speaker; in notes of a meeting
        // of several presenters the answerer is not named.
        "a" | "答" | "回答" => voices.sole_speaker(),
        _ if HOSTS.contains(&lower.as_str()) => {
            Some(voices.host().unwrap_or_else(|| label.text.to_string()))
        }
        _ if AUDIENCE.contains(&lower.as_str()) => Some(audience(label.text)),
        _ => match voices.roster.find(label.text) {
            Some(i) => Some(voices.roster.name(i).to_string()),
            None => {
                // Another label (`来源：`, `**视频回放**：`) is no turn, and ends the open one.
                if label.bold || super::meta_key(label.text).is_some() {
                    voices.turn = None;
                }
                return None;
            }
        },
    };
    voices.last.clone_from(&speaker);
    voices.turn.clone_from(&speaker);
    // A question from the floor is one paragraph: what follows is someone's answer.
    if speaker
        .as_deref()
        .is_some_and(|w| AUDIENCE.contains(&w.to_lowercase().as_str()))
    {
        voices.turn = None;
    }
    // Another label inside the paragraph (`**Q**：… **A**：…` on two lines of one item) ends
    // these words and starts the next turn.
    let next = p
        .bold
        .iter()
        .filter(|&&(bs, be)| bs > label.words && be > bs)
        .find(|&&(bs, be)| {
            let name = p.text[bs..be].trim().trim_end_matches([':', '：']);
            // The colon inside the bold (`**A：**`) or right after it (`**A**：`).
            let colon = p.text[bs..be].trim_end().ends_with([':', '：'])
                || p.text[be..].trim_start().starts_with([':', '：']);
            colon && (is_role_word(name) || voices.roster.find(name).is_some())
        })
        .map(|&(bs, _)| bs);
    let end = next.unwrap_or(p.text.len());
    let mut out = match speaker {
        Some(who) => {
            let words = p.slice(label.words, end);
            utterances_without_quotations(&words, who, false)
        }
        // A question of an interviewer the write-up does not name: nobody's words to serve.
        None => Vec::new(),
    };
    if let Some(at) = next {
        out.extend(transcript_line(&p.slice(at, p.text.len()), voices).unwrap_or_default());
    }
    Some(out)
}

/// A question standing alone in bold (`**How did you start with Rust?**`): the host's, when the
/// write-up names one; the paragraphs after it are the main speaker's answer.
fn bold_question(p: &PlainText, voices: &mut Voices) -> Option<Vec<Found>> {
    let text = p.text.trim().trim_end_matches(is_stray_punct);
    if !p.is_all_bold() || !text.ends_with(['?', '？']) {
        return None;
    }
    // Two interviewers or more asking together: the asker is not known.
    let hosts = voices
        .roster
        .people()
        .iter()
        .filter(|p| p.role == super::roster::Role::Host)
        .count();
    let host = voices.host().filter(|_| hosts == 1);
    voices.last.clone_from(&host);
    voices.turn = voices.main();
    Some(match host {
        Some(h) => utterances(p, 0, Some(h)),
        None => Vec::new(),
    })
}

/// The turns of a block quote that is a transcript: only paragraphs after a label count, and
/// the turn ends with the block quote.
pub(super) fn quoted_turns(paragraphs: &[&PlainText], voices: &mut Voices) -> Vec<Found> {
    if voices.quiet {
        return Vec::new();
    }
    let (outer, monologue) = (voices.turn.take(), voices.monologue);
    voices.monologue = false;
    let mut out = Vec::new();
    for p in paragraphs {
        if let Some(found) = transcript_line(p, voices) {
            out.extend(found);
        } else if voices.turn.is_some() {
            out.extend(continued_turn(p, voices).unwrap_or_default());
        } else {
            out.extend(reported_speech(p, voices));
        }
    }
    voices.turn = outer;
    voices.monologue = monologue;
    out
}

/// A paragraph of the open turn (or of the monologue), unless it is the writer's narration:
/// one that opens with a person of the roster or a third-person pronoun (`周末问她…`, `She
/// paused.`), or a note (`注：`, `（备注：…）`, `图：…`).
fn continued_turn(p: &PlainText, voices: &mut Voices) -> Option<Vec<Found>> {
    let who = voices
        .turn
        .clone()
        .or_else(|| voices.monologue.then(|| voices.main()).flatten())?;
    let text = p
        .text
        .trim_start_matches(|c: char| c.is_whitespace() || c == '*');
    let lower = text.to_lowercase();
    let narration = NARRATION.iter().any(|w| lower.starts_with(w))
        || voices.roster.people().iter().any(|person| {
            std::iter::once(&person.name)
                .chain(&person.aliases)
                .any(|n| text.starts_with(n.as_str()) && !text[n.len()..].starts_with(['：', ':']))
        });
    // The writer names the speaker; the speaker does not (`Thanks again to Aaron…`).
    let named = voices.roster.find(&who).is_some_and(|i| {
        let person = &voices.roster.people()[i];
        std::iter::once(&person.name)
            .chain(&person.aliases)
            .flat_map(|n| n.split(' '))
            .filter(|w| char_len(w) >= 2)
            .any(|w| contains_word(text, w))
    });
    // (In the monologue the speaker may name themself: `Rick Hudson here.`)
    if narration || (named && voices.turn.is_some()) {
        voices.turn = None;
        return None;
    }
    // Sentences quoting someone else (a saying, a slogan, an imagined reply) are not the
    // speaker's own words.
    // In the monologue, which no label confirms, a sentence with any quotation in it (a term,
    // a title, a saying) is left out; a labelled turn keeps the speaker's terms.
    let strict = true;
    // (A template's tag line, `{{< /accordion >}}`, says nothing.)
    let tag = text.starts_with("{{") && text.trim_end().ends_with("}}");
    if voices.monologue && voices.turn.is_none() && !tag {
        voices.signed_off = is_farewell(text);
        // A paragraph that ends the talk with the farewell (`…的趋势不可挡。多谢大家！`):
        // the speaker has stopped; what follows (the writer's transition to a Q&A, a footer)
        // is the writer's, unless a label gives it to someone.
        if ends_with_farewell(text) {
            voices.monologue = false;
        }
    }
    Some(utterances_without_quotations(p, who, strict))
}

/// Whether a paragraph ends with the speaker's farewell to the audience: its last sentence is
/// a thanks to everyone (`多谢大家！`, `谢谢大家。`, `Thank you all!`).
fn ends_with_farewell(text: &str) -> bool {
    let text = text
        .trim()
        .trim_end_matches(|c: char| c == '*' || c.is_whitespace());
    let last = match sentences(text, 0).last() {
        Some(&(s, e)) => text[s..e].trim().to_lowercase(),
        None => return false,
    };
    let last = last.trim_end_matches(|c: char| is_sentence_end(c) || c == '.' || c == '～');
    [
        "谢谢大家",
        "多谢大家",
        "感谢大家",
        "谢谢各位",
        "感谢各位",
        "thank you all",
        "thank you very much",
        "thank you everyone",
        "thanks everyone",
    ]
    .contains(&last)
}

/// A speaker's last words to the audience: `Thank you, and see you next month!`, `谢谢大家！`.
fn is_farewell(text: &str) -> bool {
    let lower = text.trim().to_lowercase();
    char_len(&lower) <= 80
        && ["thank you", "thanks", "谢谢", "感谢大家"]
            .iter()
            .any(|w| lower.starts_with(w))
}

/// Whether `word` stands in `text` as a word (Latin) or at all (Chinese).
fn contains_word(text: &str, word: &str) -> bool {
    if !word.is_ascii() {
        return text.contains(word);
    }
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// Openings of the writer's narration and of notes, lower-cased.
const NARRATION: &[&str] = &[
    "译者注",
    "译注",
    "translator's note",
    "translator’s note",
    "editor's note",
    "editor’s note",
    "他",
    "她",
    "注：",
    "注:",
    "备注",
    "（备注",
    "(备注",
    "编者按",
    "编注",
    "图：",
    "图片：",
    "he ",
    "she ",
    "they ",
    "his ",
    "her ",
    "note:",
    "p.s.",
    "ps:",
    "image:",
    "photo:",
    "[",
    "(",
    "（",
];

/// The words of a turn from byte `from` on, offered as quotable utterances: cut at sentence
/// ends into pieces of at most [`MAX_CHARS`], never dropped for being long.
fn utterances(p: &PlainText, from: usize, speaker: Option<String>) -> Vec<Found> {
    let mut out = Collector::new();
    for (start, end) in sentence_pieces(&p.text, from) {
        let emphasis = p
            .bold
            .iter()
            .filter(|&&(bs, be)| bs >= start && be <= end && be > bs)
            .filter_map(|&(bs, be)| p.text.get(bs..be))
            .map(clean)
            .filter(|t| !t.is_empty())
            .collect();
        out.push(
            &p.text[start..end],
            QuoteKind::Transcript,
            speaker.clone(),
            emphasis,
        );
    }
    out.found
}

/// [`utterances`] of a paragraph of the monologue, without the sentences that hold a
/// quotation (the speaker quoting a saying, a slogan, someone else).
fn utterances_without_quotations(p: &PlainText, speaker: String, strict: bool) -> Vec<Found> {
    let mut out = Vec::new();
    let mut run_start: Option<usize> = None;
    let mut run_end = 0;
    let flush = |out: &mut Vec<Found>, s: usize, e: usize| {
        let part = p.slice(s, e);
        out.extend(utterances(&part, 0, Some(speaker.clone())));
    };
    // Whether the text before each sentence left a quotation open: a quotation of several
    // sentences (a review read aloud, `“Great concept. Very timely. …”`) is quoted in all of
    // them, not only in the first and the last, which hold its marks. An unbalanced paragraph
    // leaves no sentence inside.
    let balanced = p.text.chars().filter(|&c| is_ambiguous_mark(c)).count() % 2 == 0;
    let mut open = false;
    for (start, end) in sentences(&p.text, 0) {
        // The title of something linked is no utterance either.
        let sentence = &p.text[start..end];
        let inside = balanced && open;
        open ^= sentence.chars().filter(|&c| is_ambiguous_mark(c)).count() % 2 == 1;
        let quoting = inside
            || quotes_someone(sentence)
            || reports_someone_else(sentence)
            || p.is_link_text(start, end)
            || (strict
                && (sentence.contains(|c: char| is_ambiguous_mark(c) || c == '「')
                    || single_quoted(sentence)
                    || names_linked_work(p, start, end)))
            // An editor's note inside the words (`（注：截至发文时…）`) is the writer's.
            || sentence.contains("（注：")
            || sentence.contains("(注：")
            || sentence.contains("（注:");
        if quoting {
            if let Some(s) = run_start.take() {
                flush(&mut out, s, run_end);
            }
        } else {
            run_start.get_or_insert(start);
            run_end = end;
        }
    }
    if let Some(s) = run_start {
        flush(&mut out, s, run_end);
    }
    out
}

/// Whether the sentence from `start` to `end` names a linked work, as a quotation names one
/// in its marks: a link whose text is a title, in title case (`[Adaptive Web Design For
/// Everyone](…)`) or a Chinese one of ten characters or more (`我们曾发布了一篇[字节跳动 Go
/// RPC框架 Kitex 性能优化实践](…)`). A short link (`[Kitex][Kitex]`) is a name, and words
/// linked in a sentence (`we do have [concrete plans](…)`) stay the sentence's.
fn names_linked_work(p: &PlainText, start: usize, end: usize) -> bool {
    p.links.iter().any(|&(ls, le)| {
        let text = p.text.get(ls..le).unwrap_or("").trim();
        ls >= start
            && le <= end
            && (is_title_case(text)
                || (text.chars().any(super::roster::is_han) && char_len(text) >= 10))
    })
}

/// Whether a sentence holds words in single quotation marks (`this is called 'sticky bits'
/// and…`): a `'` or `‘` after a space or at the start, closed by one before a space or
/// punctuation (an apostrophe, `don't`, sits inside a word).
fn single_quoted(sentence: &str) -> bool {
    let chars: Vec<char> = sentence.chars().collect();
    let opens = |i: usize| {
        matches!(chars[i], '\'' | '‘')
            && (i == 0 || chars[i - 1].is_whitespace() || chars[i - 1] == '(')
            && chars.get(i + 1).is_some_and(|c| c.is_alphanumeric())
    };
    let closes = |i: usize| {
        matches!(chars[i], '\'' | '’')
            && i > 0
            && chars[i - 1].is_alphanumeric()
            && chars.get(i + 1).is_none_or(|c| !c.is_alphanumeric())
    };
    (0..chars.len())
        .find(|&i| opens(i))
        .is_some_and(|o| (o + 2..chars.len()).any(closes))
}

/// Whether a sentence holds a quotation that stands alone (at its start, or after a colon or a
/// comma: someone else's words, a saying); a term glued to the words before it (`所谓“…”`)
/// keeps the sentence the speaker's.
fn quotes_someone(sentence: &str) -> bool {
    let mut inside = false;
    for (i, c) in sentence.char_indices() {
        if is_ambiguous_mark(c) || c == '「' {
            if !inside {
                let before =
                    sentence[..i].trim_end_matches(|c: char| c.is_whitespace() || c == '*');
                if before.chars().next_back().is_none_or(is_lead_in) {
                    return true;
                }
            }
            inside = if c == '「' { true } else { !inside };
        } else if c == '」' {
            inside = false;
        }
    }
    false
}

/// Whether a sentence of someone's words gives words to someone else without quotation marks:
/// a clause that ends in a verb of saying, with the words after its comma or colon (`有些同学说，
/// 我只是用一下`, `我们经常会被人问到，…`, `And Larry said well, I actually think…`, `you may ask,
/// …`). The words are the other person's (or nobody's, imagined), not the speaker's. The
/// speaker reporting themself (`我认为，…`, `I'd say, …`) and the phrases made of a verb of
/// saying (`也就是说`, `对我来说`, `needless to say`, `that said`) keep the sentence theirs.
fn reports_someone_else(sentence: &str) -> bool {
    let seps: Vec<usize> = sentence
        .char_indices()
        .filter(|&(_, c)| matches!(c, '：' | ':' | '，' | ','))
        .map(|(i, _)| i)
        .collect();
    // `说你那么爱开源，那你…`: the words of whoever the sentence before spoke of.
    let opening = sentence.trim_start_matches(|c: char| c.is_whitespace() || c == '*');
    if let Some(rest) = opening.strip_prefix('说') {
        let set_phrase = ["到", "起", "来", "实话", "真的", "白了", "句"]
            .iter()
            .any(|w| rest.starts_with(w));
        if !set_phrase && !starts_noun(rest) && rest.contains(['，', ',']) {
            return true;
        }
    }
    seps.iter().any(|&sep| {
        // The clause before this comma, from the previous one.
        let from = sentence[..sep]
            .rfind(['：', ':', '，', ',', '。', '.'])
            .map_or(0, |i| {
                i + sentence[i..].chars().next().map_or(1, char::len_utf8)
            });
        let clause = sentence[from..sep].trim_matches(|c: char| c.is_whitespace() || c == '*');
        !sentence[sep..]
            .trim_start_matches(['：', ':', '，', ',', ' '])
            .is_empty()
            && (says_other_zh(clause) || says_other_en(clause))
    })
}

/// `有些同学说`, `被人问到`, `然后你说`: a Chinese clause of someone else saying.
fn says_other_zh(clause: &str) -> bool {
    let Some(left) = ["说道", "问道", "问到", "说", "问"]
        .iter()
        .find_map(|v| clause.strip_suffix(v))
    else {
        return false;
    };
    // Asked by others: `我们经常会被人问到`.
    if left.contains('被') {
        return true;
    }
    let mut left = left;
    loop {
        let before = left;
        for x in ZH_ADVERBS {
            left = left.strip_suffix(x).unwrap_or(left);
        }
        if left == before {
            break;
        }
    }
    // `告诉大家说`, `跟你说`: the speaker speaking to them.
    SOMEONE_ELSE_ZH.iter().any(|w| {
        left.strip_suffix(w).is_some_and(|l| {
            !["告诉", "跟", "对", "和", "给", "向"]
                .iter()
                .any(|v| l.ends_with(v))
        })
    })
}

/// Adverbs between a Chinese subject and its verb of saying.
const ZH_ADVERBS: &[&str] = &[
    "也",
    "就",
    "还",
    "会",
    "都",
    "又",
    "经常",
    "常常",
    "常",
    "总是",
    "总",
    "通常",
    "可能",
    "一直",
    "曾经",
    "跟我",
    "对我",
    "跟我们",
    "对我们",
    "问我",
    "就会",
];

/// Subjects that are someone other than the speaker, or anyone (a hypothetical).
const SOMEONE_ELSE_ZH: &[&str] = &[
    "同学",
    "有人",
    "别人",
    "人家",
    "他们",
    "他",
    "她",
    "你",
    "你们",
    "用户",
    "客户",
    "大家",
    "对方",
    "朋友",
    "老板",
    "领导",
    "记者",
    "面试官",
    "网友",
    "家人",
];

/// `Larry said well`, `you may ask`, `I remember her saying`, `and say hey`: an English clause
/// of someone else saying. The word before the verb (after modals and adverbs) is its subject;
/// the speaker (`I`, `we`) and the set phrases (`to say`, `that said`, `let's say`) are not
/// someone else.
fn says_other_en(clause: &str) -> bool {
    let lower = clause.to_lowercase();
    let mut words: Vec<&str> = lower.split_whitespace().collect();
    // A filler after the verb: `said well`, `say hey`.
    if words
        .last()
        .is_some_and(|w| ["well", "hey", "oh", "okay", "ok", "yeah", "look"].contains(w))
    {
        words.pop();
    }
    let Some(verb) = words.pop() else {
        return false;
    };
    if ![
        "say", "says", "said", "saying", "ask", "asks", "asked", "asking",
    ]
    .contains(&verb)
    {
        return false;
    }
    let subject = words.iter().rev().find(|w| {
        ![
            "may",
            "might",
            "would",
            "will",
            "can",
            "could",
            "should",
            "just",
            "also",
            "always",
            "often",
            "then",
            "actually",
            "probably",
            "sometimes",
            "even",
            "usually",
            "all",
            "must",
            "did",
            "do",
            "does",
        ]
        .contains(w)
    });
    match subject {
        // `Say, …` (for example).
        None => false,
        Some(w) => ![
            "i", "we", "i'd", "we'd", "i'll", "we'll", "i've", "we've", "i’d", "we’d", "to",
            "that", "let's", "let’s", "us", "i'm", "as", "like",
        ]
        .contains(w),
    }
}

/// The sentences of `text` from byte `from` on, as byte ranges: each ends after a sentence
/// mark (`。！？!?…`, or `.` before a space).
fn sentences(text: &str, from: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = from;
    let mut chars = text[from..].char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let at = from + i + c.len_utf8();
        let end = is_sentence_end(c)
            || (c == '.' && chars.peek().is_none_or(|&(_, n)| n.is_whitespace()));
        if end
            && !chars
                .peek()
                .is_some_and(|&(_, n)| is_sentence_end(n) || is_ambiguous_mark(n))
        {
            out.push((start, at));
            start = at;
        }
    }
    if start < text.len() && !text[start..].trim().is_empty() {
        out.push((start, text.len()));
    }
    out
}

/// Sentences of `text` from `from` on, joined into pieces of at most [`MAX_CHARS`]; a sentence
/// longer than that is cut at its last comma or space within the limit.
fn sentence_pieces(text: &str, from: usize) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    let mut cur: Option<(usize, usize)> = None;
    for (s, e) in sentences(text, from) {
        let (s, e) = (s, e);
        match cur {
            Some((cs, _)) if char_len(&text[cs..e]) <= MAX_CHARS => cur = Some((cs, e)),
            _ => {
                out.extend(cur.take());
                let mut s = s;
                while char_len(&text[s..e]) > MAX_CHARS {
                    let limit = text[s..]
                        .char_indices()
                        .nth(MAX_CHARS)
                        .map_or(e, |(i, _)| s + i);
                    let cut = text[s..limit]
                        .rfind(['，', ',', '；', ';', ' '])
                        .map_or(limit, |i| s + i + 1)
                        .max(s + 1);
                    let cut = (cut..=limit)
                        .find(|&i| text.is_char_boundary(i))
                        .unwrap_or(limit);
                    out.push((s, cut));
                    s = cut;
                }
                cur = Some((s, e));
            }
        }
    }
    out.extend(cur);
    out
}

/// The quote a pull-quote blockquote holds, if the blockquote is one.
///
/// A pull-quote is wholly inside quotation marks, optionally followed by an attribution line
/// (`— Sam Altman`), which names its speaker. Anything else is an editor's note and yields
/// nothing.
pub(super) fn pull_quote(p: &PlainText, voices: &mut Voices) -> Option<Found> {
    if voices.quiet {
        return None;
    }
    let text = p.text.trim();
    let (body, attribution) = match text.rfind(['—', '–']) {
        Some(i) if i > 0 => (
            text[..i].trim(),
            Some(text[i..].trim_start_matches(['—', '–']).trim()),
        ),
        _ => (text, None),
    };
    let mut chars = body.chars();
    let first = chars.next()?;
    let last = body.chars().next_back()?;
    let quoted =
        (is_ambiguous_mark(first) && is_ambiguous_mark(last)) || (first == '「' && last == '」');
    let inner = if quoted {
        let a = first.len_utf8();
        let b = body.len() - last.len_utf8();
        if a >= b {
            return None;
        }
        &body[a..b]
    } else if attribution.is_some() {
        body
    } else {
        return None;
    };
    // A quotation inside the pull-quote must not be a second, nested one.
    if inner.chars().any(is_ambiguous_mark) {
        return None;
    }
    // An attribution line names its speaker even when nothing else does (`— Steve Jobs`).
    // An attribution citing a work (`———— 亚当.斯密《国富论》`) makes an epigraph: no one's words.
    if attribution.is_some_and(|a| a.contains(['《', '“', '"'])) {
        return None;
    }
    let speaker = match attribution.filter(|a| !a.is_empty()) {
        Some(a) => match voices.resolve(a) {
            Some(Subject::Named(who)) => Some(who),
            _ => super::roster::clean_name(a)
                .map(|(n, _)| n)
                .or_else(|| voices.main()),
        },
        None => voices.main(),
    };
    let mut out = Collector::new();
    out.push(inner, QuoteKind::PullQuote, speaker, Vec::new());
    out.found.pop()
}

fn corner_bracket_spans(text: &str) -> Vec<(usize, usize, usize, usize)> {
    let mut spans = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    for (i, c) in text.char_indices() {
        match c {
            '「' => stack.push(i),
            '」' => {
                if let Some(open) = stack.pop() {
                    // Only the outermost pair is a quotation; inner ones are quotes in quotes.
                    if stack.is_empty() {
                        spans.push((open, open + '「'.len_utf8(), i, i + c.len_utf8()));
                    }
                }
            }
            _ => {}
        }
    }
    spans
}

fn is_mark_or_space(c: char) -> bool {
    c.is_whitespace() || is_ambiguous_mark(c) || is_stray_punct(c)
}

fn is_question(s: &str) -> bool {
    s.trim_end_matches(is_stray_punct)
        .trim_end()
        .ends_with(['？', '?'])
}

/// Punctuation that can hang off either end of a quote without belonging to it.
fn is_stray_punct(c: char) -> bool {
    matches!(
        c,
        '，' | ','
            | '、'
            | '：'
            | ':'
            | '；'
            | ';'
            | '('
            | ')'
            | '（'
            | '）'
            | '\''
            | '‘'
            | '’'
            | '『'
            | '』'
            | '-'
            | '—'
            | '–'
            | '*'
            | '_'
    )
}

/// A quote or highlight without the punctuation and spaces hanging off its ends.
fn clean(raw: &str) -> String {
    raw.trim()
        .trim_start_matches(|c: char| {
            is_stray_punct(c) || c.is_whitespace() || matches!(c, '。' | '.' | '！' | '!')
        })
        .trim_end_matches(|c: char| is_stray_punct(c) || c.is_whitespace())
        .to_string()
}

/// Quotes found so far in one paragraph, and their texts for a constant-time duplicate check.
struct Collector {
    found: Vec<Found>,
    seen: HashSet<String>,
}

impl Collector {
    fn new() -> Collector {
        Collector {
            found: Vec::new(),
            seen: HashSet::new(),
        }
    }

    fn push(&mut self, raw: &str, kind: QuoteKind, speaker: Option<String>, emphasis: Vec<String>) {
        let text = clean(raw);
        let n = char_len(&text);
        if !(MIN_CHARS..=MAX_CHARS).contains(&n) {
            return;
        }
        if text.contains("http://") || text.contains("https://") || text.contains("www.") {
            return;
        }
        if kind != QuoteKind::Transcript && text.chars().any(is_ambiguous_mark) {
            return;
        }
        if !self.seen.insert(text.clone()) {
            return;
        }
        self.found.push(Found {
            text,
            kind,
            speaker,
            emphasis,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::super::roster::Role;
    use super::*;

    fn plain(text: &str) -> PlainText {
        PlainText {
            text: text.to_string(),
            bold: Vec::new(),
            item: false,
            links: Vec::new(),
        }
    }

    fn roster(people: &[(&str, Role)]) -> Roster {
        let mut r = Roster::default();
        for (name, role) in people {
            r.add(name, *role);
        }
        r
    }

    fn altman() -> Voices {
        Voices::new(roster(&[("Sam Altman", Role::Speaker)]), false)
    }

    fn found(text: &str) -> Vec<(String, Option<String>)> {
        extract(&plain(text), &mut altman())
            .into_iter()
            .map(|f| (f.text, f.speaker))
            .collect()
    }

    fn texts(text: &str) -> Vec<String> {
        found(text).into_iter().map(|(t, _)| t).collect()
    }

    #[test]
    fn mixed_marks_split_at_the_attribution() {
        assert_eq!(
            texts(
                "\"我认为工程师的含义会发生巨大变化。“Altman 说，”会有更多人创造更多价值，这很好。\""
            ),
            vec![
                "我认为工程师的含义会发生巨大变化。",
                "会有更多人创造更多价值，这很好。"
            ]
        );
    }

    #[test]
    fn an_unbalanced_paragraph_yields_nothing() {
        assert!(texts("他说“这是一个很长很长的句子”然后又说“另一个没有结束的句子").is_empty());
    }

    #[test]
    fn terms_scare_quotes_and_options_are_not_quotes() {
        for p in [
            "用户称其“写作冰冷”，见“https://example.com/a/long/path”。",
            "这种方法叫做“渐进式重构的第二阶段”。",
            "他说这“大部分是好消息”，因为东西会变便宜。",
            "未来是“公司有很多 AI 同事”，还是“赢家公司完全是 AI”？",
            "She is wary of the so-called \"golden backup\" and of \"mostly green\" dashboards.",
            "找那些说“我讨厌 AI 生成的图像，而且我能认出来”的人。",
        ] {
            assert!(texts(p).is_empty(), "{p}: {:?}", texts(p));
        }
    }

    /// Issue 23: a quotation the sentence goes on from is a name, a slogan or a title; words
    /// credited after a dash to someone not of the talk are not its speaker's.
    #[test]
    fn a_quotation_used_in_the_sentence_or_credited_to_an_outsider_is_no_quote() {
        for p in [
            "NSA hoovering it all up, “Collect it All” is their approach.",
            "Recent backlash, i.e. “Why protest unless you have something to hide?” standpoint.",
            "有人说，“日志即数据库”这个说法并不新。",
            "“Encryption works” - Edward Snowden",
        ] {
            assert!(texts(p).is_empty(), "{p}: {:?}", texts(p));
        }
        // An attribution after the quotation, or a quotation that ends its sentence, stays.
        assert_eq!(
            found("“We ship every week” said Sam Altman."),
            vec![("We ship every week".into(), Some("Sam Altman".into()))]
        );
        assert_eq!(
            texts("He says “we were still on tracing.” This meant a proxy.").len(),
            1
        );
        assert_eq!(
            found("“Make it fast” - Sam Altman"),
            vec![("Make it fast".into(), Some("Sam Altman".into()))]
        );
    }

    /// Issue 23: inside someone's words, a sentence that gives words to someone else without
    /// quotation marks is theirs (or nobody's), not the speaker's.
    #[test]
    fn reported_words_inside_a_turn_are_not_the_speakers() {
        for s in [
            "有些同学说，我只是用一下，好像没法做什么贡献。",
            "我们团队经常会被人问到，你们为什么创造一个新的项目？",
            "然后你说，这个不行。",
            "And Larry said well, I actually think all of it should be free.",
            "And you may ask, at this point, what's happening with packages.",
            "And I remember her saying, I thought these people were witches.",
        ] {
            assert!(reports_someone_else(s), "{s}");
        }
        for s in [
            "我认为，这是一个哲学问题。",
            "也就是说，我们要重写。",
            "对我来说，这很难。",
            "我们只能告诉大家说，正在路上。",
            "I'd say, it is done.",
            "That said, we shipped.",
            "Needless to say, it broke.",
            "Like I said, it works.",
        ] {
            assert!(!reports_someone_else(s), "{s}");
        }
    }

    /// Issue 23: words the writer's sentence gives to someone not of the talk (`The store’s
    /// response was, “…”`, `the clerk said, “…”`) are nobody's to serve; the talk's own people
    /// described by their part stay theirs.
    #[test]
    fn words_of_an_outsider_named_by_the_writer_are_no_quote() {
        for p in [
            "The store’s response was, “we sell tablets?”",
            "Then the clerk said, “we are closed for the day.”",
        ] {
            assert!(texts(p).is_empty(), "{p}: {:?}", found(p));
        }
        assert_eq!(
            found("Altman’s answer was, “we ship every single week.”"),
            vec![(
                "we ship every single week.".into(),
                Some("Sam Altman".into())
            )]
        );
        assert_eq!(
            texts("The speaker said, “we ship every single week.”").len(),
            1
        );
        assert!(is_outsider("The store") && is_outsider("my mother"));
        assert!(!is_outsider("The speaker") && !is_outsider("The Gustafson team"));
    }

    /// Issue 23: in someone's turn, a quotation of several sentences (a review read aloud) is
    /// quoted in every sentence, not only in the two that hold its marks.
    #[test]
    fn every_sentence_of_a_quotation_read_in_a_turn_is_left_out() {
        let p = plain("“Great concept. Very timely. A good team of presenters to read with.”");
        let got = utterances_without_quotations(&p, "Sam Altman".into(), true);
        assert!(got.is_empty(), "{got:?}");
        let p = plain("We got a review. “Great concept. Very timely.” So thanks.");
        let got: Vec<String> = utterances_without_quotations(&p, "Sam Altman".into(), true)
            .into_iter()
            .map(|f| f.text)
            .collect();
        assert_eq!(got, vec!["We got a review."]);
    }

    /// Issue 23: the monologue's paragraph that ends with the farewell ends the talk; what
    /// follows in the section (the writer's transition to the Q&A) is nobody's words.
    #[test]
    fn a_farewell_at_the_end_of_a_paragraph_ends_the_monologue() {
        let mut v = Voices::new(roster(&[("黄挺", Role::Speaker)]), true);
        let talk = extract(&plain("最后总结一下我今天演讲的内容。多谢大家！"), &mut v);
        assert!(talk.iter().all(|f| f.speaker.as_deref() == Some("黄挺")));
        assert!(!talk.is_empty());
        let after = extract(
            &plain("下面带来的是大会的问答互动，我们精选了几个问答分享给大家。"),
            &mut v,
        );
        assert!(after.is_empty(), "{after:?}");
        assert!(ends_with_farewell("我们的分享就到这里。谢谢大家！"));
        assert!(!ends_with_farewell("谢谢大家的支持，我们继续往下讲。"));
    }

    /// Issue 23: in the monologue, a sentence naming a linked work by its title is left out,
    /// as one naming it in quotation marks; words linked in a sentence stay.
    #[test]
    fn a_sentence_naming_a_linked_work_is_left_out_of_the_monologue() {
        let text = "我们曾发布了一篇字节跳动 Go RPC框架 Kitex 性能优化实践，介绍了网络库。后来我们继续优化。";
        let at = text.find("字节").unwrap();
        let end = text.find("，").unwrap();
        let mut p = plain(text);
        p.links = vec![(at, end)];
        let got: Vec<String> = utterances_without_quotations(&p, "Felix021".into(), true)
            .into_iter()
            .map(|f| f.text)
            .collect();
        assert_eq!(got, vec!["后来我们继续优化。"]);
        let text = "As for the timeline, we do have concrete plans: we expect to release in May.";
        let at = text.find("concrete").unwrap();
        let mut p = plain(text);
        p.links = vec![(at, at + "concrete plans".len())];
        assert_eq!(
            utterances_without_quotations(&p, "Andrew Gerrand".into(), true).len(),
            1
        );
    }

    #[test]
    fn a_short_complete_utterance_is_kept() {
        assert_eq!(
            found("“这很吓人。”Altman 说。"),
            [("这很吓人。".to_string(), Some("Sam Altman".to_string()))]
        );
    }

    #[test]
    fn a_bare_question_is_a_prompt() {
        assert!(texts("“能长时间自主运行工作流的 Agent，现实的时间线是什么？”").is_empty());
    }

    #[test]
    fn words_given_to_someone_else_are_theirs_and_he_refers_back() {
        let mut v = altman();
        let one = extract(&plain("一位 OpenAI 员工回答：“这取决于任务类型。”"), &mut v);
        let two = extract(&plain("他建议：“今天就试试。”"), &mut v);
        assert_eq!(one[0].speaker.as_deref(), Some("OpenAI 员工"));
        assert_eq!(two[0].speaker.as_deref(), Some("OpenAI 员工"));
        v.new_section();
        let three = extract(&plain("他说：“这是新的一节。”"), &mut v);
        assert_eq!(three[0].speaker.as_deref(), Some("Sam Altman"));
    }

    #[test]
    fn the_other_party_is_the_person_the_section_introduced() {
        let mut v = altman();
        extract(
            &plain("一位做身份认证的公司创始人提了个功能请求：Sign in with ChatGPT。"),
            &mut v,
        );
        extract(
            &plain("“我们会做的，很多人一直在问。”Altman 确认。"),
            &mut v,
        );
        let f = extract(
            &plain("对方回答：肯定要带账户。“ChatGPT 太了解我了。”"),
            &mut v,
        );
        assert_eq!(f[0].speaker.as_deref(), Some("做身份认证的公司创始人"));
    }

    #[test]
    fn bold_inside_a_quote_is_its_emphasis() {
        let text = "“我们会推动未来的模型在所有这些维度上都很强。”";
        let start = text.find("在所有").unwrap();
        let end = text.find("。").unwrap();
        let p = PlainText {
            text: text.to_string(),
            bold: vec![(start, end)],
            item: false,
            links: Vec::new(),
        };
        let found = extract(&p, &mut altman());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].emphasis, ["在所有这些维度上都很强"]);
    }

    #[test]
    fn a_transcript_line_is_its_speakers() {
        let mut v = Voices::new(
            roster(&[("林静", Role::Speaker), ("周末", Role::Host)]),
            false,
        );
        let text = "林静：当然有。有人提出所谓“渐进式重构”，听起来很稳。";
        let p = PlainText {
            text: text.to_string(),
            bold: vec![(0, "林静".len())],
            item: false,
            links: Vec::new(),
        };
        let f = extract(&p, &mut v);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].kind, QuoteKind::Transcript);
        assert_eq!(f[0].speaker.as_deref(), Some("林静"));
        assert!(f[0].text.starts_with("当然有。"));
        let host = extract(&plain("主持人：还有问题吗？"), &mut v);
        assert_eq!(host[0].speaker.as_deref(), Some("周末"));
        assert!(extract(&plain("来源：某播客第 42 期"), &mut v).is_empty());
    }

    #[test]
    fn corner_brackets_nest() {
        assert_eq!(
            texts("他说：「我们要『先做 token 预算』，然后再说别的事情。」"),
            vec!["我们要『先做 token 预算』，然后再说别的事情。"]
        );
    }

    #[test]
    fn pull_quote_versus_editors_note() {
        let mut v = altman();
        let q = pull_quote(
            &plain("“我原本坚决认为绝对不会给 Codex 无监督访问我的电脑。”"),
            &mut v,
        )
        .unwrap();
        assert_eq!(
            q.text,
            "我原本坚决认为绝对不会给 Codex 无监督访问我的电脑。"
        );
        assert_eq!(q.speaker.as_deref(), Some("Sam Altman"));
        assert!(
            pull_quote(
                &plain("Clanker 是近年来出现的对 AI 的贬义称呼，意指“叮当作响的金属”。"),
                &mut v
            )
            .is_none()
        );
        let q = pull_quote(&plain("Stay hungry, stay foolish. — Steve Jobs"), &mut v).unwrap();
        assert_eq!(q.text, "Stay hungry, stay foolish.");
        assert_eq!(q.speaker.as_deref(), Some("Steve Jobs"));
    }
}
