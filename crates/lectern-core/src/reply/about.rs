//! `/about`: what lectern serves and how to use it.

use super::{Field, Reply, source_text, source_url};
use crate::budget::DISCORD;
use crate::i18n::{Lang, Msg};
use crate::library::Library;
use crate::model::Talk;
use crate::text::{char_len, escape_markdown, truncate_chars};

/// Facts for `/about` that the library does not know.
#[derive(Debug, Clone, Default)]
pub struct AboutInfo {
    /// The version `/about` shows, as `lectern 0.1.0` (for this build, the crate's version).
    pub version: String,
}

impl AboutInfo {
    /// What this build of lectern says of itself.
    pub fn of_this_build() -> AboutInfo {
        AboutInfo {
            version: env!("CARGO_PKG_VERSION").to_string(),
        }
    }
}

/// `/about`: what the bot serves and how to use it.
pub fn about(lib: &Library, info: &AboutInfo, lang: Lang) -> Reply {
    let c = lib.counts();
    let mut fields = vec![
        Field {
            name: Msg::Talks.get(lang).into(),
            value: c.talks.to_string(),
            inline: true,
        },
        Field {
            name: Msg::Sections.get(lang).into(),
            value: c.sections.to_string(),
            inline: true,
        },
        Field {
            name: Msg::Quotes.get(lang).into(),
            value: c.quotes.to_string(),
            inline: true,
        },
    ];
    let description = format!("{}\n\n{}", Msg::AboutIntro.get(lang), Msg::Usage.get(lang));
    let title = Msg::AboutTitle.get(lang);
    let version = Field {
        name: Msg::Version.get(lang).into(),
        value: format!("lectern {}", info.version),
        inline: true,
    };
    // What the write-ups say about themselves, talk by talk, while the embed has room: the
    // counts and the version take what they take, each talk's fields share the rest.
    let used = |fields: &[Field]| {
        char_len(title)
            + char_len(&description)
            + fields
                .iter()
                .chain([&version])
                .map(|f| char_len(&f.name) + char_len(&f.value))
                .sum::<usize>()
    };
    let mut omitted = 0;
    for talk in lib.talks() {
        let talk_fields = talk_summary_fields(talk, lang);
        let fits = used(&fields)
            + talk_fields
                .iter()
                .map(|f| char_len(&f.name) + char_len(&f.value))
                .sum::<usize>()
            <= DISCORD.embed_total - 100
            && fields.len() + talk_fields.len() < DISCORD.fields;
        if fits && omitted == 0 {
            fields.extend(talk_fields);
        } else {
            omitted += 1;
        }
    }
    let mut description = description;
    if omitted > 0 {
        description.push_str("\n\n");
        description.push_str(&Msg::more_talks(omitted, lang));
    }
    fields.push(Field {
        name: Msg::Version.get(lang).into(),
        value: format!("lectern {}", info.version),
        inline: true,
    });
    Reply {
        title: Some(title.into()),
        description,
        fields,
        ..Reply::default()
    }
}

/// A talk as its write-up sums it up: its title with its source and one-line summary, its key
/// points, its risks and its related topics; each part only when the write-up has it, each
/// value within a field's limit.
fn talk_summary_fields(talk: &Talk, lang: Lang) -> Vec<Field> {
    let mut head = Vec::new();
    match (source_url(talk), source_text(talk)) {
        (Some(url), _) => head.push(format!("<{url}>")),
        (None, Some(text)) => head.push(format!("{}: {text}", Msg::Source.get(lang))),
        _ => {}
    }
    if let Some(one) = &talk.summary.one_liner {
        head.push(one.clone());
    }
    let mut fields = vec![Field {
        name: truncate_chars(&talk.title, DISCORD.field_name),
        value: truncate_chars(
            &if head.is_empty() {
                format!("{} · {}", talk.sections.len(), Msg::Sections.get(lang))
            } else {
                head.join("\n")
            },
            DISCORD.field_value,
        ),
        inline: false,
    }];
    let related = talk
        .tags()
        .map(escape_markdown)
        .collect::<Vec<_>>()
        .join(" · ");
    for (msg, value) in [
        (Msg::KeyPoints, bullets(&talk.summary.key_points)),
        (Msg::Risks, bullets(&talk.summary.risks)),
        (Msg::Related, truncate_chars(&related, DISCORD.field_value)),
    ] {
        if !value.trim().is_empty() {
            fields.push(Field {
                name: msg.get(lang).into(),
                value,
                inline: false,
            });
        }
    }
    fields
}

/// Items as a Markdown list of at most a field value's length: whole items while they fit,
/// then `… +N`.
fn bullets(items: &[String]) -> String {
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        let line = format!("- {}\n", item.replace('\n', " "));
        let tail = format!("… +{}", items.len() - i);
        if char_len(&out) + char_len(&line) + char_len(&tail) > DISCORD.field_value {
            if out.is_empty() {
                // One item longer than a field: cut it.
                out = truncate_chars(&line, DISCORD.field_value - char_len(&tail) - 1);
                out.push('\n');
                if i + 1 < items.len() {
                    out.push_str(&format!("… +{}", items.len() - i - 1));
                }
            } else {
                out.push_str(&tail);
            }
            return out.trim_end().to_string();
        }
        out.push_str(&line);
    }
    out.trim_end().to_string()
}
