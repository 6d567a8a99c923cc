//! Shared state, the signed-in caller, and running storage work off the actix workers.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use actix_web::{FromRequest, HttpRequest, dev::Payload, http::header, web};

use super::error::ApiError;
use crate::auth::{Role, Roles, TokenKeys};
use crate::db::models::User;
use crate::db::queries::users;
use crate::db::{DbConnection, DbError, DbPool};
use crate::service::frameworks::FrameworkCache;

/// What every handler may use.
pub struct AppState {
    /// Database connections.
    pub pool: DbPool,
    /// Parsed framework versions.
    pub cache: Arc<FrameworkCache>,
    /// Access-token keys.
    pub keys: TokenKeys,
    /// Largest evidence file accepted, in bytes.
    pub file_limit: usize,
    /// Seals signing keys at rest.
    pub master_key: Arc<crate::credential::keys::MasterKey>,
    /// The URL people reach the service at, without a trailing slash.
    pub public_url: String,
    /// Data Integrity proofs already seen to verify.
    pub proofs: crate::credential::verify::ProofCache,
    /// Keys, status bits and credential rows verification read before; call `written` after a
    /// change to any of them commits.
    pub trust: Arc<crate::service::trust_cache::TrustCache>,
    /// Credentials posted for verification before, parsed.
    pub posted: crate::service::trust_cache::PostedCache,
    /// Verifies what anonymous callers post, off the HTTP workers.
    pub verifier: super::pool::WorkPool,
    /// Bounds on what they may post.
    pub verify_limits: crate::config::VerifyLimits,
    /// Fetches other issuers' keys and status lists for them.
    pub fetcher: Arc<crate::fetch::Fetcher>,
    /// Whether cookies get the `Secure` attribute: always, except for a plain-HTTP public URL
    /// on a host other than localhost, where browsers would drop them.
    pub secure_cookies: bool,
    /// How long a signed status list is valid.
    pub list_validity: chrono::Duration,
    /// Reverse proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Arc<super::client_ip::TrustedProxies>,
    /// How failed sign-ins slow the next ones.
    pub sign_in: crate::service::sign_in::SignInPolicy,
    /// Where "now" comes from for dates; see `service::clock`.
    pub clock: crate::service::clock::Clock,
}

impl AppState {
    /// The client address of `req`, as the rate limit and the sign-in records see it.
    pub fn client_addr(&self, req: &HttpRequest) -> String {
        super::client_ip::client_addr(req, &self.trusted_proxies).map_or_else(String::new, |a| a.to_string())
    }
}

impl AppState {
    /// What a verification runs with (`foreign`: a resolver of other issuers' keys).
    pub fn verifier<'a>(
        &'a self,
        foreign: Option<&'a dyn crate::service::verify::ForeignKeys>,
    ) -> crate::service::verify::Verifier<'a> {
        crate::service::verify::Verifier {
            public_url: &self.public_url,
            proofs: &self.proofs,
            cache: Some(&self.trust),
            foreign,
        }
    }

    /// What issuing and re-signing need.
    pub fn issuing(&self) -> crate::service::certificates::Issuing<'_> {
        crate::service::certificates::Issuing {
            master: &self.master_key,
            public_url: &self.public_url,
            cache: &self.cache,
            list_validity: self.list_validity,
            clock: self.clock,
        }
    }
}

/// Runs `f` with a pooled connection on the blocking thread pool.
pub async fn db<T, F>(state: &web::Data<AppState>, f: F) -> Result<T, ApiError>
where
    F: FnOnce(&mut DbConnection) -> Result<T, ApiError> + Send + 'static,
    T: Send + 'static,
{
    let pool = state.pool.clone();
    web::block(move || {
        let mut conn = pool.get().map_err(|e| ApiError::from(DbError::Pool(e)))?;
        f(&mut conn)
    })
    .await?
}

/// The signed-in user, whatever the state of their password.
pub struct SignedIn {
    /// The user, as stored now.
    pub user: User,
    /// Their roles.
    pub roles: Roles,
}

/// A signed-in user who has replaced their one-time password: what almost every endpoint takes.
pub struct Caller(pub SignedIn);

impl std::ops::Deref for Caller {
    type Target = SignedIn;
    fn deref(&self) -> &SignedIn {
        &self.0
    }
}

impl SignedIn {
    /// The caller's organisation.
    pub fn org(&self) -> &str {
        &self.user.organisation_id
    }

    /// Refuses unless the caller has one of `roles`.
    pub fn require(&self, roles: &[Role]) -> Result<(), ApiError> {
        if roles.iter().any(|r| self.roles.has(*r)) {
            Ok(())
        } else {
            let names: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
            Err(ApiError::Forbidden(format!("this needs the role {}", names.join(" or "))))
        }
    }
}

fn bearer(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim().to_owned())
}

/// The app state of a request.
pub fn app_state(req: &HttpRequest) -> Result<web::Data<AppState>, ApiError> {
    req.app_data::<web::Data<AppState>>().cloned().ok_or_else(|| ApiError::internal("no app state"))
}

async fn signed_in(req: HttpRequest) -> Result<SignedIn, ApiError> {
    let state = app_state(&req)?;
    let token = bearer(&req).ok_or(ApiError::Unauthenticated)?;
    let claims = state.keys.verify(&token).map_err(|_| ApiError::Unauthenticated)?;
    user_of(&state, claims).await
}

/// The active user a valid token names, as stored now. API tokens and page sessions share it.
pub async fn user_of(state: &web::Data<AppState>, claims: crate::auth::Claims) -> Result<SignedIn, ApiError> {
    // Signing out of the pages ends only page sessions (the tokens with an anti-forgery claim),
    // so it does not stop a script; a password change, deactivation or role change ends both,
    // through the token generation.
    let issued = claims.csrf.is_some().then_some(claims.iat);
    let generation = claims.generation;
    let user = db(state, move |conn| match users::find_by_id(conn, &claims.sub) {
        Ok(u) => Ok(u),
        Err(DbError::NotFound) => Err(ApiError::Unauthenticated),
        Err(e) => Err(e.into()),
    })
    .await?;
    if !user.active || generation != user.token_generation {
        return Err(ApiError::Unauthenticated);
    }
    // Signing out ends every page session issued before it, not only this browser's cookie.
    if let (Some(cutoff), Some(issued)) = (user.sessions_valid_after, issued)
        && issued < cutoff.and_utc().timestamp()
    {
        return Err(ApiError::Unauthenticated);
    }
    let roles = user.roles.parse().map_err(ApiError::internal)?;
    Ok(SignedIn { user, roles })
}

impl FromRequest for SignedIn {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        Box::pin(signed_in(req.clone()))
    }
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let s = signed_in(req).await?;
            if s.user.must_change_password {
                return Err(ApiError::PasswordChangeRequired);
            }
            Ok(Caller(s))
        })
    }
}
