//! A look at a query document before it runs: how many aliases, selections and sign-ins it
//! holds. Depth, complexity, recursion and directives are the schema's own limits; these are the
//! shapes it does not count, which a hostile document uses to make one request do the work of
//! thousands (OWASP GraphQL Cheat Sheet: aliases, batching, fragments that double at each level).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use async_graphql::{Name, Value};

use super::carried;
use async_graphql::parser::Positioned;
use async_graphql::parser::parse_query;
use async_graphql::parser::types::{
    ExecutableDocument, FragmentDefinition, OperationType, Selection, SelectionSet,
};

/// More fragment definitions than any client of Jiandu sends.
const MAX_FRAGMENTS: usize = 64;

/// What a document asks for, counted over every operation.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Shape {
    /// Fields and fragments selected once every fragment spread is expanded in place.
    pub selections: u64,
    pub aliases: usize,
    /// `login` fields, aliased or not.
    pub logins: usize,
    /// Whether it reads the schema (`__schema`, `__type`).
    pub introspection: bool,
    /// Whether any of its operations is a mutation.
    pub mutation: bool,
    /// The first argument holding a string no document can carry (`http::carried`).
    pub uncarried: Option<String>,
}

/// The shape of `query`, or `None` when it does not parse (the executor then says why).
pub fn measure(query: &str) -> Option<Shape> {
    parse_query(query)
        .ok()
        .map(|document| measure_document(&document))
}

/// Parsed documents by their text, with their shapes: clients send the same few queries over
/// and over, and parsing is a good part of what a small query costs.
#[derive(Default)]
pub struct Documents {
    parsed: Mutex<HashMap<String, Arc<(Shape, ExecutableDocument)>>>,
}

impl Documents {
    /// Distinct documents kept; past this the cache starts over.
    const CAPACITY: usize = 512;
    /// Longer documents are parsed every time rather than kept.
    const MAX_KEPT_BYTES: usize = 8 * 1024;

    /// The document `query` and its shape, or `None` when it does not parse.
    pub fn parse(&self, query: &str) -> Option<Arc<(Shape, ExecutableDocument)>> {
        let lock = || self.parsed.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(found) = lock().get(query) {
            return Some(found.clone());
        }
        let document = parse_query(query).ok()?;
        let parsed = Arc::new((measure_document(&document), document));
        if query.len() <= Self::MAX_KEPT_BYTES {
            let mut kept = lock();
            if kept.len() >= Self::CAPACITY {
                kept.clear();
            }
            kept.insert(query.to_string(), parsed.clone());
        }
        Some(parsed)
    }
}

/// The shape of a parsed document.
pub fn measure_document(document: &ExecutableDocument) -> Shape {
    let mut shape = Shape::default();
    if document.fragments.len() > MAX_FRAGMENTS {
        shape.selections = u64::MAX;
        return shape;
    }
    let mut counter = Counter {
        fragments: &document.fragments,
        expanded: HashMap::new(),
        shape: &mut shape,
    };
    let mut selections: u64 = 0;
    for (_, operation) in document.operations.iter() {
        counter.shape.mutation |= operation.node.ty == OperationType::Mutation;
        selections = selections.saturating_add(counter.count(&operation.node.selection_set, 0));
    }
    // Fragments nobody spreads still count towards aliases and sign-ins.
    for (name, fragment) in &document.fragments {
        if !counter.expanded.contains_key(name) {
            counter.fragment(name, fragment, 0);
        }
    }
    shape.selections = selections;
    shape
}

struct Counter<'a> {
    fragments: &'a HashMap<Name, Positioned<FragmentDefinition>>,
    /// Each fragment's expanded size, once known (`None` while it is being counted: a cycle).
    expanded: HashMap<Name, Option<u64>>,
    shape: &'a mut Shape,
}

impl Counter<'_> {
    fn fragment(
        &mut self,
        name: &Name,
        fragment: &Positioned<FragmentDefinition>,
        depth: usize,
    ) -> u64 {
        match self.expanded.get(name) {
            Some(Some(size)) => return *size,
            // A cycle is the validator's to report; it adds nothing here.
            Some(None) => return 0,
            None => {}
        }
        self.expanded.insert(name.clone(), None);
        let size = self.count(&fragment.node.selection_set, depth + 1);
        self.expanded.insert(name.clone(), Some(size));
        size
    }

    /// Selections in `set` with every spread expanded. Nesting is bounded by the parser's
    /// recursion limit and fragments by [`MAX_FRAGMENTS`], so the recursion stays shallow.
    fn count(&mut self, set: &Positioned<SelectionSet>, depth: usize) -> u64 {
        let mut total: u64 = 0;
        for item in &set.node.items {
            total = total.saturating_add(1);
            match &item.node {
                Selection::Field(field) => {
                    if field.node.alias.is_some() {
                        self.shape.aliases += 1;
                    }
                    if self.shape.uncarried.is_none() {
                        self.shape.uncarried =
                            field.node.arguments.iter().find_map(|(name, value)| {
                                let value = value
                                    .node
                                    .clone()
                                    .into_const_with(|_| Ok::<_, ()>(Value::Null));
                                let value = value.ok()?;
                                carried::uncarried(name.node.as_str(), &value).map(str::to_string)
                            });
                    }
                    match field.node.name.node.as_str() {
                        "login" => self.shape.logins += 1,
                        "__schema" | "__type" => self.shape.introspection = true,
                        _ => {}
                    }
                    total = total.saturating_add(self.count(&field.node.selection_set, depth + 1));
                }
                Selection::InlineFragment(fragment) => {
                    total =
                        total.saturating_add(self.count(&fragment.node.selection_set, depth + 1));
                }
                Selection::FragmentSpread(spread) => {
                    let name = &spread.node.fragment_name.node;
                    if let Some(fragment) = self.fragments.get(name) {
                        total = total.saturating_add(self.fragment(name, fragment, depth));
                    }
                }
            }
        }
        total
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_and_sign_ins_are_counted_everywhere_in_the_document() {
        let shape = measure(
            "mutation { a: login(username:\"x\", password:\"y\"){ token } login(username:\"x\", password:\"z\"){ token } }
             fragment F on Query { p: projects { nodes { t: title } } }",
        )
        .unwrap();
        assert_eq!(shape.logins, 2);
        assert_eq!(shape.aliases, 3);
        assert_eq!(shape.selections, 4);
        assert!(!shape.introspection);
        assert!(
            measure("{ a: __type(name: \"Query\") { name } }")
                .unwrap()
                .introspection
        );
        assert_eq!(measure("{ oops"), None);
    }

    #[test]
    fn fragments_count_as_often_as_they_are_spread() {
        let mut query = String::from("query { ...F20 } fragment F0 on Query { __typename } ");
        for i in 1..=20 {
            query.push_str(&format!(
                "fragment F{i} on Query {{ ...F{} ...F{} }} ",
                i - 1,
                i - 1
            ));
        }
        let shape = measure(&query).unwrap();
        assert!(shape.selections > 1_000_000, "{}", shape.selections);
        let cycle =
            measure("query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }");
        assert_eq!(cycle.unwrap().selections, 3);
    }
}
