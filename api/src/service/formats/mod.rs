//! Every file format the server writes, in one place: the ledger's sheets as .xlsx and CSV
//! ([`sheets`]), official documents as .docx ([`docx`]) and deadline feeds as iCalendar
//! ([`ics`]). Each writes what a feature hands it (ledger rows, a document, events); none reads
//! the database. (Reading an office's .xlsx ledger is the import's: `service::import`.)

pub mod docx;
pub mod ics;
pub mod sheets;

use std::borrow::Cow;

use jiandu_domain::validate::xml_can_carry;

/// `text` without the characters a .docx or .xlsx cannot carry, which inputs refuse but older
/// records may hold: a document always opens.
pub fn printable(text: &str) -> Cow<'_, str> {
    if text.chars().all(xml_can_carry) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.chars().filter(|&c| xml_can_carry(c)).collect())
    }
}
