//! The tantivy side: the same section documents as lectern's index, in a RAM index, and the
//! two ways a Rust developer would query it.
//!
//! A document is one section of one talk, as lectern's index has it: the section title, its
//! plain text, the speaker's quotes found in it, and the words of its infographic (file name
//! and alt text), with lectern's boosts (title 4, quote 2, body 1, alias 0.8). The talk and the
//! section ordinal are fast fields, so a hit names its section without the document store.
//!
//! Text goes through [`CjkWords`]: Chinese has no spaces, so each CJK character is a unigram
//! and each pair of neighbours a bigram (what lectern does), while Latin text is cut into
//! lower-cased words, then stemmed as English. tantivy's `NgramTokenizer` was not used: it
//! cuts Latin words into 1–2-grams too, so `kubernetes` would match every section that holds
//! `ku`, `be` or `es`, and no Latin word could be looked up fuzzily.

use lectern::library::Library;
use lectern::model::Talk;
use tantivy::collector::TopDocs;
use tantivy::query::{
    BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, Query, QueryParser, TermQuery,
};
use tantivy::schema::{FAST, Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions};
use tantivy::tokenizer::{
    Language, RemoveLongFilter, Stemmer, TextAnalyzer, Token, TokenStream, Tokenizer,
};
use tantivy::{DocAddress, Index, IndexWriter, TantivyDocument};

/// The tokenizer's name in the index's tokenizer manager.
const TOKENIZER: &str = "cjk_words";

/// One section, as lectern indexes it.
pub struct SectionDoc {
    pub talk: u64,
    pub section: u64,
    pub title: String,
    pub body: String,
    pub quotes: String,
    pub alias: String,
}

/// Every section of the library, with the text lectern's index puts in its section document
/// (`Index::build` in crates/lectern-core/src/search/index.rs).
pub fn section_docs(lib: &Library) -> Vec<SectionDoc> {
    lib.talks()
        .iter()
        .enumerate()
        .flat_map(|(t, talk)| talk.sections.iter().map(move |s| (t, talk, s)))
        .map(|(t, talk, s)| SectionDoc {
            talk: t as u64,
            section: s.ordinal as u64,
            title: s.title.clone(),
            body: lectern::search::normalize::plain(&s.body),
            quotes: quotes_of(talk, s.ordinal),
            alias: s
                .infographic
                .as_ref()
                .map(|i| {
                    let file = i.url.rsplit('/').next().unwrap_or("");
                    let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
                    format!("{stem} {}", i.alt)
                })
                .unwrap_or_default(),
        })
        .collect()
}

fn quotes_of(talk: &Talk, ordinal: usize) -> String {
    let quotes: Vec<&str> = talk
        .quotes
        .iter()
        .filter(|q| q.section == Some(ordinal))
        .map(|q| q.text.as_str())
        .collect();
    quotes.join("\n")
}

/// The fields of the schema, with their boosts.
#[derive(Clone, Copy)]
struct Fields {
    talk: Field,
    section: Field,
    title: Field,
    body: Field,
    quote: Field,
    alias: Field,
}

impl Fields {
    /// Text fields with lectern's boosts (`BOOSTS` in crates/lectern-core/src/search/index.rs).
    fn text(&self) -> [(Field, f32); 4] {
        [
            (self.title, 4.0),
            (self.quote, 2.0),
            (self.body, 1.0),
            (self.alias, 0.8),
        ]
    }
}

/// A built tantivy index with its reader, ready to search.
pub struct Peer {
    index: Index,
    searcher: tantivy::Searcher,
    fields: Fields,
    parser: QueryParser,
}

/// A section a hit points at: (talk, section ordinal).
pub type Found = (usize, usize);

/// How to turn a query into a tantivy query.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Mode {
    /// tantivy's `QueryParser` over the text fields (a CJK run becomes a phrase query),
    /// plus fuzzy terms for Latin words.
    Parser,
    /// Every token of the query as a term query, OR'd (a CJK run becomes its unigrams and
    /// bigrams, any of which may match), plus fuzzy terms for Latin words.
    Grams,
}

