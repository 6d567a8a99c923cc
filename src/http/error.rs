//! The one mapping from errors to HTTP responses.
//!
//! Error policy:
//! - every error response is RFC 9457 `application/problem+json` with a stable `type`
//!   (`/problems/<slug>`, documented at that URL), a `title`, the `status` and a `detail`;
//! - each variant of [`ApiError`] has its status in one explicit `match` below;
//! - `DbError::NotFound` becomes 404 in exactly one `From` impl; a row of another organisation is
//!   not found, not forbidden, so ids of other organisations cannot be probed;
//! - 500s are opaque to the client, and the whole cause chain is logged;
//! - a refused request changes nothing: handlers validate before they write, and writes are
//!   transactions.

use std::fmt;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;

use crate::db::DbError;
use crate::engine::DecisionError;
use crate::engine::load::Diagnostic;
use crate::service::{FieldProblem, ServiceError};

/// Seconds a client is asked to wait when the database is unavailable: long enough for a pool
/// to reconnect or a database to fail over, short enough not to lose the user.
pub const UNAVAILABLE_RETRY_SECS: u64 = 5;

/// An error answered to an API client.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The body is not JSON at all.
    #[error("{0}")]
    MalformedJson(String),
    /// JSON with a field we do not know.
    #[error("{0}")]
    UnknownField(String),
    /// Well-formed input that breaks a rule; one entry per field.
    #[error("the request has {} invalid field(s)", .0.len())]
    Validation(Vec<FieldProblem>),
    /// A framework file with errors.
    #[error("the framework has {} error(s)", .0.len())]
    InvalidFramework(Vec<Diagnostic>),
    /// Body larger than allowed.
    #[error("{0}")]
    PayloadTooLarge(String),
    /// Wrong content type.
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// No valid token.
    #[error("sign in first: the request has no valid, unexpired bearer token")]
    Unauthenticated,
    /// Signed in, but the role does not allow this.
    #[error("{0}")]
    Forbidden(String),
    /// The user must change the one-time password first.
    #[error("change your one-time password first (POST /api/me/password)")]
    PasswordChangeRequired,
    /// The four-eyes rule refused.
    #[error("{0}")]
    FourEyes(String),
    /// Nothing found (or another organisation's).
    #[error("not found")]
    NotFound,
    /// Stale version or a lost race.
    #[error("{0}")]
    Conflict(String),
    /// Already submitted or already exists.
    #[error("{0}")]
    Duplicate(String),
    /// A stored framework version sent again with other content: versions never change.
    #[error("{0}")]
    VersionExists(String),
    /// Nothing new to submit.
    #[error("{0}")]
    NothingToDecide(String),
    /// The framework version is a draft or was returned: nothing is assessed on it.
    #[error("{0}")]
    FrameworkNotApproved(String),
    /// The panel has already approved or returned the framework version.
    #[error("{0}")]
    FrameworkDecided(String),
    /// Too many requests from this address; try again after this many seconds.
    #[error("too many requests from your address; try again in {0} s")]
    TooManyRequests(u64),
    /// Too many recent failed sign-ins for this e-mail; the password was not checked. Try again
    /// after this many seconds.
    #[error("too many failed sign-ins for this e-mail; try again in {0} s")]
    SignInDelayed(u64),
    /// The database is not reachable.
    #[error("the database is not reachable")]
    Unavailable,
    /// Input within the size limit but over a bound on its structure (depth, values, objects,
    /// proofs): refused before the expensive work.
    #[error("{0}")]
    TooComplex(String),
    /// Every slot for this kind of work is taken, or it ran over its time; try again after this
    /// many seconds.
    #[error("{1}")]
    Busy(u64, String),
    /// A bug or an infrastructure failure; the client learns nothing more.
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl ApiError {
    /// The stable problem slug and title.
    pub fn kind(&self) -> (&'static str, &'static str) {
        match self {
            ApiError::MalformedJson(_) => ("malformed-json", "The body is not valid JSON"),
            ApiError::UnknownField(_) => {
                ("unknown-field", "The body has a field this endpoint does not take")
            }
            ApiError::Validation(_) => ("validation", "Some fields are not valid"),
            ApiError::InvalidFramework(_) => ("invalid-framework", "The framework file has errors"),
            ApiError::PayloadTooLarge(_) => ("payload-too-large", "The body is too large"),
            ApiError::UnsupportedMediaType(_) => ("unsupported-media-type", "Wrong content type"),
            ApiError::Unauthenticated => ("unauthenticated", "Not signed in"),
            ApiError::Forbidden(_) => ("forbidden", "Not allowed for your role"),
            ApiError::PasswordChangeRequired => ("password-change-required", "Change your password first"),
            ApiError::FourEyes(_) => ("four-eyes", "A second person must verify"),
            ApiError::NotFound => ("not-found", "Not found"),
            ApiError::Conflict(_) => ("stale-version", "Changed by someone else"),
            ApiError::Duplicate(_) => ("duplicate", "Already exists"),
            ApiError::VersionExists(_) => {
                ("version-exists", "This version is already stored with other content and cannot change")
            }
            ApiError::NothingToDecide(_) => ("nothing-to-decide", "Nothing to submit"),
            ApiError::FrameworkNotApproved(_) => {
                ("framework-not-approved", "The framework version is not approved by the panel")
            }
            ApiError::FrameworkDecided(_) => {
                ("framework-decided", "The panel has already decided on this framework version")
            }
            ApiError::TooManyRequests(_) => ("too-many-requests", "Too many requests"),
            ApiError::SignInDelayed(_) => ("sign-in-delayed", "Too many failed sign-ins"),
            ApiError::Unavailable => ("unavailable", "Service unavailable"),
            ApiError::TooComplex(_) => ("too-complex", "The input is more complex than allowed"),
            ApiError::Busy(..) => ("busy", "Busy; try again shortly"),
            ApiError::Internal(_) => ("internal", "Internal error"),
        }
    }

    /// Wraps an unexpected error as a 500.
    pub fn internal(e: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        ApiError::Internal(e.into())
    }
}

