//! A reply cut to a [`Budget`]: every text within its limit, the embed within its total.

use super::{Component, Reply};
use crate::budget::Budget;
use crate::text::{char_len, truncate_chars};

impl Reply {
    /// This reply within `budget`: each text cut (with "…") to its limit, then what is over
    /// the embed's total cut off the description first, then the footer, then the fields from
    /// the last (a field whose value would be left empty goes whole: Discord refuses an empty
    /// value). The title stays: it names what is shown. Nothing but text changes.
    #[must_use]
    pub fn fit(self, budget: &Budget) -> Reply {
        let mut reply = self.map_texts(budget, truncate_chars);
        fit_embed_total(&mut reply, budget.embed_total);
        reply
    }

    /// Every text a reader sees, through `f(text, its limit in budget)`.
    pub(super) fn map_texts(mut self, b: &Budget, f: impl Fn(&str, usize) -> String) -> Reply {
        self.title = self.title.map(|t| f(&t, b.title));
        self.description = f(&self.description, b.description);
        self.footer = self.footer.map(|t| f(&t, b.footer));
        for field in &mut self.fields {
            field.name = f(&field.name, b.field_name);
            field.value = f(&field.value, b.field_value);
        }
        for c in &mut self.components {
            match c {
                Component::Buttons { buttons } => {
                    for button in buttons {
                        button.label = f(&button.label, b.button_label);
                    }
                }
                Component::Select {
                    placeholder,
                    options,
                } => {
                    *placeholder = f(placeholder, b.select_placeholder);
                    for o in options {
                        o.label = f(&o.label, b.select_label);
                        o.description =
                            o.description.as_deref().map(|d| f(d, b.select_description));
                    }
                }
            }
        }
        self
    }
}

/// Cuts what is over the embed's total `limit` (see [`Reply::fit`]).
fn fit_embed_total(reply: &mut Reply, limit: usize) {
    let total = reply.title.as_deref().map_or(0, char_len)
        + char_len(&reply.description)
        + reply.footer.as_deref().map_or(0, char_len)
        + reply
            .fields
            .iter()
            .map(|f| char_len(&f.name) + char_len(&f.value))
            .sum::<usize>();
    let mut over = total.saturating_sub(limit);
    cut(&mut reply.description, &mut over);
    if let Some(footer) = &mut reply.footer {
        cut(footer, &mut over);
        if footer.is_empty() {
            reply.footer = None;
        }
    }
    while over > 0 {
        let Some(last) = reply.fields.last_mut() else {
            break;
        };
        // Keep at least the value's first character and its cut mark.
        if char_len(&last.value) > over + 1 {
            cut(&mut last.value, &mut over);
        } else {
            over = over.saturating_sub(char_len(&last.name) + char_len(&last.value));
            reply.fields.pop();
        }
    }
}

/// Shortens `s` by up to `over` characters (taking them off `over`).
fn cut(s: &mut String, over: &mut usize) {
    if *over == 0 {
        return;
    }
    let len = char_len(s);
    let keep = len.saturating_sub(*over);
    let cut = truncate_chars(s, keep);
    *over -= len - char_len(&cut);
    *s = cut;
}
