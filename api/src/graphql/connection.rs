//! Relay connections: `edges{cursor node}`, `nodes`, `pageInfo{hasNextPage endCursor}`,
//! `totalCount`.

use async_graphql::SimpleObject;

use crate::service::page::Page;

#[derive(SimpleObject, Clone)]
pub struct PageInfo {
    pub has_next_page: bool,
    pub end_cursor: Option<String>,
}

/// `From<View>` for a GraphQL object that shows one service view (`pub struct Finding(pub
/// FindingView)`), so a resolver answers with `service_call(..).await.answer()`.
macro_rules! shows {
    ($object:ident: $view:ty) => {
        impl From<$view> for $object {
            fn from(view: $view) -> Self {
                $object(view)
            }
        }
    };
}

pub(crate) use shows;

/// Declares `<Node>Connection` and `<Node>Edge` for a node type.
macro_rules! connection {
    ($connection:ident, $edge:ident, $node:ty) => {
        #[derive(async_graphql::SimpleObject)]
        pub struct $edge {
            pub cursor: String,
            pub node: $node,
        }

        #[derive(async_graphql::SimpleObject)]
        pub struct $connection {
            pub edges: Vec<$edge>,
            pub nodes: Vec<$node>,
            pub page_info: $crate::graphql::connection::PageInfo,
            pub total_count: i64,
        }

        impl<V> From<$crate::service::page::Page<V>> for $connection
        where
            $node: From<V>,
            V: Clone,
        {
            fn from(page: $crate::service::page::Page<V>) -> Self {
                let page_info = $crate::graphql::connection::page_info(&page);
                let edges: Vec<$edge> = page
                    .items
                    .into_iter()
                    .map(|(cursor, view)| $edge {
                        cursor,
                        node: <$node>::from(view),
                    })
                    .collect();
                let nodes = edges.iter().map(|e| e.node.clone()).collect();
                $connection {
                    edges,
                    nodes,
                    page_info,
                    total_count: i64::try_from(page.total).unwrap_or(i64::MAX),
                }
            }
        }
    };
}
pub(crate) use connection;

pub fn page_info<T>(page: &Page<T>) -> PageInfo {
    PageInfo {
        has_next_page: page.has_next_page,
        end_cursor: page.items.last().map(|(cursor, _)| cursor.clone()),
    }
}

/// Complexity of a connection field: each of the `first` nodes costs what its selection costs.
pub fn cost(first: Option<i32>, child: usize) -> usize {
    let first = first.unwrap_or(20).clamp(1, 100) as usize;
    first.saturating_mul(child).saturating_add(1)
}
