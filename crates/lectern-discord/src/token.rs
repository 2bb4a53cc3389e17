//! The bot token and where it comes from.
//!
//! Invariant: the token lives only in a [`Token`], whose `Debug` and `Display` print
//! `[redacted]`; it is never logged, nor put in an error. Only the gateway module reads it
//! (`Token::expose`), to hand it to serenity.

use std::fmt;
use std::path::PathBuf;

/// The bot token. Its `Debug` and `Display` never show it.
#[derive(Clone)]
pub struct Token(String);

impl Token {
    /// A token given as it is, with surrounding whitespace (a file's trailing newline) removed.
    pub fn new(token: impl Into<String>) -> Token {
        Token(token.into().trim().to_string())
    }

    /// Reads `DISCORD_TOKEN`, or else the file named by `DISCORD_TOKEN_FILE`.
    pub fn from_env() -> Result<Token, TokenError> {
        Token::from_sources(
            std::env::var("DISCORD_TOKEN").ok(),
            std::env::var_os("DISCORD_TOKEN_FILE").map(PathBuf::from),
        )
    }

    /// Like [`Token::from_env`] with the values given (for tests).
    pub fn from_sources(var: Option<String>, file: Option<PathBuf>) -> Result<Token, TokenError> {
        if let Some(t) = var.filter(|t| !t.trim().is_empty()) {
            return Ok(Token::new(t));
        }
        let Some(path) = file.filter(|p| !p.as_os_str().is_empty()) else {
            return Err(TokenError::Missing);
        };
        let text = std::fs::read_to_string(&path).map_err(|e| TokenError::File {
            path: path.clone(),
            reason: e.kind().to_string(),
        })?;
        if text.trim().is_empty() {
            return Err(TokenError::File {
                path,
                reason: "the file is empty".into(),
            });
        }
        Ok(Token::new(text))
    }

    /// The token itself, for serenity only.
    pub(super) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token([redacted])")
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// Why there is no token. The messages say how to provide one and never contain it.
#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    /// Neither `DISCORD_TOKEN` nor `DISCORD_TOKEN_FILE` is set (an empty value counts as unset).
    #[error(
        "no Discord bot token: set DISCORD_TOKEN to it, or DISCORD_TOKEN_FILE to a file that holds it"
    )]
    Missing,
    /// `DISCORD_TOKEN` is unset or blank, and the file `DISCORD_TOKEN_FILE` names cannot be read
    /// or is empty.
    #[error("cannot read DISCORD_TOKEN_FILE ({}): {reason}", path.display())]
    File {
        /// The file `DISCORD_TOKEN_FILE` names.
        path: PathBuf,
        /// What went wrong: the kind of I/O error, or that the file is empty.
        reason: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_never_shows() {
        let t = Token::new("  secret.token.value\n");
        assert_eq!(t.expose(), "secret.token.value");
        assert!(!format!("{t:?} {t}").contains("secret"));
    }

    #[test]
    fn the_token_comes_from_the_variable_then_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("token");
        std::fs::write(&file, "from-file\n").unwrap();
        let t = Token::from_sources(Some("from-var".into()), Some(file.clone())).unwrap();
        assert_eq!(t.expose(), "from-var");
        let t = Token::from_sources(None, Some(file)).unwrap();
        assert_eq!(t.expose(), "from-file");
        let e = Token::from_sources(None, None).unwrap_err().to_string();
        assert!(
            e.contains("DISCORD_TOKEN") && e.contains("DISCORD_TOKEN_FILE"),
            "{e}"
        );
        let e = Token::from_sources(Some(" ".into()), Some(dir.path().join("nope"))).unwrap_err();
        assert!(e.to_string().contains("nope"), "{e}");
    }
}
