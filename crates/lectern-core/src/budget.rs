//! How much one answer may show: the one place that holds Discord's limits (in characters: a
//! Chinese character is one character and three bytes), as a [`Budget`] a front end chooses.
//!
//! The replies are laid out for [`DISCORD`]: pages of a section, options of a menu, fields of a
//! search. A front end applies its budget where it sends: [`crate::reply::Reply::fit`] cuts every
//! text to it (after a conversion of script, which can lengthen text) and
//! [`crate::reply::Reply::limit_violations`] says what breaks it; the Discord adapter and the fake
//! Discord of the tests use [`DISCORD`], and a front end with more room (a web page) a larger one.

/// The limits of one answer, in characters (counts where it says so).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// An embed's title.
    pub title: usize,
    /// An embed's description.
    pub description: usize,
    /// How many fields one embed may have.
    pub fields: usize,
    /// A field's name.
    pub field_name: usize,
    /// A field's value.
    pub field_value: usize,
    /// An embed's footer.
    pub footer: usize,
    /// An embed's title, description, footer and fields' names and values together.
    pub embed_total: usize,
    /// A button's label.
    pub button_label: usize,
    /// How many options one select menu may offer.
    pub select_options: usize,
    /// A select option's label.
    pub select_label: usize,
    /// A select option's description.
    pub select_description: usize,
    /// The text a select menu shows before anything is picked.
    pub select_placeholder: usize,
    /// How many buttons one row holds.
    pub buttons_per_row: usize,
    /// How many rows of buttons or menus one message may have.
    pub rows: usize,
    /// How much text one page of a section holds: well under the description limit, so that a
    /// page reads comfortably and the whole embed stays under the total.
    pub page_chars: usize,
    /// How many choices one autocomplete answer may offer.
    pub choices: usize,
    /// An autocomplete choice's label.
    pub choice_label: usize,
    /// An embed's URL (`url`, `image.url`).
    pub embed_url: usize,
    /// A link button's URL.
    pub link_url: usize,
}

/// Discord's limits (its API reference, and what the real service enforces).
pub const DISCORD: Budget = Budget {
    title: 256,
    description: 4096,
    fields: 25,
    field_name: 256,
    field_value: 1024,
    footer: 2048,
    embed_total: 6000,
    button_label: 80,
    select_options: 25,
    select_label: 100,
    select_description: 100,
    select_placeholder: 150,
    buttons_per_row: 5,
    rows: 5,
    page_chars: 1800,
    choices: 25,
    choice_label: 100,
    embed_url: 2048,
    link_url: 512,
};