/// Every problem slug with its title, for the `/problems` pages and the tests.
pub fn problem_kinds() -> Vec<(&'static str, &'static str, u16)> {
    let samples = [
        ApiError::MalformedJson(String::new()),
        ApiError::UnknownField(String::new()),
        ApiError::Validation(vec![]),
        ApiError::InvalidFramework(vec![]),
        ApiError::PayloadTooLarge(String::new()),
        ApiError::UnsupportedMediaType(String::new()),
        ApiError::Unauthenticated,
        ApiError::Forbidden(String::new()),
        ApiError::PasswordChangeRequired,
        ApiError::FourEyes(String::new()),
        ApiError::NotFound,
        ApiError::Conflict(String::new()),
        ApiError::Duplicate(String::new()),
        ApiError::VersionExists(String::new()),
        ApiError::NothingToDecide(String::new()),
        ApiError::FrameworkNotApproved(String::new()),
        ApiError::FrameworkDecided(String::new()),
        ApiError::TooManyRequests(1),
        ApiError::SignInDelayed(1),
        ApiError::Unavailable,
        ApiError::TooComplex(String::new()),
        ApiError::Busy(1, String::new()),
        ApiError::Internal("sample".into()),
    ];
    samples.iter().map(|e| (e.kind().0, e.kind().1, e.status_code().as_u16())).collect()
}

/// The problem document.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// `/problems/<slug>`, stable per error kind.
    #[serde(rename = "type")]
    pub kind: String,
    /// Short summary of the kind.
    pub title: String,
    /// HTTP status.
    pub status: u16,
    /// What went wrong in this request.
    pub detail: String,
    /// Field problems, for `validation`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ProblemField>,
}

