//! How an office's names are matched to the records an organisation keeps (docs/import.md):
//! 思蒙镇社会事务办 is 社会事务办, 王 强 is 王强. A name's key leaves out spaces and punctuation
//! (full-width or not), writes full-width letters and digits as ASCII, and drops the
//! organisation's place name in front of it.

/// The place an organisation is named for: its name less 人大主席团 / 人大常委会 / 人大
/// (思蒙镇人大主席团 → 思蒙镇), as a key.
pub fn place_of(organization: &str) -> String {
    let key = plain(organization);
    ["人大主席团", "人大常委会", "人民代表大会", "人大"]
        .iter()
        .find_map(|body| key.strip_suffix(body))
        .map_or(key.clone(), str::to_string)
}

/// The key `name` is matched by, in an organisation named for `place` (see [`place_of`]).
/// A name that is only the place keeps it (the unit 思蒙镇 is not nameless).
/// A name of nothing but spaces and punctuation (—, /) is its own key, as written.
pub fn name_key(name: &str, place: &str) -> String {
    let key = plain(name);
    match key.strip_prefix(place) {
        _ if key.is_empty() => name.trim().to_string(),
        Some(rest) if !place.is_empty() && !rest.is_empty() => rest.to_string(),
        _ => key,
    }
}

/// `text` without spaces or punctuation, full-width letters and digits as ASCII, ASCII letters
/// in lower case.
fn plain(text: &str) -> String {
    text.chars()
        .map(|c| match u32::from(c) {
            // Full-width ASCII (！ … ～) is ASCII shifted by 0xFEE0.
            0xFF01..=0xFF5E => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_place_is_its_organisations_name_without_the_congress() {
        assert_eq!(place_of("思蒙镇人大主席团"), "思蒙镇");
        assert_eq!(place_of("青神县人大常委会"), "青神县");
        assert_eq!(place_of("思蒙镇"), "思蒙镇");
    }

    #[test]
    fn names_match_without_the_place_spaces_and_punctuation() {
        let place = place_of("思蒙镇人大主席团");
        let unit = name_key("社会事务办", &place);
        for written in [
            "思蒙镇社会事务办",
            "社会事务办 ",
            "思蒙镇 社会事务办",
            "社会事务办。",
            "（思蒙镇）社会事务办",
        ] {
            assert_eq!(name_key(written, &place), unit, "{written}");
        }
        assert_eq!(name_key("王　强", &place), name_key("王强", &place));
        assert_eq!(
            name_key("ＰＰＰ项目办", &place),
            name_key("ppp项目办", &place)
        );
        assert_ne!(
            name_key("社会事务办", &place),
            name_key("经济发展办", &place)
        );
        // The place alone stays a name; another place's office is another office.
        assert_eq!(name_key("思蒙镇", &place), "思蒙镇");
        assert_ne!(name_key("汉阳镇社会事务办", &place), unit);
        // Nothing but punctuation: kept as written, not one empty key for all.
        assert_ne!(name_key("—", &place), name_key("/", &place));
        assert_eq!(name_key(" — ", &place), "—");
    }
}
