//! The `notice_sequence` table: the last supervision order number taken, per organisation and
//! year.

super::yearly_numbers!("notice_sequence");
