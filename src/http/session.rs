//! Signing in and the caller's own account.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::error::ApiError;
use super::extract::{AppState, SignedIn, db};
use super::users::UserView;
use crate::service::accounts;
use crate::service::sign_in::{self, SignIn};

/// Credentials.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub email: String,
    #[serde(deserialize_with = "password")]
    pub password: String,
}

impl std::fmt::Debug for LoginRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginRequest").field("email", &self.email).finish_non_exhaustive()
    }
}

/// A password field. serde's own error would echo a value of the wrong type (`invalid type:
/// integer `1234``) into the problem detail and the log; this one names the field instead.
fn password<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    String::deserialize(d).map_err(|_| serde::de::Error::custom("a password must be a JSON string"))
}

/// A bearer token and when it expires.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    pub token: String,
    pub token_type: &'static str,
    pub expires_at: chrono::DateTime<chrono::Utc>,
    /// True while the one-time password has not been replaced; only `/api/me` and
    /// `/api/me/password` answer until then.
    pub password_change_required: bool,
}

/// Signs in with e-mail and password. After a few failures for one e-mail, the next attempts
/// must wait (429 with `Retry-After`, doubling up to 30 s); see `docs/operations.md`.
#[utoipa::path(post, path = "/api/auth/login", tag = "session", request_body = LoginRequest,
    responses((status = 200, body = TokenResponse), (status = 401, body = super::error::Problem),
        (status = 429, description = "Too many recent failures for this e-mail; the password was not checked",
            body = super::error::Problem)))]
#[post("/api/auth/login")]
pub async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let LoginRequest { email, password } = body.into_inner();
    let (policy, address) = (state.sign_in, state.client_addr(&req));
    let outcome = db(&state, move |conn| {
        Ok(sign_in::sign_in(conn, &policy, &email, &password, &address, crate::service::now())?)
    })
    .await?;
    let user = match outcome {
        SignIn::Accepted(user) => user,
        SignIn::Refused => return Err(ApiError::Unauthenticated),
        SignIn::Wait(secs) => return Err(ApiError::SignInDelayed(secs)),
    };
    tracing::info!(user_id = %user.id, "signed in");
    Ok(HttpResponse::Ok().json(token_response(
        &state,
        &user.id,
        user.token_generation,
        user.must_change_password,
    )))
}

fn token_response(
    state: &AppState,
    user: &str,
    generation: i64,
    password_change_required: bool,
) -> TokenResponse {
    let (token, expires_at) = state.keys.issue(user, generation, chrono::Utc::now());
    TokenResponse { token, token_type: "Bearer", expires_at, password_change_required }
}

/// The signed-in user.
#[utoipa::path(get, path = "/api/me", tag = "session", responses((status = 200, body = UserView)),
    security(("bearer" = [])))]
#[get("/api/me")]
pub async fn me(caller: SignedIn) -> HttpResponse {
    HttpResponse::Ok().json(UserView::from(&caller.user))
}

/// A new password.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    #[serde(deserialize_with = "password")]
    pub current_password: String,
    /// At least 12 characters.
    #[serde(deserialize_with = "password")]
    pub new_password: String,
}

impl std::fmt::Debug for PasswordChange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PasswordChange").finish_non_exhaustive()
    }
}

/// Replaces the caller's password (required after a one-time password). Every other token and
/// page session of the caller ends; the caller carries on with the fresh token in the answer.
#[utoipa::path(post, path = "/api/me/password", tag = "session", request_body = PasswordChange,
    responses((status = 200, description = "Changed; the caller's old token no longer works, this one does",
            body = TokenResponse),
        (status = 422, body = super::error::Problem)), security(("bearer" = [])))]
#[post("/api/me/password")]
pub async fn change_password(
    state: web::Data<AppState>,
    caller: SignedIn,
    body: web::Json<PasswordChange>,
) -> Result<HttpResponse, ApiError> {
    let PasswordChange { current_password, new_password } = body.into_inner();
    let user = caller.user;
    let id = user.id.clone();
    let generation =
        db(&state, move |conn| Ok(accounts::change_password(conn, &user, &current_password, &new_password)?))
            .await?;
    tracing::info!(user_id = %id, "password changed; other sessions and tokens ended");
    Ok(HttpResponse::Ok().json(token_response(&state, &id, generation, false)))
}