/// One field problem (or one framework-file diagnostic).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ProblemField {
    /// Field path.
    pub field: String,
    /// What is wrong.
    pub message: String,
    /// Why, as a stable code, for text, e-mail and date rules: `control-character`,
    /// `too-long`, `blank`, `email`, `date-out-of-range`; and for theory tests:
    /// `unknown-theory-test`, `covered-by-defined-test`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<&'static str>,
    /// Line in the uploaded file, for framework errors.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// Column in the uploaded file, for framework errors.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::MalformedJson(_) => StatusCode::BAD_REQUEST,
            ApiError::UnknownField(_) | ApiError::Validation(_) | ApiError::InvalidFramework(_) => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            ApiError::NothingToDecide(_) | ApiError::TooComplex(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Unauthenticated => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) | ApiError::PasswordChangeRequired | ApiError::FourEyes(_) => {
                StatusCode::FORBIDDEN
            }
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::Conflict(_)
            | ApiError::Duplicate(_)
            | ApiError::VersionExists(_)
            | ApiError::FrameworkNotApproved(_)
            | ApiError::FrameworkDecided(_) => StatusCode::CONFLICT,
            ApiError::TooManyRequests(_) | ApiError::SignInDelayed(_) => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unavailable | ApiError::Busy(..) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        if let ApiError::Internal(_) = self {
            tracing::error!(error.cause_chain = %Chain(self), "request failed");
        }
        let (slug, title) = self.kind();
        let errors = match self {
            ApiError::Validation(p) => p
                .iter()
                .map(|f| ProblemField {
                    field: f.field.clone(),
                    message: f.message.clone(),
                    code: f.code,
                    line: None,
                    column: None,
                })
                .collect(),
            ApiError::InvalidFramework(d) => d
                .iter()
                .map(|d| ProblemField {
                    field: d.field.clone(),
                    message: d.message.clone(),
                    code: None,
                    line: Some(d.line),
                    column: Some(d.column),
                })
                .collect(),
            _ => vec![],
        };
        let detail = match self {
            ApiError::Validation(p) => {
                p.iter().map(|f| format!("{}: {}", f.field, f.message)).collect::<Vec<_>>().join("; ")
            }
            ApiError::InvalidFramework(d) => d.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"),
            other => other.to_string(),
        };
        let body = Problem {
            kind: format!("/problems/{slug}"),
            title: title.to_owned(),
            status: status.as_u16(),
            detail,
            errors,
        };
        let mut resp = HttpResponse::build(status);
        resp.content_type("application/problem+json");
        match self {
            ApiError::Unauthenticated => {
                resp.insert_header((header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer")));
            }
            ApiError::TooManyRequests(secs) | ApiError::SignInDelayed(secs) | ApiError::Busy(secs, _) => {
                resp.insert_header((header::RETRY_AFTER, secs.to_string()));
            }
            ApiError::Unavailable => {
                resp.insert_header((header::RETRY_AFTER, UNAVAILABLE_RETRY_SECS.to_string()));
            }
            _ => {}
        }
        resp.json(body)
    }
}

/// Formats an error with its sources, one per line.
struct Chain<'a>(&'a dyn std::error::Error);

impl fmt::Display for Chain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)?;
        let mut cur = self.0.source();
        while let Some(e) = cur {
            write!(f, "\n  caused by: {e}")?;
            cur = e.source();
        }
        Ok(())
    }
}

impl From<DbError> for ApiError {
    fn from(e: DbError) -> Self {
        match e {
            DbError::NotFound => ApiError::NotFound,
            DbError::Conflict(m) => ApiError::Conflict(m),
            DbError::Duplicate(m) => ApiError::Duplicate(m),
            DbError::Immutable(m) => ApiError::VersionExists(m),
            e if e.is_unavailable() => {
                // Logged, as the client is told nothing of the cause.
                tracing::warn!(error = %Chain(&e), "the database is unavailable");
                ApiError::Unavailable
            }
            other => ApiError::internal(other),
        }
    }
}

impl From<diesel::result::Error> for ApiError {
    fn from(e: diesel::result::Error) -> Self {
        DbError::from(e).into()
    }
}

impl From<ServiceError> for ApiError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::Db(d) => d.into(),
            ServiceError::Decision(d @ DecisionError::SamePerson) => ApiError::FourEyes(d.to_string()),
            ServiceError::Decision(d @ DecisionError::NothingToDecide) => {
                ApiError::NothingToDecide(d.to_string())
            }
            ServiceError::Invalid(p) => ApiError::Validation(p),
            ServiceError::Framework(d) => ApiError::InvalidFramework(d),
            ServiceError::Forbidden(m) => ApiError::Forbidden(m),
            ServiceError::FourEyes(m) => ApiError::FourEyes(m),
            ServiceError::FrameworkNotApproved(m) => ApiError::FrameworkNotApproved(m),
            ServiceError::FrameworkDecided(m) => ApiError::FrameworkDecided(m),
            ServiceError::Auth(a) => ApiError::internal(a),
        }
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        ApiError::internal(e)
    }
}

