//! The terminal's name and version, from its answer to XTVERSION (`CSI > q`):
//! `DCS > | text ST`, e.g. `kitty(0.26.5)`, `XTerm(390)`, `tmux 3.3a`, `WezTerm 20240203-…`.
//! The text comes from the terminal: clean it before printing it.

/// The text of an XTVERSION answer, from the body of a DCS string; `None` for other strings.
pub fn parse_xtversion(dcs: &str) -> Option<String> {
    let text = dcs.strip_prefix(">|")?.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

/// `kitty(0.26.5)` → (`kitty`, `0.26.5`); `tmux 3.3a` → (`tmux`, `3.3a`).
pub fn name_and_version(text: &str) -> (&str, Option<&str>) {
    if let Some((name, rest)) = text.split_once('(') {
        return (name.trim(), Some(rest.trim_end_matches(')').trim()));
    }
    match text.split_once(' ') {
        Some((name, version)) => (name, Some(version.trim())),
        None => (text, None),
    }
}

/// Whether this is a kitty too old for Unicode-placeholder images (they came in 0.28): it
/// shows the placeholder characters as boxes. An unreadable version counts as new enough.
pub fn kitty_without_placeholders(text: &str) -> bool {
    let (name, version) = name_and_version(text);
    if !name.eq_ignore_ascii_case("kitty") {
        return false;
    }
    version.and_then(major_minor).is_some_and(|version| version < (0, 28))
}

/// `0.26.5` → (0, 26); trailing letters on a part (`3.3a`) are ignored.
fn major_minor(version: &str) -> Option<(u32, u32)> {
    let mut parts = version.split('.').map(|part| {
        let digits: String = part.chars().take_while(char::is_ascii_digit).collect();
        digits.parse::<u32>().ok()
    });
    Some((parts.next()??, parts.next()??))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::answers::{Answer, scan};

    fn versions_in(bytes: &[u8]) -> Vec<String> {
        scan(bytes)
            .into_iter()
            .filter_map(|answer| match answer {
                Answer::Dcs(body) => parse_xtversion(&body),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn xtversion_answers_are_read_from_raw_bytes() {
        let bytes = b"\x1bP>|kitty(0.26.5)\x1b\\\x1bP1$r0m\x1b\\\x1bP>|tmux 3.3a\x07\x1b[0n";
        assert_eq!(versions_in(bytes), ["kitty(0.26.5)", "tmux 3.3a"]);
        assert!(versions_in(b"\x1bP>|\x1b\\\x1bP>|kitty(0.2").is_empty(), "empty or cut short");
    }

    #[test]
    fn names_and_versions_are_split() {
        assert_eq!(name_and_version("kitty(0.26.5)"), ("kitty", Some("0.26.5")));
        assert_eq!(name_and_version("XTerm(390)"), ("XTerm", Some("390")));
        assert_eq!(name_and_version("tmux 3.3a"), ("tmux", Some("3.3a")));
        assert_eq!(name_and_version("foot"), ("foot", None));
    }

    #[test]
    fn only_a_kitty_older_than_0_28_lacks_placeholders() {
        assert!(kitty_without_placeholders("kitty(0.26.5)"));
        assert!(kitty_without_placeholders("kitty(0.27.1)"));
        assert!(kitty_without_placeholders("kitty(0.9.0)"), "0.9 is older than 0.28");
        assert!(!kitty_without_placeholders("kitty(0.28.0)"));
        assert!(!kitty_without_placeholders("kitty(0.35.2)"));
        assert!(!kitty_without_placeholders("kitty(1.0)"));
        assert!(!kitty_without_placeholders("kitty(unknown)"), "unreadable: assumed new");
        assert!(!kitty_without_placeholders("kitty"));
        assert!(!kitty_without_placeholders("XTerm(390)"));
        assert!(!kitty_without_placeholders("WezTerm 20240203-110809-5046fc22"));
    }
}
