//! The `suggestion_sequence` table: the last suggestion number taken, per organisation and
//! year.

super::yearly_numbers!("suggestion_sequence");