impl Peer {
    /// Indexes `docs` with one indexing thread, commits and merges into one segment.
    pub fn build(docs: &[SectionDoc]) -> tantivy::Result<Peer> {
        let mut sb = Schema::builder();
        let text = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(TOKENIZER)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        let fields = Fields {
            talk: sb.add_u64_field("talk", FAST),
            section: sb.add_u64_field("section", FAST),
            title: sb.add_text_field("title", text.clone()),
            body: sb.add_text_field("body", text.clone()),
            quote: sb.add_text_field("quote", text.clone()),
            alias: sb.add_text_field("alias", text),
        };
        let index = Index::create_in_ram(sb.build());
        index.tokenizers().register(TOKENIZER, analyzer());
        // One indexing thread, as lectern builds its index on one; 50 MB is the budget of
        // tantivy's own examples.
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 50_000_000)?;
        for d in docs {
            let mut doc = TantivyDocument::default();
            doc.add_u64(fields.talk, d.talk);
            doc.add_u64(fields.section, d.section);
            doc.add_text(fields.title, &d.title);
            doc.add_text(fields.body, &d.body);
            if !d.quotes.is_empty() {
                doc.add_text(fields.quote, &d.quotes);
            }
            if !d.alias.is_empty() {
                doc.add_text(fields.alias, &d.alias);
            }
            writer.add_document(doc)?;
        }
        writer.commit()?;
        // A library's index is built once and then only read: one segment searches fastest.
        let segments = index.searchable_segment_ids()?;
        if segments.len() > 1 {
            writer.merge(&segments).wait()?;
        }
        writer.wait_merging_threads()?;
        let searcher = index.reader()?.searcher();
        let mut parser =
            QueryParser::for_index(&index, fields.text().iter().map(|&(f, _)| f).collect());
        for (f, boost) in fields.text() {
            parser.set_field_boost(f, boost);
        }
        Ok(Peer {
            index,
            searcher,
            fields,
            parser,
        })
    }

    /// Segments of the index (1 after the merge).
    pub fn segments(&self) -> usize {
        self.searcher.segment_readers().len()
    }

    /// What tantivy reports as the size of its index files, in bytes.
    pub fn space_usage(&self) -> u64 {
        self.searcher
            .space_usage()
            .map_or(0, |u| u.total().get_bytes())
    }

    /// The best `limit` sections for `query`, best first.
    pub fn search(&self, query: &str, limit: usize, mode: Mode) -> Vec<Found> {
        let tokens = self.tokens(query);
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        match mode {
            Mode::Parser => {
                let (q, _errors) = self.parser.parse_query_lenient(query);
                clauses.push((Occur::Should, q));
            }
            Mode::Grams => {
                let mut seen: Vec<&str> = Vec::new();
                for t in &tokens {
                    if seen.contains(&t.as_str()) {
                        continue;
                    }
                    seen.push(t);
                    for (f, boost) in self.fields.text() {
                        let term = tantivy::Term::from_field_text(f, t);
                        let q = TermQuery::new(term, IndexRecordOption::WithFreqs);
                        clauses
                            .push((Occur::Should, Box::new(BoostQuery::new(Box::new(q), boost))));
                    }
                }
            }
        }
        // Latin words of four letters or more may be misspelt: one edit, two from eight
        // letters. A fuzzy match scores a constant (its boost), not BM25.
        for t in tokens.iter().filter(|t| is_latin_word(t)) {
            let n = t.chars().count();
            if n < 4 {
                continue;
            }
            let distance = if n >= 8 { 2 } else { 1 };
            for (f, boost) in self.fields.text() {
                let term = tantivy::Term::from_field_text(f, t);
                let q = FuzzyTermQuery::new(term, distance, true);
                clauses.push((Occur::Should, Box::new(BoostQuery::new(Box::new(q), boost))));
            }
        }
        if clauses.is_empty() {
            return Vec::new();
        }
        let query = BooleanQuery::new(clauses);
        let top = self
            .searcher
            .search(&query, &TopDocs::with_limit(limit).order_by_score())
            .unwrap_or_default();
        top.into_iter()
            .filter_map(|(_, addr)| self.found(addr))
            .collect()
    }

    fn found(&self, addr: DocAddress) -> Option<Found> {
        let fast = self.searcher.segment_reader(addr.segment_ord).fast_fields();
        let talk = fast.u64("talk").ok()?.first(addr.doc_id)?;
        let section = fast.u64("section").ok()?.first(addr.doc_id)?;
        Some((talk as usize, section as usize))
    }

    /// The query's tokens as the index has them.
    fn tokens(&self, query: &str) -> Vec<String> {
        let mut analyzer = self
            .index
            .tokenizers()
            .get(TOKENIZER)
            .expect("registered at build");
        let mut out = Vec::new();
        analyzer
            .token_stream(query)
            .process(&mut |t| out.push(t.text.clone()));
        out
    }
}

