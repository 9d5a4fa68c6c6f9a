//! The `bulletin_sequence` table: the last monthly bulletin number taken, per organisation and
//! year.

super::yearly_numbers!("bulletin_sequence");
