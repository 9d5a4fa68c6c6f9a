//! The `resolution_sequence` table: the last resolution number taken, per organisation and year.

super::yearly_numbers!("resolution_sequence");
