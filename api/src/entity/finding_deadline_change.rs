//! The `finding_deadline_change` table: a finding's deadline moves.

super::deadline_moves!("finding_deadline_change", finding_id);
