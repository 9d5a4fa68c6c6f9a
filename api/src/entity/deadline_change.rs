//! The `deadline_change` table: a milestone's deadline moves.

super::deadline_moves!("deadline_change", milestone_id);
