//! What `/reload` shows of a reload: the report.

use super::{Field, Reply};
use crate::budget::DISCORD;
use crate::changes::ReloadReport;
use crate::i18n::{Lang, Msg};
use crate::text::{char_len, escape_markdown};

/// The admin's answer to `/reload`: what changed, what failed, how long it took.
pub fn reload_report(report: &ReloadReport, lang: Lang) -> Reply {
    use crate::changes::Verdict;
    let headline = match report.verdict {
        Verdict::Applied if report.diff.is_empty() && report.warnings.is_empty() => {
            Msg::NothingChanged
        }
        Verdict::Applied => Msg::Reloaded,
        Verdict::Forced => Msg::ReloadForced,
        Verdict::KeptOld => Msg::ReloadKeptOld,
        Verdict::Failed => Msg::ReloadFailed,
    }
    .get(lang);
    let description = format!(
        "{headline}\n\n{} {} → {} · {} {} → {} · {} {} → {} · {} ms",
        Msg::Talks.get(lang),
        report.before.talks,
        report.loaded.talks,
        Msg::Sections.get(lang),
        report.before.sections,
        report.loaded.sections,
        Msg::Quotes.get(lang),
        report.diff.quotes_before,
        report.diff.quotes_after,
        report.elapsed.as_millis()
    );
    let title = Msg::ReloadTitle.get(lang);
    let d = &report.diff;
    let mut fields = Vec::new();
    // The fields share what the title and description leave of the embed's total.
    let mut room = DISCORD.embed_total - char_len(title) - char_len(&description);
    let mut list = |name: &str, items: &[String]| {
        let name = format!("{name} ({})", items.len());
        let used = char_len(&name) + 30;
        if items.is_empty() || room < used {
            return;
        }
        let cap = (DISCORD.field_value - 20).min(room - used);
        let mut value = String::new();
        for (i, item) in items.iter().enumerate() {
            let line = format!("- {}\n", escape_markdown(item));
            if char_len(&value) + char_len(&line) > cap {
                value.push_str(&format!("… +{}", items.len() - i));
                break;
            }
            value.push_str(&line);
        }
        let value = value.trim_end().to_string();
        room -= char_len(&name) + char_len(&value);
        fields.push(Field {
            name,
            value,
            inline: false,
        });
    };
    list(Msg::TalksAdded.get(lang), &d.talks_added);
    list(Msg::TalksRemoved.get(lang), &d.talks_removed);
    list(Msg::SectionsAdded.get(lang), &d.sections_added);
    list(Msg::SectionsRemoved.get(lang), &d.sections_removed);
    list(Msg::SectionsChanged.get(lang), &d.sections_changed);
    list(Msg::Problems.get(lang), &report.warnings);
    Reply {
        title: Some(title.to_string()),
        description,
        fields: fields.into_iter().take(DISCORD.fields).collect(),
        ephemeral: true,
        ..Reply::default()
    }
}
