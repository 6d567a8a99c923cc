//! Published keys (JWKS, DID documents, issuer profiles) and key management for administrators.

use actix_web::{HttpResponse, get, post, web};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::error::ApiError;
use super::extract::{AppState, Caller, db};
use crate::auth::Role;
use crate::credential::{did, keys};
use crate::db::queries::organisations;
use crate::service::certificates::issuer_did;
use crate::service::keys::{self as svc, PublishedKey};

fn public(resp: &mut actix_web::HttpResponseBuilder) -> &mut actix_web::HttpResponseBuilder {
    // Verifiers cache these; a rotated key appears within five minutes.
    resp.insert_header(("Cache-Control", "public, max-age=300"))
        .insert_header(("Access-Control-Allow-Origin", "*"))
}

/// Every trusted public signing key of every organisation, as a JWK Set. Retired keys stay, so
/// that old certificates verify. A compromised key is not in `keys` (a standard verifier then
/// refuses what it signed); it is listed under `compromised` with `compromised_from`, a member
/// standard verifiers ignore, so that our own verifier can say "compromised".
#[utoipa::path(get, path = "/.well-known/jwks.json", tag = "keys", responses((status = 200, description = "JWK Set")))]
#[get("/.well-known/jwks.json")]
pub async fn jwks(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let published = db(&state, |conn| Ok(svc::published(conn, None)?)).await?;
    let (compromised, trusted): (Vec<_>, Vec<_>) =
        published.iter().partition(|k| k.compromised_from.is_some());
    let keys: Vec<_> = trusted.iter().map(|k| keys::jwk(&k.kid, &k.key)).collect();
    let compromised: Vec<_> = compromised
        .iter()
        .map(|k| {
            let mut j = keys::jwk(&k.kid, &k.key);
            if let Some(from) = k.compromised_from {
                j["compromised_from"] = json!(from.and_utc().to_rfc3339());
            }
            j
        })
        .collect();
    Ok(public(&mut HttpResponse::Ok())
        .content_type("application/jwk-set+json")
        .json(json!({ "keys": keys, "compromised": compromised })))
}

/// The service's own DID document. It vouches for no key: the service signs nothing itself,
/// and each organisation's keys belong to that organisation's DID
/// (`did:web:HOST:issuers:ORG`), so that one organisation's key never verifies as the host's
/// or another organisation's.
#[utoipa::path(get, path = "/.well-known/did.json", tag = "keys", responses((status = 200, description = "DID document without keys")))]
#[get("/.well-known/did.json")]
pub async fn service_did(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let did = did::did_web(&state.public_url, &[]);
    Ok(public(&mut HttpResponse::Ok()).content_type("application/did+json").json(did::document(&did, &[])))
}

fn did_keys(published: Vec<PublishedKey>) -> Vec<did::DidKey> {
    published.into_iter().map(|k| (k.kid, k.key, k.compromised_from.map(|t| t.and_utc()))).collect()
}

/// An organisation's DID document (`did:web:HOST:issuers:ORG`).
#[utoipa::path(get, path = "/issuers/{id}/did.json", tag = "keys", responses((status = 200, description = "DID document"), (status = 404)))]
#[get("/issuers/{id}/did.json")]
pub async fn issuer_did_document(
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let org = id.into_inner();
    let o = org.clone();
    let published = db(&state, move |conn| {
        organisations::find_by_id(conn, &o)?;
        Ok(svc::published(conn, Some(&o))?)
    })
    .await?;
    let did = issuer_did(&state.public_url, &org);
    Ok(public(&mut HttpResponse::Ok())
        .content_type("application/did+json")
        .json(did::document(&did, &did_keys(published))))
}

/// An organisation's Open Badges issuer Profile.
#[utoipa::path(get, path = "/issuers/{id}", tag = "keys", responses((status = 200, description = "OB 3.0 Profile"), (status = 404)))]
#[get("/issuers/{id}")]
pub async fn issuer_profile(
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let org = id.into_inner();
    let o = org.clone();
    let found = db(&state, move |conn| Ok(organisations::find_by_id(conn, &o)?)).await?;
    Ok(public(&mut HttpResponse::Ok()).content_type("application/ld+json").json(json!({
        "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": issuer_did(&state.public_url, &org),
        "type": ["Profile"],
        "name": found.name,
        "url": format!("{}/issuers/{org}", state.public_url),
    })))
}

