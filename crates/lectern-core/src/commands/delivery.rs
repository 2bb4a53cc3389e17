//! How an answer is delivered: in public (with a delete button, and addressed to someone with
//! `for:`) or privately (`private:`, with a button that posts it to the channel). The options
//! `private:` and `for:` are shared by `/topics` (private only), `/topic`, `/quote` and
//! `/search`; [`Delivery::read`] reads them and [`Delivery::apply`] puts the buttons, the
//! mention and the note on the reply, so every front end delivers alike.
//!
//! Invariants: a notice (already private, [`Reply::ephemeral`]) is left as it is; a public
//! answer names at most the one user of `for:` ([`Reply::mention`]) and always carries a
//! delete button; a private answer mentions nobody and carries the "post" button.

use super::{Name, Opt, OptKind, Options};
use crate::budget::DISCORD;
use crate::i18n::{Lang, Msg};
use crate::reply::Action;
use crate::reply::{Button, Component, Reply};

/// `private:`: answer only to the one who asked.
pub const PRIVATE: Opt = Opt {
    name: "private",
    name_zh: ("仅自己可见", "僅自己可見"),
    description: "Show the answer only to you, with a button to post it to the channel",
    description_zh: (
        "只给你看，可以再按按钮发到频道",
        "只給你看，可以再按按鈕發到頻道",
    ),
    kind: OptKind::Flag,
    required: false,
    autocomplete: false,
};

/// `for:`: the public answer begins with this user's mention, and pings only them.
pub const FOR: Opt = Opt {
    name: "for",
    name_zh: ("给谁", "給誰"),
    description: "Address the answer to someone: it mentions and pings only them",
    description_zh: (
        "把回复发给某人：只提及并通知这个人",
        "把回覆發給某人：只提及並通知這個人",
    ),
    kind: OptKind::User,
    required: false,
    autocomplete: false,
};

/// How one answer is delivered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Delivery {
    /// Shown only to the one who asked, with a button to post it.
    pub private: bool,
    /// The user the answer is for (`for:`), by id.
    pub for_user: Option<u64>,
}

impl Delivery {
    /// A public answer for no one in particular.
    pub const PUBLIC: Delivery = Delivery {
        private: false,
        for_user: None,
    };

    /// A private answer.
    pub const PRIVATE: Delivery = Delivery {
        private: true,
        for_user: None,
    };

    /// `private:` and `for:` of command `name`, as given; a command without `private:` given
    /// answers as `private_by_default` says (a server's setting; `false` for every server
    /// today). The message menus always answer privately; commands without these options
    /// (`/about`) publicly.
    pub fn read(name: Name, options: &dyn Options, private_by_default: bool) -> Delivery {
        let spec = name.spec();
        let has = |o: &Opt| spec.options.iter().any(|x| x.name == o.name);
        let private = if spec.menu {
            true
        } else if has(&PRIVATE) {
            options.flag(PRIVATE.name).unwrap_or(private_by_default)
        } else {
            false
        };
        let for_user = if has(&FOR) {
            options.user(FOR.name)
        } else {
            None
        };
        Delivery { private, for_user }
    }

    /// The same, but private: where the answer cannot be posted (an app installed by a user,
    /// used where it is not a member).
    #[must_use]
    pub fn privately(self) -> Delivery {
        Delivery {
            private: true,
            ..self
        }
    }

    /// `reply` as delivered: private with the "post" button (and, when it was for someone, the
    /// note that nobody was pinged), or public with the delete button and the mention. A
    /// notice is left as it is.
    pub fn apply(self, mut reply: Reply, lang: Lang) -> Reply {
        if reply.ephemeral {
            return reply;
        }
        let (label, action) = if self.private {
            reply.ephemeral = true;
            if self.for_user.is_some() {
                reply.note = Some(Msg::PrivateForNote.get(lang).to_string());
            }
            (Msg::PostToChannel, Action::Share)
        } else {
            reply.mention = self.for_user;
            (Msg::Delete, Action::Delete)
        };
        add_button(
            &mut reply,
            Button {
                label: label.get(lang).to_string(),
                action,
                disabled: false,
            },
        );
        reply
    }
}

/// Adds `button` to the last row of buttons when it has room (five to a row), else in a row
/// of its own.
fn add_button(reply: &mut Reply, button: Button) {
    if let Some(Component::Buttons { buttons }) = reply.components.last_mut()
        && buttons.len() % DISCORD.buttons_per_row != 0
    {
        buttons.push(button);
        return;
    }
    reply.components.push(Component::Buttons {
        buttons: vec![button],
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Given(Option<bool>, Option<u64>);
    impl Options for Given {
        fn text(&self, _: &str) -> Option<String> {
            None
        }
        fn flag(&self, name: &str) -> Option<bool> {
            (name == "private").then_some(self.0).flatten()
        }
        fn user(&self, name: &str) -> Option<u64> {
            (name == "for").then_some(self.1).flatten()
        }
    }

    fn buttons(r: &Reply) -> Vec<&Action> {
        r.components
            .iter()
            .flat_map(|c| match c {
                Component::Buttons { buttons } => buttons.iter().map(|b| &b.action).collect(),
                Component::Select { .. } => Vec::new(),
            })
            .collect()
    }

    #[test]
    fn options_are_read_with_the_servers_default() {
        let d = Delivery::read(Name::Quote, &Given(None, Some(7)), false);
        assert_eq!(
            d,
            Delivery {
                private: false,
                for_user: Some(7)
            }
        );
        assert!(Delivery::read(Name::Quote, &Given(None, None), true).private);
        assert!(!Delivery::read(Name::Quote, &Given(Some(false), None), true).private);
        // /topics has no for:, /about neither option, the menus are always private.
        assert_eq!(
            Delivery::read(Name::Topics, &Given(Some(true), Some(7)), false).for_user,
            None
        );
        assert_eq!(
            Delivery::read(Name::About, &Given(Some(true), Some(7)), true),
            Delivery::PUBLIC
        );
        assert!(Delivery::read(Name::SearchMessage, &Given(None, None), false).private);
    }

    #[test]
    fn public_answers_get_a_delete_button_and_private_ones_a_post_button() {
        let answer = Reply {
            description: "d".into(),
            ..Reply::default()
        };
        let public = Delivery {
            private: false,
            for_user: Some(7),
        }
        .apply(answer.clone(), Lang::En);
        assert_eq!((public.mention, public.ephemeral), (Some(7), false));
        assert_eq!(buttons(&public), [&Action::Delete]);
        let private = Delivery {
            private: true,
            for_user: Some(7),
        }
        .apply(answer, Lang::En);
        assert_eq!((private.mention, private.ephemeral), (None, true));
        assert!(private.note.is_some());
        assert_eq!(buttons(&private), [&Action::Share]);
        let notice = Reply::notice("n");
        assert_eq!(Delivery::PUBLIC.apply(notice.clone(), Lang::En), notice);
    }
}