fn is_latin_word(t: &str) -> bool {
    t.chars().all(|c| c.is_ascii_alphanumeric()) && t.chars().any(|c| c.is_ascii_alphabetic())
}

/// [`CjkWords`], its tokens longer than 40 bytes dropped, English words stemmed.
fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(CjkWords)
        .filter(RemoveLongFilter::limit(40))
        .filter(Stemmer::new(Language::English))
        .build()
}

/// CJK unigrams and bigrams, and lower-cased Latin (or other alphabetic) words.
///
/// Positions: the n-th CJK character of a run has position p + n for its unigram and for
/// the bigram it starts, so the query parser's phrase of a CJK run matches exactly that run.
#[derive(Clone, Copy, Default)]
pub struct CjkWords;

/// The tokens of one text, made at once.
pub struct CjkWordsStream {
    tokens: Vec<Token>,
    next: usize,
}

impl Tokenizer for CjkWords {
    type TokenStream<'a> = CjkWordsStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> CjkWordsStream {
        CjkWordsStream {
            tokens: tokenize(text),
            next: 0,
        }
    }
}

impl TokenStream for CjkWordsStream {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

fn tokenize(text: &str) -> Vec<Token> {
    let mut out = Tokens::default();
    // The word being read: its start (in bytes) and its lower-cased text.
    let mut word: Option<(usize, String)> = None;
    // The previous character, when it is CJK: its start and itself.
    let mut prev_cjk: Option<(usize, char)> = None;
    for (i, c) in text.char_indices() {
        let end = i + c.len_utf8();
        if is_cjk(c) {
            out.word(word.take(), i);
            if let Some((j, p)) = prev_cjk {
                // The bigram shares the position of its first character.
                out.push(j, end, format!("{p}{c}"), out.position - 1);
            }
            out.push(i, end, c.to_string(), out.position);
            out.position += 1;
            prev_cjk = Some((i, c));
        } else if c.is_alphanumeric() {
            prev_cjk = None;
            word.get_or_insert_with(|| (i, String::new()))
                .1
                .extend(c.to_lowercase());
        } else {
            out.word(word.take(), i);
            prev_cjk = None;
        }
    }
    out.word(word, text.len());
    out.tokens
}

/// Tokens made so far, and the position of the next one.
#[derive(Default)]
struct Tokens {
    tokens: Vec<Token>,
    position: usize,
}

impl Tokens {
    fn push(&mut self, from: usize, to: usize, text: String, position: usize) {
        self.tokens.push(Token {
            offset_from: from,
            offset_to: to,
            position,
            text,
            position_length: 1,
        });
    }

    /// Ends the word being read, if any, at byte `end`.
    fn word(&mut self, word: Option<(usize, String)>, end: usize) {
        if let Some((start, w)) = word {
            self.push(start, end, w, self.position);
            self.position += 1;
        }
    }
}

/// Han ideographs (with extension A, compatibility ideographs and the supplementary planes),
/// kana and Hangul syllables.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF
        | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_runs_give_unigrams_and_bigrams_and_latin_gives_words() {
        let t: Vec<(String, usize)> = tokenize("GPT-6 护城河")
            .into_iter()
            .map(|t| (t.text, t.position))
            .collect();
        let want = [
            ("gpt", 0),
            ("6", 1),
            ("护", 2),
            ("护城", 2),
            ("城", 3),
            ("城河", 3),
            ("河", 4),
        ];
        let want: Vec<(String, usize)> = want.iter().map(|&(s, p)| (s.to_string(), p)).collect();
        assert_eq!(t, want);
    }
}
