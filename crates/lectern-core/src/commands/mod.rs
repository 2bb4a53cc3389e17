//! The slash commands, each one unit outside any transport: what it is called and offers (its
//! [`Spec`]: name, description and options, with their Chinese localisations), how its options
//! are read into arguments and resolved against the library, and its [`Answer`].
//!
//! One file per command ([`topics`], [`topic`], [`quote`], [`search`], [`about`], [`reload`]).
//! Every front end goes through [`Command`]: the Discord adapter reads an interaction's options
//! with [`Command::read`] (poise and plain serenity hosts alike) and answers with
//! [`Command::answer`]; the CLI builds the same commands from its arguments; the catalog of every
//! reply ([`catalog`]) asks the same answers. Commands are keyed by [`Name`],
//! never matched by their (host-chosen) names.
//!
//! Invariants: an answer is built from one snapshot of the library; [`Command::answer`] never
//! fails (a name that matches nothing is a polite [`Outcome::Notice`]); `/reload` is the only
//! command whose work is not here: it needs the service that holds the library
//! ([`reload::Reload`] says what it shows of the report).

pub mod about;
pub mod catalog;
pub mod delivery;
pub mod menus;
pub mod quote;
pub mod quote_bag;
pub mod reload;
pub mod search;
pub mod settings;
pub mod topic;
pub mod topics;

use crate::i18n::{Lang, Msg};
use crate::library::{Library, Lookup, QuoteScope};
use crate::reply::{AboutInfo, Reply};
use crate::text::{escape_markdown, truncate_chars};

/// One of lectern's slash commands, by what it does (its name is the host's choice).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Name {
    /// The talks and their sections.
    Topics,
    /// One section of a talk.
    Topic,
    /// A random quote.
    Quote,
    /// Search what was said.
    Search,
    /// What lectern serves.
    About,
    /// Reload the content (operators only).
    Reload,
    /// A server's own settings (members who may manage it).
    Settings,
    /// The message menu "Search the talks": search a message's text, answered privately.
    SearchMessage,
    /// The message menu "Quote card": a card of one of lectern's quotes.
    QuoteCard,
}

impl Name {
    /// Every command, in the order Discord lists them: the slash commands, then the message
    /// menus.
    pub const ALL: [Name; 9] = [
        Name::Topics,
        Name::Topic,
        Name::Quote,
        Name::Search,
        Name::About,
        Name::Reload,
        Name::Settings,
        Name::SearchMessage,
        Name::QuoteCard,
    ];

    /// What the command is called and offers.
    pub fn spec(self) -> &'static Spec {
        match self {
            Name::Topics => &topics::SPEC,
            Name::Topic => &topic::SPEC,
            Name::Quote => &quote::SPEC,
            Name::Search => &search::SPEC,
            Name::About => &about::SPEC,
            Name::Reload => &reload::SPEC,
            Name::Settings => &settings::SPEC,
            Name::SearchMessage => &menus::SEARCH_SPEC,
            Name::QuoteCard => &menus::CARD_SPEC,
        }
    }

    /// Whether this is a message menu (right-click on a message) rather than a slash command.
    pub fn is_menu(self) -> bool {
        self.spec().menu
    }

    /// Whether this command only reads (everything but `/reload`): the ones a user may install
    /// on their own account.
    pub fn is_read_only(self) -> bool {
        !self.spec().operators_only
    }

    /// The name lectern gives the command when the host does not rename it.
    pub fn default_name(self) -> &'static str {
        self.spec().name
    }
}

/// A text in the two Chinese locales: `(zh-CN, zh-TW)`.
pub type Zh = (&'static str, &'static str);

/// What a command is called and offers, as a command picker shows it.
#[derive(Debug)]
pub struct Spec {
    /// The default name (`topics`); a host may prefix or rename it.
    pub name: &'static str,
    /// The name shown to `zh-CN` and `zh-TW` users.
    pub name_zh: Zh,
    /// The English description (the Discord default).
    pub description: &'static str,
    /// The description shown to `zh-CN` and `zh-TW` users.
    pub description_zh: Zh,
    /// The command's options, in the order they are registered.
    pub options: &'static [Opt],
    /// Only operators may run it (registered only where operators are).
    pub operators_only: bool,
    /// A message menu: its name (which may hold spaces and capitals) is shown when a message
    /// is right-clicked; it has no description or options on Discord, and reads the message's
    /// text ([`menus::TARGET_TEXT`]).
    pub menu: bool,
}