/// Maps actix's JSON extractor errors to problems.
pub fn json_error(
    err: actix_web::error::JsonPayloadError,
    _req: &actix_web::HttpRequest,
) -> actix_web::Error {
    use actix_web::error::JsonPayloadError as J;
    let api = match err {
        J::OverflowKnownLength { length, limit } => {
            ApiError::PayloadTooLarge(format!("the body is {length} bytes; the limit is {limit} bytes"))
        }
        J::Overflow { limit } => {
            ApiError::PayloadTooLarge(format!("the body is over the limit of {limit} bytes"))
        }
        J::ContentType => ApiError::UnsupportedMediaType("send the body as application/json".into()),
        J::Deserialize(e) if e.is_data() && e.to_string().starts_with("unknown field") => {
            ApiError::UnknownField(e.to_string())
        }
        J::Deserialize(e) if e.is_data() => {
            ApiError::Validation(vec![FieldProblem::new("body", without_value(&e.to_string()))])
        }
        J::Deserialize(e) => ApiError::MalformedJson(e.to_string()),
        other => ApiError::MalformedJson(other.to_string()),
    };
    api.into()
}

/// serde's "invalid type: integer `1234`, expected a string at line 1 column 9" without the value
/// it found, which may be a password sent as a number: the detail is answered and logged.
fn without_value(message: &str) -> String {
    for kind in ["invalid type", "invalid value"] {
        if let Some(rest) = message.strip_prefix(kind).and_then(|r| r.strip_prefix(": "))
            // The last one: the value before it may itself contain ", expected ".
            && let Some(at) = rest.rfind(", expected ")
        {
            return format!("{kind}{}", &rest[at..]);
        }
    }
    message.to_owned()
}

/// Maps path and query extractor errors to problems: a bad id in a path is simply not found.
pub fn path_error(_err: actix_web::error::PathError, _req: &actix_web::HttpRequest) -> actix_web::Error {
    ApiError::NotFound.into()
}

/// Maps query-string errors to problems.
pub fn query_error(
    err: actix_web::error::QueryPayloadError,
    _req: &actix_web::HttpRequest,
) -> actix_web::Error {
    ApiError::Validation(vec![FieldProblem::new("query", err.to_string())]).into()
}

/// Turns the rate limiter's plain-text 429 into a problem document, keeping its `Retry-After`.
pub fn rate_limited<B: actix_web::body::MessageBody + 'static>(
    res: actix_web::dev::ServiceResponse<B>,
) -> actix_web::dev::ServiceResponse {
    // The limiter answers in plain text; a 429 of our own (a delayed sign-in, as a problem or
    // as the sign-in page) already says what it means.
    let from_limiter = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|v| v.starts_with("text/plain"));
    if res.status() != StatusCode::TOO_MANY_REQUESTS || !from_limiter {
        return res.map_into_boxed_body();
    }
    let secs = res
        .headers()
        .get(header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        // The limiter rounds down; "0" would invite an immediate retry that fails again.
        .map_or(1, |s| s.max(1));
    res.into_response(ApiError::TooManyRequests(secs).error_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_connection_lost_mid_query_is_503_with_retry_after_and_a_refused_query_is_500() {
        use diesel::result::{DatabaseErrorKind, Error};
        let lost =
            Error::DatabaseError(DatabaseErrorKind::ClosedConnection, Box::new("server closed".to_owned()));
        let resp = ApiError::from(DbError::from(lost)).error_response();
        assert_eq!(resp.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(resp.headers().get(header::RETRY_AFTER).unwrap(), "5");
        let refused = Error::DatabaseError(DatabaseErrorKind::CheckViolation, Box::new("check".to_owned()));
        let resp = ApiError::from(DbError::from(refused)).error_response();
        assert_eq!(resp.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert!(resp.headers().get(header::RETRY_AFTER).is_none());
    }

    #[test]
    fn a_wrongly_typed_value_is_not_echoed() {
        let err = serde_json::from_str::<Vec<String>>(r#"["a", 1234]"#).unwrap_err().to_string();
        assert!(err.contains("1234"), "serde echoes it: {err}");
        assert_eq!(without_value(&err), "invalid type, expected a string at line 1 column 10");
        let tricky = "invalid value: string \"s3cret, expected x\", expected a number at line 1 column 2";
        assert_eq!(without_value(tricky), "invalid value, expected a number at line 1 column 2");
        assert_eq!(without_value("missing field `email`"), "missing field `email`");
    }
}