/// A key as administrators see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct KeyView {
    pub kid: String,
    /// `active`, `retired` or `compromised`.
    pub status: String,
    pub public_key_multibase: String,
    #[serde(serialize_with = "super::rfc3339::serialize")]
    pub created_at: chrono::NaiveDateTime,
    #[serde(serialize_with = "super::rfc3339::option")]
    pub retired_at: Option<chrono::NaiveDateTime>,
    #[serde(serialize_with = "super::rfc3339::option")]
    pub compromised_from: Option<chrono::NaiveDateTime>,
}

impl From<&PublishedKey> for KeyView {
    fn from(k: &PublishedKey) -> Self {
        let status = match (k.compromised_from, k.retired_at) {
            (Some(_), _) => "compromised",
            (None, Some(_)) => "retired",
            (None, None) => "active",
        };
        KeyView {
            kid: k.kid.clone(),
            status: status.to_owned(),
            public_key_multibase: keys::multikey(&k.key),
            created_at: k.created_at,
            retired_at: k.retired_at,
            compromised_from: k.compromised_from,
        }
    }
}

/// The organisation's keys, oldest first.
#[utoipa::path(get, path = "/api/keys", tag = "keys", responses((status = 200, body = [KeyView])), security(("bearer" = [])))]
#[get("/api/keys")]
pub async fn list(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    caller.require(&[Role::Admin])?;
    let org = caller.org().to_owned();
    let ks = db(&state, move |conn| Ok(svc::published(conn, Some(&org))?)).await?;
    Ok(HttpResponse::Ok().json(ks.iter().map(KeyView::from).collect::<Vec<_>>()))
}

/// Makes a new active key; the old one stays published.
#[utoipa::path(post, path = "/api/keys/rotate", tag = "keys", responses((status = 201, body = [KeyView])), security(("bearer" = [])))]
#[post("/api/keys/rotate")]
pub async fn rotate(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    caller.require(&[Role::Admin])?;
    let org = caller.org().to_owned();
    let actor = caller.user.id.clone();
    let st = state.clone();
    let ks = db(&state, move |conn| {
        let rotated = svc::rotate(conn, &st.master_key, &org, Some(&actor));
        // Committed (or rolled back) by now; this instance shows the new key at once.
        st.trust.written();
        rotated?;
        Ok(svc::published(conn, Some(&org))?)
    })
    .await?;
    tracing::info!(organisation_id = %caller.org(), "signing key rotated");
    Ok(HttpResponse::Created().json(ks.iter().map(KeyView::from).collect::<Vec<_>>()))
}

/// From when a key is not trusted, and why.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Compromise {
    pub from: chrono::DateTime<chrono::Utc>,
    pub reason: String,
}

/// Marks a key compromised from a time: certificates it signed from then on fail verification;
/// those it signed before are re-signed with the active key (same id and content), and the key
/// is no longer published for assertion.
#[utoipa::path(post, path = "/api/keys/{kid}/compromise", tag = "keys", request_body = Compromise,
    responses((status = 200, body = KeyView), (status = 404)), security(("bearer" = [])))]
#[post("/api/keys/{kid}/compromise")]
pub async fn compromise(
    state: web::Data<AppState>,
    caller: Caller,
    kid: web::Path<String>,
    body: web::Json<Compromise>,
) -> Result<HttpResponse, ApiError> {
    caller.require(&[Role::Admin])?;
    let Compromise { from, reason } = body.into_inner();
    let org = caller.org().to_owned();
    let actor = caller.user.id.clone();
    let st = state.clone();
    let c = db(&state, move |conn| {
        let marked =
            svc::mark_compromised(conn, &st.issuing(), &org, Some(&actor), &kid, from.naive_utc(), &reason);
        st.trust.written();
        Ok(marked?)
    })
    .await?;
    tracing::warn!(kid = %c.key.kid, resigned = c.resigned, "signing key marked compromised");
    Ok(HttpResponse::Ok().json(KeyView::from(&c.key)))
}
