//! Front matter (the `---` block pulldown-cmark hands over as a YAML metadata block), read with
//! `yaml-rust2`.
//!
//! Only the top-level mapping matters: each key with its scalar value, or the scalars of a
//! sequence under it (`tags: [a, b]`, or `- item` lines). Nested mappings are skipped.
//!
//! The YAML is read as a stream of parser events, never loaded into a document tree: a tree
//! loader expands aliases by copying, so a few lines of nested aliases (a "billion laughs")
//! would take memory exponential in the input. Here an alias is ignored, and work and memory
//! stay linear in the block.
//!
//! Strict YAML rejects some front matter people write and every other tool accepts
//! (`title: Rust: the good parts`). Such a block is read line by line as before, with a
//! warning, so what loaded before the YAML reader came in loads the same; see
//! [`read_lines`].

use yaml_rust2::parser::{Event, EventReceiver, Parser};

/// A key with its values, in document order.
pub(super) type Fields = Vec<(String, Vec<String>)>;

/// Why a block was not read as YAML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum NotYaml {
    /// The YAML parser rejected it (its message).
    Invalid(String),
    /// Valid YAML, but not a mapping at the top (a bare string, say).
    NotAMapping,
}

/// Reads the block as YAML.
pub(super) fn read_yaml(text: &str) -> Result<Fields, NotYaml> {
    let mut r = Receiver::default();
    Parser::new_from_str(text)
        .load(&mut r, false)
        .map_err(|e| NotYaml::Invalid(e.to_string()))?;
    match r.top {
        Top::Mapping | Top::Empty => Ok(r.fields),
        Top::Other => Err(NotYaml::NotAMapping),
    }
}

/// Reads a `+++` block as TOML: the top-level keys with their strings (or the strings of an
/// array), as [`read_yaml`] gives them. `None` when it is no TOML.
pub(super) fn read_toml(text: &str) -> Option<Fields> {
    let table: toml::Table = text.parse().ok()?;
    let mut fields = Fields::new();
    for (key, value) in table {
        let values: Vec<String> = match value {
            toml::Value::String(s) => vec![s],
            toml::Value::Integer(n) => vec![n.to_string()],
            toml::Value::Datetime(d) => vec![d.to_string()],
            toml::Value::Array(items) => items
                .into_iter()
                .filter_map(|v| match v {
                    toml::Value::String(s) => Some(s),
                    _ => None,
                })
                .collect(),
            _ => continue,
        };
        fields.push((key, values));
    }
    Some(fields)
}

