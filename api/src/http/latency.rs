//! Request latency per GraphQL operation name, as Prometheus histograms on `/metrics`. A name is
//! what the client chose (`query Dashboard { … }`), so it is kept only when it looks like one
//! (letters, digits and `_`, at most 64) and only for the first [`MOST_NAMES`] names seen; the
//! rest count under `other`, and unnamed operations under `anonymous`.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::Duration;

/// Upper bounds of the buckets, in seconds.
const BUCKETS: [f64; 13] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];
/// Distinct operation names kept apart.
const MOST_NAMES: usize = 100;

#[derive(Default, Clone)]
struct Histogram {
    /// Observations at or below each bucket's bound (not cumulative; summed when printed).
    buckets: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

#[derive(Default)]
pub struct Latencies {
    by_operation: Mutex<BTreeMap<String, Histogram>>,
}

/// The label an operation name is counted under.
fn label(name: Option<&str>, known: &BTreeMap<String, Histogram>) -> String {
    let Some(name) = name.filter(|n| !n.is_empty()) else {
        return "anonymous".into();
    };
    let plain = name.len() <= 64 && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    let named = known
        .keys()
        .filter(|k| !["anonymous", "other"].contains(&k.as_str()))
        .count();
    if plain && (known.contains_key(name) || named < MOST_NAMES) {
        name.to_string()
    } else {
        "other".into()
    }
}

impl Latencies {
    pub fn observe(&self, operation: Option<&str>, took: Duration) {
        let mut by_operation = self.by_operation.lock().unwrap_or_else(|p| p.into_inner());
        let label = label(operation, &by_operation);
        let histogram = by_operation.entry(label).or_default();
        let seconds = took.as_secs_f64();
        if let Some(bucket) = BUCKETS.iter().position(|bound| seconds <= *bound) {
            histogram.buckets[bucket] += 1;
        }
        histogram.count += 1;
        histogram.sum += seconds;
    }

    /// The histograms in Prometheus' text format.
    pub fn render(&self) -> String {
        let by_operation = self
            .by_operation
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        let mut out = String::from(
            "# HELP jiandu_graphql_request_duration_seconds GraphQL requests from arrival to answer, by operation name.\n\
             # TYPE jiandu_graphql_request_duration_seconds histogram\n",
        );
        let name = "jiandu_graphql_request_duration_seconds";
        for (operation, h) in &by_operation {
            let mut below = 0;
            for (bound, n) in BUCKETS.iter().zip(h.buckets) {
                below += n;
                let _ = writeln!(
                    out,
                    "{name}_bucket{{operation=\"{operation}\",le=\"{bound}\"}} {below}"
                );
            }
            let _ = writeln!(
                out,
                "{name}_bucket{{operation=\"{operation}\",le=\"+Inf\"}} {}",
                h.count
            );
            let _ = writeln!(out, "{name}_sum{{operation=\"{operation}\"}} {}", h.sum);
            let _ = writeln!(out, "{name}_count{{operation=\"{operation}\"}} {}", h.count);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_kept_plain_and_few() {
        let latencies = Latencies::default();
        latencies.observe(Some("Dashboard"), Duration::from_millis(3));
        latencies.observe(Some("Dashboard"), Duration::from_millis(30));
        latencies.observe(None, Duration::from_millis(1));
        latencies.observe(Some("x\"} 1\nevil"), Duration::from_millis(1));
        for n in 0..150 {
            latencies.observe(Some(&format!("Op{n}")), Duration::from_millis(1));
        }
        let text = latencies.render();
        assert!(text.contains(
            "jiandu_graphql_request_duration_seconds_bucket{operation=\"Dashboard\",le=\"0.005\"} 1"
        ));
        assert!(text.contains(
            "jiandu_graphql_request_duration_seconds_bucket{operation=\"Dashboard\",le=\"0.05\"} 2"
        ));
        assert!(
            text.contains(
                "jiandu_graphql_request_duration_seconds_count{operation=\"Dashboard\"} 2"
            )
        );
        assert!(text.contains("_count{operation=\"anonymous\"} 1"));
        assert!(!text.contains("evil"));
        let names = text
            .lines()
            .filter(|l| l.starts_with("jiandu_graphql_request_duration_seconds_count"))
            .count();
        assert_eq!(
            names,
            MOST_NAMES + 2,
            "the first hundred names, `anonymous` and `other`"
        );
        assert!(text.contains("_count{operation=\"other\"} 52"), "{text}");
    }
}
