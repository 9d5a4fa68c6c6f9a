//! The deputies' suggestions and the extension requests, listed from the rows kept of each
//! organisation in scope: the same filters as their SQL (a search or a deadline state is left to
//! SQL), newest first (each list's key, descending), paged with the same cursors.

use std::cmp::Reverse;
use std::sync::Arc;

use sea_orm::{ColumnTrait, QueryFilter};

use super::Store;
use super::lists::page_from;
use crate::entity::{extension_request, suggestion};
use crate::service::Ctx;
use crate::service::extensions::ExtensionKey;
use crate::service::kernel::tables::{self, Written};
use crate::service::kernel::tenant::{Owned, Readable};
use crate::service::page::{Page, PageRequest};
use crate::service::suggestions::{SuggestionFilter, SuggestionKey};
use crate::service::views::{ExtensionView, SuggestionView};

/// The rows of `E` of every organisation in `readable`, each organisation's sorted by `order`;
/// `None` when the scope is not kept.
async fn rows_of<E, K>(
    ctx: &Ctx,
    store: &Store<Arc<Vec<E::View>>>,
    readable: &Readable,
    order: fn(&E::View) -> K,
) -> Option<Vec<Arc<Vec<E::View>>>>
where
    E: Written,
    E::View: Clone,
    K: Ord,
{
    let organizations = readable.organizations();
    if !ctx.kept.covers(organizations) {
        return None;
    }
    let mut kept = Vec::with_capacity(organizations.len());
    for &org in organizations {
        let read = || async move {
            let select = E::find().filter(<E as Owned>::ORGANIZATION.eq(org));
            let mut rows = tables::all(select, ctx.db.conn()).await?;
            rows.sort_by_key(order);
            Ok(Arc::new(rows))
        };
        kept.push(store.get(ctx, org, read).await?);
    }
    Some(kept)
}

/// The page of the rows of `kept` (each organisation's, newest first by `key`) that `keep`
/// keeps, newest first across the organisations, after the cursor of `page`.
fn newest_first<V: Clone, K: Ord + serde::Serialize>(
    kept: &[Arc<Vec<V>>],
    keep: impl Fn(&V) -> bool,
    key: fn(&V) -> K,
    page: &PageRequest<K>,
) -> Page<V> {
    let mut found: Vec<&V> = kept
        .iter()
        .flat_map(|rows| rows.iter().filter(|row| keep(row)))
        .collect();
    if kept.len() > 1 {
        found.sort_by_key(|row| Reverse(key(row)));
    }
    let start = match &page.after {
        Some(after) => found.partition_point(|row| key(row) >= *after),
        None => 0,
    };
    page_from(found, start, page.first, key)
}

/// A page of the suggestions in `readable` matching `filter`, from memory; `None` to ask SQL.
pub async fn suggestions_page(
    ctx: &Ctx,
    readable: &Readable,
    filter: &SuggestionFilter,
    page: &PageRequest<SuggestionKey>,
) -> Option<Page<SuggestionView>> {
    if !filter.judged_in_memory() {
        return None;
    }
    let order = |s: &SuggestionView| Reverse(SuggestionKey::of(s));
    let kept =
        rows_of::<suggestion::Entity, _>(ctx, &ctx.kept.suggestions, readable, order).await?;
    Some(newest_first(
        &kept,
        |s| filter.matches(s),
        SuggestionKey::of,
        page,
    ))
}

/// A page of the extension requests in `readable` of `statuses` (all when `None`), from memory;
/// `None` to ask SQL.
pub async fn extensions_page(
    ctx: &Ctx,
    readable: &Readable,
    statuses: Option<&[jiandu_domain::ExtensionStatus]>,
    page: &PageRequest<ExtensionKey>,
) -> Option<Page<ExtensionView>> {
    let order = |r: &ExtensionView| Reverse(ExtensionKey::of(r));
    let kept =
        rows_of::<extension_request::Entity, _>(ctx, &ctx.kept.extensions, readable, order).await?;
    let of_status = |r: &ExtensionView| statuses.is_none_or(|list| list.contains(&r.status));
    Some(newest_first(&kept, of_status, ExtensionKey::of, page))
}
