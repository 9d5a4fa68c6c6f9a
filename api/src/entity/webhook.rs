//! The `webhook` table: where an organisation's notices are also posted.

use jiandu_domain::WebhookKind;
use sea_orm::entity::prelude::*;

use super::Stored;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    pub url: String,
    pub kind: Stored<WebhookKind>,
    /// The notice kinds it takes, comma-separated (`REMINDER,URGE`).
    pub kinds: String,
    /// The signing secret, when the receiver checks signatures.
    pub secret: Option<String>,
    pub created_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    /// Deleted webhooks stay, for the deliveries made to them.
    pub deleted_at: Option<DateTimeUtc>,
}

super::unrelated!();
