//! Which section a summary item opens: the write-up's summary is a digest of its sections, so a
//! key point, a risk or the one-liner found by `/search` opens the section that says most of
//! what it says. Worked out once per talk and load, at its first use, never per query.

use super::Library;
use crate::model::{SectionRef, Talk};
use crate::search::HitKind;

/// Per talk: the section (an ordinal) each key point, each risk and the one-liner opens.
#[derive(Debug, Default, Clone)]
pub(super) struct Related {
    key_points: Vec<Option<usize>>,
    risks: Vec<Option<usize>>,
    one_liner: Option<usize>,
}

impl Related {
    pub(super) fn of(talk: &Talk) -> Related {
        let sections = SectionTerms::of(talk);
        Related {
            key_points: talk
                .summary
                .key_points
                .iter()
                .map(|k| sections.best(talk, k))
                .collect(),
            risks: talk
                .summary
                .risks
                .iter()
                .map(|r| sections.best(talk, r))
                .collect(),
            one_liner: sections.best(talk, talk.summary.one_liner.as_deref().unwrap_or("")),
        }
    }
}

impl Library {
    /// The section a summary hit of talk `talk` opens: for a key point or a risk (`item`, its
    /// index), the section other than the intro that shares most of its words, else the talk's
    /// first section (its intro when it has one); for the summary as a whole, the one-liner's.
    /// `None` for a section hit (it opens its own section) or a talk with no sections.
    pub fn related_section(
        &self,
        talk: usize,
        kind: HitKind,
        item: Option<usize>,
    ) -> Option<SectionRef> {
        let related = self
            .related
            .get(talk)?
            .get_or_init(|| Related::of(&self.talks[talk]));
        let section = match kind {
            HitKind::Section => return None,
            HitKind::KeyPoint => *related.key_points.get(item?)?,
            HitKind::Risk => *related.risks.get(item?)?,
            HitKind::Summary => related.one_liner,
        };
        Some(SectionRef {
            talk,
            section: section?,
        })
    }
}

type Terms = rustc_hash::FxHashSet<String>;

/// The words of each section but the intro, by title and body, to compare summary items with.
struct SectionTerms(Vec<(usize, Terms, Terms)>);

impl SectionTerms {
    fn of(talk: &Talk) -> SectionTerms {
        SectionTerms(
            talk.sections
                .iter()
                .filter(|s| !s.intro)
                .map(|s| (s.ordinal, terms(&s.title), terms(&s.body)))
                .collect(),
        )
    }

    /// The section that shares most of `text`'s words, each weighted by how few sections have
    /// it and three times in a title; else the talk's first section.
    fn best(&self, talk: &Talk, text: &str) -> Option<usize> {
        let wanted = terms(text);
        let n = self.0.len() as f32;
        let score = |(_, title, body): &(usize, Terms, Terms)| -> f32 {
            wanted
                .iter()
                .filter(|w| title.contains(*w) || body.contains(*w))
                .map(|w| {
                    let df = self
                        .0
                        .iter()
                        .filter(|(_, t, b)| t.contains(w) || b.contains(w))
                        .count() as f32;
                    let idf = (1.0 + n / df).ln();
                    if title.contains(w) { 3.0 * idf } else { idf }
                })
                .sum()
        };
        let best = self
            .0
            .iter()
            .map(|s| (s.0, score(s)))
            .filter(|&(_, sc)| sc > 0.0)
            .fold(None::<(usize, f32)>, |best, (o, sc)| match best {
                Some((_, b)) if b >= sc => best,
                _ => Some((o, sc)),
            })
            .map(|(o, _)| o);
        best.or_else(|| (!talk.sections.is_empty()).then_some(0))
    }
}

/// Latin words of three letters or more and pairs of Han characters, lower-cased, of the text
/// without its Markdown.
fn terms(s: &str) -> Terms {
    let s = crate::search::normalize::plain(s).to_lowercase();
    let chars: Vec<char> = s.chars().collect();
    let mut out: Terms = chars
        .windows(2)
        .filter(|w| crate::text::is_cjk(w[0]) && crate::text::is_cjk(w[1]))
        .map(|w| w.iter().collect())
        .collect();
    out.extend(
        s.split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| w.len() >= 3)
            .map(str::to_string),
    );
    out
}

#[cfg(test)]
mod tests {
    use crate::library::Library;
    use crate::parse::parse_talk;
    use crate::search::HitKind;

    #[test]
    fn a_key_point_opens_the_section_that_says_it_and_a_section_hit_none() {
        let md = include_str!("../../../../tests/fixtures/layouts/english-talk-wrapper.md");
        let (talk, _) = parse_talk("english-talk-wrapper", md);
        assert!(
            talk.summary.key_points[0].starts_with("Restore one production database"),
            "{:?}",
            talk.summary
        );
        let drill = talk
            .sections
            .iter()
            .find(|s| s.title.contains("The restore drill"))
            .expect("section")
            .ordinal;
        assert_ne!(drill, 0);
        let lib = Library::from_talks(vec![talk]);
        let opened = |item| {
            lib.related_section(0, HitKind::KeyPoint, Some(item))
                .map(|r| r.section)
        };
        // "Restore one production database every Friday": the drill's section says it.
        assert_eq!(opened(0), Some(drill));
        assert_eq!(lib.related_section(0, HitKind::Section, None), None);
        assert_eq!(lib.related_section(0, HitKind::KeyPoint, Some(99)), None);
    }
}
