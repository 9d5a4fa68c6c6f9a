//! Every file format the server writes, in one place: the ledger's sheets as .xlsx and CSV
//! ([`sheets`]), official documents as .docx ([`docx`]) and deadline feeds as iCalendar
//! ([`ics`]). Each writes what a feature hands it (ledger rows, a document, events); none reads
//! the database. (Reading an office's .xlsx ledger is the import's: `service::import`.)

pub mod docx;
pub mod ics;
pub mod sheets;
