//! Logging and request traces, set up in one place. Logs go to standard error (text, or JSON
//! lines). With an OTLP endpoint (`JIANDU_OTLP_ENDPOINT`), each HTTP request is also a trace —
//! the request, then the services it called — sent in batches over OTLP/HTTP (JSON) from a
//! thread of its own; without one, no request span is made and nothing is exported.

use std::sync::atomic::{AtomicBool, Ordering};

use opentelemetry::trace::TracerProvider as _;
use opentelemetry_otlp::{Protocol, WithExportConfig};
use opentelemetry_sdk::Resource;
use opentelemetry_sdk::trace::SdkTracerProvider;
use tracing::Level;
use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

/// Whether requests are traced: read by the request middleware, so that without an exporter a
/// request costs one load of this flag.
static TRACING_REQUESTS: AtomicBool = AtomicBool::new(false);

pub fn tracing_requests() -> bool {
    TRACING_REQUESTS.load(Ordering::Relaxed)
}

/// The exporter while it runs; [`Telemetry::shutdown`] sends what is still queued.
#[must_use = "dropping it loses the traces still queued"]
pub struct Telemetry {
    provider: Option<SdkTracerProvider>,
}

impl Telemetry {
    pub fn shutdown(self) {
        if let Some(provider) = self.provider
            && let Err(error) = provider.shutdown()
        {
            eprintln!("the last request traces were not sent: {error}");
        }
    }
}

/// Where traces go: the collector's base address (`http://collector:4318`), or its traces
/// address itself.
fn traces_url(endpoint: &str) -> String {
    let endpoint = endpoint.trim_end_matches('/');
    if endpoint.ends_with("/v1/traces") {
        endpoint.to_string()
    } else {
        format!("{endpoint}/v1/traces")
    }
}

/// Human-readable logs by default, JSON lines with `json`; `RUST_LOG` picks the level. With
/// `otlp`, request traces are exported there too (Jiandu's own spans, at info and above,
/// whatever `RUST_LOG` says).
pub fn init(json: bool, otlp: Option<&str>) -> anyhow::Result<Telemetry> {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    let logs = tracing_subscriber::fmt::layer().with_writer(std::io::stderr);
    let logs = if json {
        logs.json().with_filter(filter).boxed()
    } else {
        logs.with_filter(filter).boxed()
    };
    let (traces, provider) = match otlp.map(str::trim).filter(|e| !e.is_empty()) {
        Some(endpoint) => {
            let exporter = opentelemetry_otlp::SpanExporter::builder()
                .with_http()
                .with_protocol(Protocol::HttpJson)
                .with_endpoint(traces_url(endpoint))
                .build()?;
            let provider = SdkTracerProvider::builder()
                .with_batch_exporter(exporter)
                .with_resource(
                    Resource::builder()
                        .with_service_name("jiandu")
                        .with_attribute(opentelemetry::KeyValue::new(
                            "service.version",
                            env!("CARGO_PKG_VERSION"),
                        ))
                        .build(),
                )
                .build();
            let ours = Targets::new()
                .with_target("jiandu", Level::INFO)
                .with_target("jiandu_api", Level::INFO);
            let layer = tracing_opentelemetry::layer()
                .with_tracer(provider.tracer("jiandu"))
                .with_filter(ours);
            TRACING_REQUESTS.store(true, Ordering::Relaxed);
            (Some(layer), Some(provider))
        }
        None => (None, None),
    };
    // A second call (tests that start several servers in one process) keeps the first set-up.
    let _ = tracing_subscriber::registry()
        .with(logs)
        .with(traces)
        .try_init();
    Ok(Telemetry { provider })
}

/// For tests: quiet unless `TEST_LOG` is set.
pub fn init_for_tests() {
    if std::env::var_os("TEST_LOG").is_some() {
        let _ = init(false, None);
    }
}

#[cfg(test)]
mod tests {
    use super::traces_url;

    #[test]
    fn the_endpoint_is_the_collectors_base_or_its_traces_address() {
        assert_eq!(traces_url("http://c:4318"), "http://c:4318/v1/traces");
        assert_eq!(traces_url("http://c:4318/"), "http://c:4318/v1/traces");
        assert_eq!(
            traces_url("http://c:4318/v1/traces"),
            "http://c:4318/v1/traces"
        );
    }
}