/// The line reading lectern used before it read YAML: `key: value`, `key: [a, b]` (kept as one
/// value; the caller splits lists) and `key:` followed by `- item` lines. The first colon
/// splits the key from the value, so `title: Rust: the good parts` keeps its whole title.
pub(super) fn read_lines(text: &str) -> Fields {
    let mut fields: Fields = Vec::new();
    let mut list_open = false;
    for line in text.lines() {
        let trimmed = line.trim();
        if let Some(item) = trimmed.strip_prefix("- ") {
            if list_open && let Some((_, values)) = fields.last_mut() {
                values.push(item.to_string());
            }
            continue;
        }
        list_open = false;
        if let Some((k, v)) = trimmed.split_once(':') {
            if v.trim().is_empty() {
                list_open = true;
                fields.push((k.to_string(), Vec::new()));
            } else {
                fields.push((k.to_string(), vec![v.to_string()]));
            }
        }
    }
    fields
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum Top {
    #[default]
    Empty,
    Mapping,
    Other,
}

/// Collects the top-level mapping from parser events.
#[derive(Default)]
struct Receiver {
    top: Top,
    /// Depth of open collections: 1 inside the top mapping.
    depth: usize,
    /// The key waiting for its value, at depth 1.
    key: Option<String>,
    /// The open sequence under a top-level key collects its scalars into the last field.
    in_list: bool,
    fields: Fields,
}

impl EventReceiver for Receiver {
    fn on_event(&mut self, ev: Event) {
        match ev {
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                let is_seq = matches!(ev, Event::SequenceStart(..));
                if self.depth == 0 {
                    self.top = if is_seq { Top::Other } else { Top::Mapping };
                } else if self.depth == 1 {
                    // A collection as a value: a sequence gives a list, a mapping is skipped.
                    // A collection as a key is skipped too (and so is its value).
                    match self.key.take() {
                        Some(k) if is_seq => {
                            self.fields.push((k, Vec::new()));
                            self.in_list = true;
                        }
                        Some(_) => {}
                        None => self.key = Some(String::new()),
                    }
                }
                self.depth += 1;
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.depth = self.depth.saturating_sub(1);
                if self.depth == 1 {
                    self.in_list = false;
                }
            }
            Event::Scalar(value, ..) => match self.depth {
                0 => self.top = Top::Other,
                1 => match self.key.take() {
                    None => self.key = Some(value),
                    Some(k) if k.is_empty() => {}
                    Some(k) => self.fields.push((k, vec![value])),
                },
                2 if self.in_list => {
                    if let Some((_, values)) = self.fields.last_mut() {
                        values.push(value);
                    }
                }
                _ => {}
            },
            // An alias is never expanded (see the module header): as a value it is skipped, as
            // a key it marks its value for skipping (an empty key).
            Event::Alias(_) if self.depth == 1 => {
                self.key = match self.key.take() {
                    None => Some(String::new()),
                    Some(_) => None,
                };
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(f: &Fields) -> Vec<(&str, Vec<&str>)> {
        f.iter()
            .map(|(k, v)| (k.as_str(), v.iter().map(String::as_str).collect()))
            .collect()
    }

    #[test]
    fn scalars_flow_and_block_lists() {
        let f = read_yaml(
            "title: \"Building: Reliable\"\ndate: 2025-11-03\ntags: [a, b]\nspeakers:\n  - Ada\n  - Grace\nn: 3\n",
        )
        .unwrap();
        assert_eq!(
            pairs(&f),
            [
                ("title", vec!["Building: Reliable"]),
                ("date", vec!["2025-11-03"]),
                ("tags", vec!["a", "b"]),
                ("speakers", vec!["Ada", "Grace"]),
                ("n", vec!["3"]),
            ]
        );
    }

    #[test]
    fn nested_mappings_and_aliases_are_skipped() {
        let f = read_yaml("a: &x [1, 2]\nb: *x\nc:\n  d: 1\ne: ok\n").unwrap();
        assert_eq!(pairs(&f), [("a", vec!["1", "2"]), ("e", vec!["ok"])]);
    }

    #[test]
    fn an_unquoted_colon_is_not_yaml_but_reads_as_lines() {
        let text = "title: Rust: the good parts\ntags:\n- rust\n";
        assert!(matches!(read_yaml(text), Err(NotYaml::Invalid(_))));
        assert_eq!(
            pairs(&read_lines(text)),
            [
                ("title", vec![" Rust: the good parts"]),
                ("tags", vec!["rust"])
            ]
        );
    }

    #[test]
    fn toml_front_matter_gives_its_keys() {
        let f = read_toml(
            "path = \"x\"\ntitle = \"Maintainer spotlight\"\nauthors = [\"Jakub Beránek\", \"Lori Lorusso\"]\n[extra]\nteam = \"t\"\n",
        )
        .unwrap();
        assert!(pairs(&f).contains(&("title", vec!["Maintainer spotlight"])));
        assert!(pairs(&f).contains(&("authors", vec!["Jakub Beránek", "Lori Lorusso"])));
        assert!(!pairs(&f).iter().any(|(k, _)| *k == "team"));
        assert!(read_toml("not = = toml").is_none());
    }

    #[test]
    fn a_bare_string_is_not_a_mapping() {
        assert_eq!(read_yaml("just some notes"), Err(NotYaml::NotAMapping));
        assert_eq!(read_yaml(""), Ok(Vec::new()));
    }

    #[test]
    fn nested_aliases_stay_linear() {
        // A billion laughs: a tree loader would build 10^9 strings.
        let mut y = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for i in 1..10 {
            let p = i - 1;
            y.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        let f = read_yaml(&y).unwrap();
        assert_eq!(f.len(), 10);
        assert_eq!(f[0].1.len(), 10);
        assert!(f[1..].iter().all(|(_, v)| v.is_empty()));
    }
}
