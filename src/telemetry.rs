//! Logging with `tracing`: pretty or JSON lines, filtered by `RUST_LOG` (default `info`).

use tracing::subscriber::set_global_default;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::fmt::format::FmtSpan;
use tracing_subscriber::{EnvFilter, Registry, layer::SubscriberExt};

use crate::config::LogFormat;

/// A subscriber writing to `sink` in `format`.
pub fn get_subscriber<W>(
    default_filter: &str,
    format: LogFormat,
    sink: W,
) -> Box<dyn tracing::Subscriber + Send + Sync>
where
    W: for<'a> MakeWriter<'a> + Send + Sync + 'static,
{
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_filter));
    let registry = Registry::default().with(filter);
    match format {
        // A line when each request span closes: method, route, status, request id and latency.
        LogFormat::Pretty => Box::new(
            registry
                .with(tracing_subscriber::fmt::layer().with_span_events(FmtSpan::CLOSE).with_writer(sink)),
        ),
        LogFormat::Json => Box::new(
            registry.with(
                tracing_subscriber::fmt::layer()
                    .json()
                    .flatten_event(true)
                    .with_current_span(true)
                    .with_span_events(FmtSpan::CLOSE)
                    .with_writer(sink),
            ),
        ),
    }
}

/// Installs `subscriber` as the global default; call once.
pub fn init_subscriber(subscriber: Box<dyn tracing::Subscriber + Send + Sync>) {
    // A second call (tests) keeps the first subscriber; that is what we want.
    let _ = set_global_default(subscriber);
}
