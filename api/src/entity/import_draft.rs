//! The `import_draft` table: a previewed ledger kept for a day (docs/import.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "import_draft")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
    /// The year chosen at the preview, for dates written without one.
    pub year: Option<i32>,
    /// The names mapped to records, as JSON.
    pub mappings: String,
    pub file_name: String,
    /// The file's SHA-256, hex: a preview of the same file again replaces its draft.
    pub sha256: String,
    pub bytes: Vec<u8>,
}

super::unrelated!();