/// One option of a command.
#[derive(Debug)]
pub struct Opt {
    /// Its name as sent (`talk`), the same in every locale's payload.
    pub name: &'static str,
    /// The name shown to `zh-CN` and `zh-TW` users.
    pub name_zh: Zh,
    /// The English description (the Discord default).
    pub description: &'static str,
    /// The description shown to `zh-CN` and `zh-TW` users.
    pub description_zh: Zh,
    /// Whether it takes text or a true/false flag.
    pub kind: OptKind,
    /// Whether the command cannot be sent without it; [`Command::read`] refuses one that lacks
    /// it.
    pub required: bool,
    /// Whether the user is offered choices as they type.
    pub autocomplete: bool,
}

/// What an option holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptKind {
    /// A string the user types or picks from autocomplete (`talk:`, `query:`).
    Text,
    /// A true or false choice (`force:` of `/reload`, `private:`).
    Flag,
    /// A user of the front end, by id (`for:`).
    User,
}

/// One invocation of a command, its options read, whichever front end received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// `/topics`: the talks, or one talk's sections.
    Topics(topics::Topics),
    /// `/topic`: one section of a talk.
    Topic(topic::Topic),
    /// `/quote`: a random quote.
    Quote(quote::Quote),
    /// `/search`: ranked passages for a query.
    Search(search::Search),
    /// `/about`: what the bot serves and how to use it; it has no options.
    About,
    /// `/reload`: load the seeds folder again (operators only).
    Reload(reload::Reload),
    /// `/settings`: show or change a server's settings.
    Settings(settings::Settings),
    /// "Search the talks" on a message: `/search` of its text.
    SearchMessage(search::Search),
    /// "Quote card" on a message: the card of the quote it shows.
    QuoteCard(menus::QuoteCard),
}

/// The values a front end received, read by option name: text options and flags. A missing
/// or mistyped option reads as absent (Discord sends what the registered command declares).
pub trait Options {
    /// The text given for the option `name`, or `None` when it is absent or not text.
    fn text(&self, name: &str) -> Option<String>;
    /// The flag given for the option `name`, or `None` when it is absent or not a flag.
    fn flag(&self, name: &str) -> Option<bool>;
    /// The user given for the option `name`, by id, or `None` when it is absent or not a
    /// user (front ends without users, such as the CLI, have none).
    fn user(&self, _name: &str) -> Option<u64> {
        None
    }
}

impl Command {
    /// Reads the options of command `name` from what a front end received. A required option
    /// that is missing is an error (Discord never sends one; a stale registration might).
    pub fn read(name: Name, options: &dyn Options) -> Result<Command, ReadError> {
        for opt in name.spec().options.iter().filter(|o| o.required) {
            let given = match opt.kind {
                OptKind::Text => options.text(opt.name).is_some(),
                OptKind::Flag => options.flag(opt.name).is_some(),
                OptKind::User => options.user(opt.name).is_some(),
            };
            if !given {
                return Err(ReadError {
                    command: name,
                    option: opt.name,
                });
            }
        }
        Ok(match name {
            Name::Topics => Command::Topics(topics::Topics::read(options)),
            Name::Topic => Command::Topic(topic::Topic::read(options)),
            Name::Quote => Command::Quote(quote::Quote::read(options)),
            Name::Search => Command::Search(search::Search::read(options)),
            Name::About => Command::About,
            Name::Reload => Command::Reload(reload::Reload::read(options)),
            Name::Settings => Command::Settings(settings::Settings::read(options)),
            Name::SearchMessage => Command::SearchMessage(menus::search_read(options)),
            Name::QuoteCard => Command::QuoteCard(menus::card_read(options)),
        })
    }

    /// Which command this is.
    pub fn name(&self) -> Name {
        match self {
            Command::Topics(_) => Name::Topics,
            Command::Topic(_) => Name::Topic,
            Command::Quote(_) => Name::Quote,
            Command::Search(_) => Name::Search,
            Command::About => Name::About,
            Command::Reload(_) => Name::Reload,
            Command::Settings(_) => Name::Settings,
            Command::SearchMessage(_) => Name::SearchMessage,
            Command::QuoteCard(_) => Name::QuoteCard,
        }
    }

