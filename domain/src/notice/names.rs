//! How notices and documents name an organisation, number what it issues and write a day:
//! 思蒙镇人大主席团, 思人督〔2026〕3号, 2026年3月13日.

use chrono::NaiveDate;

/// The short name an organisation's documents are numbered with: its name's first character
/// (思蒙镇人大主席团 → 思), as township offices abbreviate themselves.
pub fn short_name(organization_name: &str) -> String {
    organization_name
        .chars()
        .find(|c| !c.is_whitespace())
        .map(String::from)
        .unwrap_or_default()
}

/// The body that issues an organisation's notices and bulletins: a township's (乡, 镇, 街道)
/// 人大主席团, a county's, district's or city's 人大常委会; a name that already says which is
/// kept as it is.
pub fn issuer(organization_name: &str) -> String {
    let name = organization_name.trim();
    if name.contains("人大") {
        name.to_string()
    } else if ["县", "区", "市", "州", "旗"]
        .iter()
        .any(|end| name.ends_with(end))
    {
        format!("{name}人大常委会")
    } else {
        format!("{name}人大主席团")
    }
}

/// The place an organisation is named for, without the body's words: 思蒙镇 of 思蒙镇人大主席团,
/// 丹棱县 of 丹棱县人大常委会 — what "思蒙镇第二届人民代表大会" is said of.
pub fn place(organization_name: &str) -> &str {
    let name = organization_name.trim();
    [
        "人民代表大会常务委员会",
        "人民代表大会主席团",
        "人民代表大会",
        "人大常委会",
        "人大主席团",
        "人大",
    ]
    .iter()
    .find_map(|body| name.strip_suffix(body))
    .map(str::trim_end)
    .filter(|place| !place.is_empty())
    .unwrap_or(name)
}

/// A supervision order's number: `思人督〔2026〕3号`.
pub fn order_number(short_name: &str, year: i32, sequence: i32) -> String {
    format!("{short_name}人督〔{year}〕{sequence}号")
}

/// A day as documents and notices write it: 2026年3月13日.
pub fn written_date(date: NaiveDate) -> String {
    use chrono::Datelike;
    format!("{}年{}月{}日", date.year(), date.month(), date.day())
}

/// A monthly bulletin's number: `思人通〔2026〕3号`, its own sequence beside the orders'.
pub fn bulletin_number(short_name: &str, year: i32, sequence: i32) -> String {
    format!("{short_name}人通〔{year}〕{sequence}号")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_township_issues_through_its_presidium_a_county_through_its_standing_committee() {
        assert_eq!(issuer("思蒙镇"), "思蒙镇人大主席团");
        assert_eq!(issuer("双流街道"), "双流街道人大主席团");
        assert_eq!(issuer("丹棱县"), "丹棱县人大常委会");
        assert_eq!(issuer("东坡区"), "东坡区人大常委会");
        assert_eq!(issuer("思蒙镇人大主席团"), "思蒙镇人大主席团");
        assert_eq!(place("思蒙镇人大主席团"), "思蒙镇");
        assert_eq!(place("丹棱县人民代表大会常务委员会"), "丹棱县");
        assert_eq!(place(" 思蒙镇 "), "思蒙镇");
        assert_eq!(place("人大"), "人大", "nothing left is no place: kept");
    }

    #[test]
    fn an_order_is_numbered_as_an_official_document_is() {
        assert_eq!(short_name("思蒙镇人大主席团"), "思");
        assert_eq!(short_name("  县人大常委会"), "县");
        assert_eq!(order_number("思", 2026, 3), "思人督〔2026〕3号");
    }
}
