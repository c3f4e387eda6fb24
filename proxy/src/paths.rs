//! Checking what a client put in the path before it is used for anything.

use regex::Regex;

use crate::config::ConfigError;

/// Longest session key considered at all.
const MAX_KEY_LEN: usize = 128;

/// Why a session key was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyError {
    /// Looks like an attempt to leave the path segment (`..`, `/`, `\`, percent-encoding).
    Traversal,
    /// Anything else that does not match the session pattern.
    Invalid,
}

/// The session-key rule: a fixed safe alphabet first, then the configured pattern.
pub(crate) struct SessionKeyRule {
    pattern: Regex,
}

impl SessionKeyRule {
    /// Compiles `pattern`, anchored at both ends whatever the user wrote, so that it cannot match a
    /// mere part of the key.
    pub(crate) fn new(pattern: &str) -> Result<SessionKeyRule, ConfigError> {
        let pattern = Regex::new(&format!("^(?:{pattern})$"))
            .map_err(|e| ConfigError(format!("--session-pattern is not a valid regex: {e}")))?;
        Ok(SessionKeyRule { pattern })
    }

    /// Checks the raw (still percent-encoded) last path segment.
    ///
    /// Whatever `--session-pattern` says, a key is only ever made of ASCII letters, digits, `-` and
    /// `_`: that is what makes it safe to put into the upstream URL and a fixture file name.
    pub(crate) fn check<'a>(&self, raw: &'a str) -> Result<&'a str, KeyError> {
        if raw.contains("..") || raw.contains(['/', '\\', '%']) {
            return Err(KeyError::Traversal);
        }
        let safe_alphabet = raw.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if raw.is_empty() || raw.len() > MAX_KEY_LEN || !safe_alphabet {
            return Err(KeyError::Invalid);
        }
        if self.pattern.is_match(raw) {
            Ok(raw)
        } else {
            Err(KeyError::Invalid)
        }
    }
}

/// Percent-decodes one path segment; `None` for a broken escape or bytes that are not UTF-8.
pub(crate) fn percent_decode(segment: &str) -> Option<String> {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hi = bytes.get(i + 1).and_then(|c| (*c as char).to_digit(16))?;
            let lo = bytes.get(i + 2).and_then(|c| (*c as char).to_digit(16))?;
            out.push(u8::try_from(hi * 16 + lo).ok()?);
            i += 3;
        } else {
            out.push(b);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::config::DEFAULT_SESSION_PATTERN;

    #[test]
    fn default_pattern() {
        let rule = SessionKeyRule::new(DEFAULT_SESSION_PATTERN).unwrap();
        assert_eq!(rule.check("UDB-512D3TASIY"), Ok("UDB-512D3TASIY"));
        for bad in ["udb-512D3TASIY", "UDB-512D3TASI", "UDB-512D3TASIYX", "UDB_512D3TASIY", "", "UDB-512D3TASIY "] {
            assert_eq!(rule.check(bad), Err(KeyError::Invalid), "{bad:?}");
        }
    }

    #[test]
    fn traversal_is_refused_whatever_the_pattern() {
        let rule = SessionKeyRule::new(".*").unwrap();
        for bad in ["..", "..%2F..%2Fetc", "a/b", "a%2fb", "a\\b", "%2e%2e", "x..y"] {
            assert_eq!(rule.check(bad), Err(KeyError::Traversal), "{bad:?}");
        }
        for bad in ["a.b", "a?b", "a b", "é", &"A".repeat(129)] {
            assert_eq!(rule.check(bad), Err(KeyError::Invalid), "{bad:?}");
        }
        assert_eq!(rule.check("anything-goes_1"), Ok("anything-goes_1"));
    }

    #[test]
    fn patterns_are_anchored() {
        let rule = SessionKeyRule::new("[A-Z]{3}").unwrap();
        assert!(rule.check("ABC").is_ok());
        assert!(rule.check("ABCD").is_err());
        let alternation = SessionKeyRule::new("AAA|BBB").unwrap();
        assert!(alternation.check("AAAX").is_err());
        assert!(SessionKeyRule::new("(").is_err());
    }

    #[test]
    fn decoding() {
        assert_eq!(percent_decode("a%20b").unwrap(), "a b");
        assert_eq!(percent_decode("%2F").unwrap(), "/");
        assert_eq!(percent_decode("%C3%A9").unwrap(), "é");
        assert!(percent_decode("%").is_none());
        assert!(percent_decode("%zz").is_none());
        assert!(percent_decode("%ff").is_none());
    }
}