    /// The answer of a command that answers at once. `/reload` is answered by the service
    /// that reloads ([`reload::Reload::answer`]), `/settings` by the one that keeps state;
    /// asked here, either is an internal error.
    pub fn answer(&self, cx: &Context<'_>) -> Answer {
        match self {
            Command::Topics(c) => c.answer(cx),
            Command::Topic(c) => c.answer(cx),
            Command::Quote(c) => c.answer(cx),
            Command::Search(c) => c.answer(cx),
            Command::About => about::answer(cx),
            Command::SearchMessage(c) => menus::search_answer(c, cx),
            Command::QuoteCard(c) => c.answer(cx),
            Command::Reload(_) | Command::Settings(_) => Answer::new(
                Reply::notice(Msg::InternalError.get(cx.lang)),
                Outcome::Error,
            ),
        }
    }
}

/// A command whose options could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("/{} without its required option {option}", .command.default_name())]
pub struct ReadError {
    /// The command that was received.
    pub command: Name,
    /// The name of the required option it lacked.
    pub option: &'static str,
}

/// What a command answers: the reply, and what it means (for the metrics and the log).
#[derive(Debug, Clone)]
pub struct Answer {
    /// What the user is shown.
    pub reply: Reply,
    /// What the answer means, for the `outcome` of the metrics and the log line.
    pub outcome: Outcome,
}

impl Answer {
    /// An answer of `reply` with the `outcome` its handler states.
    pub fn new(reply: Reply, outcome: Outcome) -> Answer {
        Answer { reply, outcome }
    }

    /// A polite note for something the user asked that is not there.
    pub fn notice(reply: Reply) -> Answer {
        Answer::new(reply, Outcome::Notice)
    }
}

/// What an answer meant, as its handler states it (never inferred from how the reply looks).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The command did what it was asked: the reply is the section, list, quote or report.
    Ok,
    /// A polite ephemeral answer (no such section, nothing to search for, …).
    Notice,
    /// Someone pressed another person's button.
    NotInvoker,
    /// A button pointing at something the library no longer has.
    Stale,
    /// Not an operator, or a `/reload` sooner than `reload.min_interval_secs`.
    Refused,
    /// Flood control: the user must wait.
    Throttled,
    /// Something failed inside lectern, or sending the reply failed: the log has the details,
    /// and the user gets a short apology when one can still be sent.
    Error,
}

impl Outcome {
    /// The `outcome` label of `lectern_commands_total`: `ok`, `user_error` or `error`.
    pub fn metric(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Error => "error",
            _ => "user_error",
        }
    }

    /// The outcome's name in the log.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Notice => "notice",
            Outcome::NotInvoker => "not_invoker",
            Outcome::Stale => "stale",
            Outcome::Refused => "refused",
            Outcome::Throttled => "throttled",
            Outcome::Error => "error",
        }
    }
}

/// Who picks a quote from a pool: the bot's no-repeat bags per channel, or a plain random pick.
pub trait Draw: Sync {
    /// An index below `pool` of the quote to show from `scope` of `lib`; `None` for an empty pool.
    fn draw(&self, lib: &Library, scope: QuoteScope, pool: usize) -> Option<usize>;
}

/// A random pick, with repeats (the CLI's: each `lectern ask quote` is a new process).
#[derive(Debug, Default, Clone, Copy)]
pub struct Random;

impl Draw for Random {
    fn draw(&self, _: &Library, _: QuoteScope, pool: usize) -> Option<usize> {
        use rand::Rng;
        (pool > 0).then(|| rand::rng().random_range(0..pool))
    }
}

/// What every answer is built from.
pub struct Context<'a> {
    /// The one snapshot of the library this answer reads.
    pub library: &'a Library,
    /// The reader's language.
    pub lang: Lang,
    /// What `/about` shows that the library does not know (the version).
    pub about: &'a AboutInfo,
    /// How `/quote` picks a quote: the bot's no-repeat bags per channel, or [`Random`].
    pub draw: &'a dyn Draw,
}

impl<'a> Context<'a> {
    /// A context whose quotes are a plain random pick ([`Random`]): the CLI's, the catalog's.
    pub fn with_random(library: &'a Library, lang: Lang, about: &'a AboutInfo) -> Context<'a> {
        Context {
            library,
            lang,
            about,
            draw: &Random,
        }
    }
}

