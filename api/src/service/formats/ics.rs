//! iCalendar (RFC 5545) text, as a phone's calendar subscribes to it.

/// iCalendar text: CRLF line ends, lines folded at 75 octets on character boundaries.
#[derive(Default)]
pub struct Ics(String);

impl Ics {
    pub fn line(&mut self, line: &str) {
        let mut width = 0;
        for ch in line.chars() {
            if width + ch.len_utf8() > 75 {
                self.0.push_str("\r\n ");
                width = 1;
            }
            self.0.push(ch);
            width += ch.len_utf8();
        }
        self.0.push_str("\r\n");
    }

    /// A text property, escaped as RFC 5545 §3.3.11 asks.
    pub fn property(&mut self, name: &str, text: &str) {
        let mut escaped = String::with_capacity(text.len());
        for ch in text.chars() {
            match ch {
                '\\' => escaped.push_str("\\\\"),
                ';' => escaped.push_str("\\;"),
                ',' => escaped.push_str("\\,"),
                '\n' => escaped.push_str("\\n"),
                '\r' => {}
                ch => escaped.push(ch),
            }
        }
        self.line(&format!("{name}:{escaped}"));
    }

    /// The text written.
    pub fn into_text(self) -> String {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_a_character() {
        let mut ics = Ics::default();
        ics.property("SUMMARY", &"思蒙国家湿地公园健身步道风雨桥".repeat(4));
        let lines: Vec<&str> = ics.0.split("\r\n").filter(|l| !l.is_empty()).collect();
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| l.len() <= 75), "{lines:?}");
        let unfolded: String = ics.0.replace("\r\n ", "");
        assert_eq!(
            unfolded.trim_end(),
            format!("SUMMARY:{}", "思蒙国家湿地公园健身步道风雨桥".repeat(4))
        );
    }

    #[test]
    fn text_is_escaped() {
        let mut ics = Ics::default();
        ics.property("SUMMARY", "a,b;c\\d\ne");
        assert_eq!(ics.0, "SUMMARY:a\\,b\\;c\\\\d\\ne\r\n");
    }
}
