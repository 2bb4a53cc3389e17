//! `/about`: what lectern serves and how to use it.

use super::{Answer, Context, Outcome, Spec};
use crate::reply;

pub(crate) const SPEC: Spec = Spec {
    name: "about",
    name_zh: ("关于", "關於"),
    description: "What lectern serves and how to use it",
    description_zh: ("lectern 提供什么、怎么用", "lectern 提供什麼、怎麼用"),
    options: &[],
    operators_only: false,
    menu: false,
};

pub(crate) fn answer(cx: &Context<'_>) -> Answer {
    Answer::new(reply::about(cx.library, cx.about, cx.lang), Outcome::Ok)
}