impl std::fmt::Debug for Context<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Context")
            .field("lang", &self.lang)
            .field("about", &self.about)
            .finish_non_exhaustive()
    }
}

/// The `talk` option of `/topic` and `/quote`, with its English description.
pub(crate) const fn talk_option_spec(description: &'static str) -> Opt {
    Opt {
        name: "talk",
        name_zh: ("演讲", "演講"),
        description,
        description_zh: (
            "哪个演讲：标题、讲者或日期（可自动补全，可选）",
            "哪個演講：標題、講者或日期（可自動補全，可選）",
        ),
        kind: OptKind::Text,
        required: false,
        autocomplete: true,
    }
}

/// A text option as given: trimmed, `None` when empty.
pub(crate) fn nonempty(text: Option<&str>) -> Option<&str> {
    text.map(str::trim).filter(|t| !t.is_empty())
}

/// What a user typed, as echoed back: cut and escaped.
pub(crate) fn shown(text: &str) -> String {
    escape_markdown(&truncate_chars(text, 100))
}

/// The talk a `talk:` option names (a picked value or typed text): `None` without one; `Err`
/// with the note for a name that matches no talk, or a picked talk that is gone.
pub fn talk_option(
    lib: &Library,
    talk: Option<&str>,
    lang: Lang,
) -> Result<Option<usize>, Box<Reply>> {
    let Some(text) = nonempty(talk) else {
        return Ok(None);
    };
    match lib.resolve_talk(text) {
        Lookup::Found(t) => Ok(Some(t)),
        Lookup::Gone => Err(Box::new(Reply::notice(Msg::Gone.get(lang)))),
        Lookup::NoMatch => Err(Box::new(Reply::notice(&Msg::unknown(
            Msg::UnknownTalk,
            &shown(text),
            lang,
        )))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::char_len;

    #[test]
    fn every_command_and_option_has_both_chinese_locales_within_discords_lengths() {
        let ok = |zh: Zh, max: usize| {
            [zh.0, zh.1]
                .iter()
                .all(|s| (1..=max).contains(&char_len(s)))
        };
        for name in Name::ALL {
            let spec = name.spec();
            assert!(ok(spec.name_zh, 32), "{name:?} name");
            assert!(ok(spec.description_zh, 100), "{name:?} description");
            assert!((1..=100).contains(&char_len(spec.description)), "{name:?}");
            for o in spec.options {
                assert!(ok(o.name_zh, 32), "{name:?} {}", o.name);
                assert!(ok(o.description_zh, 100), "{name:?} {}", o.name);
                assert!(
                    (1..=100).contains(&char_len(o.description)),
                    "{name:?} {}",
                    o.name
                );
            }
        }
    }

    #[test]
    fn a_command_reads_back_as_itself() {
        struct Given;
        impl Options for Given {
            fn text(&self, name: &str) -> Option<String> {
                Some(format!("<{name}>"))
            }
            fn flag(&self, _: &str) -> Option<bool> {
                Some(true)
            }
        }
        for name in Name::ALL {
            let command = Command::read(name, &Given).unwrap();
            assert_eq!(command.name(), name);
        }
        assert_eq!(
            Command::read(Name::Quote, &Given),
            Ok(Command::Quote(quote::Quote {
                talk: Some("<talk>".into()),
                topic: Some("<topic>".into()),
                speaker: Some("<speaker>".into()),
                card: true,
            }))
        );
        assert_eq!(
            Command::read(Name::Reload, &Given),
            Ok(Command::Reload(reload::Reload { force: true }))
        );
        // A required option missing is an error; an optional one reads as absent.
        struct Nothing;
        impl Options for Nothing {
            fn text(&self, _: &str) -> Option<String> {
                None
            }
            fn flag(&self, _: &str) -> Option<bool> {
                None
            }
        }
        let missing = Command::read(Name::Topic, &Nothing).unwrap_err();
        assert_eq!(
            missing.to_string(),
            "/topic without its required option section"
        );
        assert!(Command::read(Name::Search, &Nothing).is_err());
        assert_eq!(
            Command::read(Name::Quote, &Nothing),
            Ok(Command::Quote(quote::Quote::default()))
        );
    }
}
