//! Logging with `tracing`: pretty or JSON lines, filtered by `RUST_LOG` (default `info`).
//!
//! Log lines carry what requests sent (an unknown field's name, a path, an error about a body).
//! The JSON format escapes it; the pretty format writes fields through [`EscapedFields`], so a
//! value holding a line break cannot start a forged line of its own.

use std::fmt::{self, Write as _};

use tracing::field::{Field, Visit};
use tracing::subscriber::set_global_default;
use tracing_subscriber::field::RecordFields;
use tracing_subscriber::fmt::format::{FmtSpan, Writer};
use tracing_subscriber::fmt::{FormatFields, MakeWriter};
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
            registry.with(
                tracing_subscriber::fmt::layer()
                    .fmt_fields(EscapedFields)
                    .with_span_events(FmtSpan::CLOSE)
                    .with_writer(sink),
            ),
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

/// The pretty format's fields, `name=value` separated by spaces (the message bare), with every
/// control character in names and values escaped (`\n` as `\\n`), wherever the value came from:
/// escaping here rather than where request data is logged means no call site can forget.
#[derive(Debug, Clone, Copy, Default)]
pub struct EscapedFields;

impl<'w> FormatFields<'w> for EscapedFields {
    fn format_fields<R: RecordFields>(&self, writer: Writer<'w>, fields: R) -> fmt::Result {
        let mut visitor = EscapedVisitor { out: Escaping(writer), first: true, result: Ok(()) };
        fields.record(&mut visitor);
        visitor.result
    }
}

struct EscapedVisitor<'w> {
    out: Escaping<Writer<'w>>,
    first: bool,
    result: fmt::Result,
}

impl Visit for EscapedVisitor<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        // Quoted like any string, except the message, which reads as text.
        if field.name() == "message" {
            self.record_debug(field, &format_args!("{value}"));
        } else {
            self.record_debug(field, &value);
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        if self.result.is_err() || field.name().starts_with("log.") {
            return;
        }
        if !std::mem::take(&mut self.first) {
            self.result = self.out.0.write_char(' ');
        }
        self.result = self.result.and_then(|()| match field.name() {
            "message" => write!(self.out, "{value:?}"),
            name => write!(self.out, "{}={value:?}", name.strip_prefix("r#").unwrap_or(name)),
        });
    }
}

/// A writer that escapes control characters and Unicode line separators as it passes text on.
struct Escaping<W>(W);

impl<W: fmt::Write> fmt::Write for Escaping<W> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let mut rest = s;
        while let Some(at) = rest.find(|c: char| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}')) {
            self.0.write_str(&rest[..at])?;
            let c = rest[at..].chars().next().unwrap_or_default();
            match c {
                '\n' => self.0.write_str("\\n")?,
                '\r' => self.0.write_str("\\r")?,
                '\t' => self.0.write_str("\\t")?,
                c => write!(self.0, "\\u{{{:x}}}", u32::from(c))?,
            }
            rest = &rest[at + c.len_utf8()..];
        }
        self.0.write_str(rest)
    }
}

/// Installs `subscriber` as the global default; call once.
pub fn init_subscriber(subscriber: Box<dyn tracing::Subscriber + Send + Sync>) {
    // A second call (tests) keeps the first subscriber; that is what we want.
    let _ = set_global_default(subscriber);
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;

    /// Collects what the subscriber writes.
    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Captured {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl<'a> MakeWriter<'a> for Captured {
        type Writer = Captured;
        fn make_writer(&'a self) -> Captured {
            self.clone()
        }
    }

    const FORGED: &str = "x\n2026-12-04T21:00:00.000000Z  INFO validera: signed in user_id=admin\r\u{1b}[2J";

    fn log_hostile_request(format: LogFormat) -> String {
        let sink = Captured::default();
        let subscriber = get_subscriber("info", format, sink.clone());
        tracing::subscriber::with_default(subscriber, || {
            let span = tracing::info_span!("request", path = %FORGED);
            let _entered = span.enter();
            let detail = format!("unknown field `{FORGED}`, expected `email`");
            tracing::info!(error = %detail, name = FORGED, "refused: {detail}");
        });
        String::from_utf8(sink.0.lock().unwrap().clone()).unwrap()
    }

    #[test]
    fn request_data_with_line_breaks_stays_on_its_own_line_in_the_pretty_log() {
        let out = log_hostile_request(LogFormat::Pretty);
        let lines: Vec<&str> = out.lines().collect();
        // The event, and the span's close.
        assert_eq!(lines.len(), 2, "{out}");
        // The formatter's own colours use ESC; the one sent must not reach a terminal.
        assert!(lines.iter().all(|l| !l.contains('\r') && !l.contains("\u{1b}[2J")), "{out:?}");
        assert!(lines[1].contains(" close time.busy="), "{out}");
        assert!(lines[0].contains("refused: unknown field `x\\n2026"), "{out}");
        assert!(lines[0].contains("error=unknown field `x\\n"), "{out}");
        assert!(lines[0].contains("path=x\\n2026"), "the span's field too: {out}");
    }

    #[test]
    fn request_data_with_line_breaks_stays_on_its_own_line_in_the_json_log() {
        let out = log_hostile_request(LogFormat::Json);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 2, "{out}");
        let event: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
        assert_eq!(event["name"], FORGED);
    }
}
