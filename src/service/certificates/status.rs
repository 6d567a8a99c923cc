//! The revocation status list of an organisation, and changes of a certificate's status.

use chrono::{DateTime, Utc};
use serde_json::json;

use super::{Issuing, REVOCATION, corrupt, issuer_did, status_list_url};
use crate::credential::ob;
use crate::credential::proof;
use crate::credential::status_list::{Bitstring, MIN_ENTRIES};
use crate::db::models::{CredentialEvent, CredentialRow, StatusListRow};
use crate::db::queries::{credentials as q, organisations};
use crate::db::{DbConnection, DbError};
use crate::service::{ServiceError, keys};

fn signed_list(
    ctx: &Issuing<'_>,
    org: &str,
    bits: &Bitstring,
    kid: &str,
    key: &ed25519_dalek::SigningKey,
    now: DateTime<Utc>,
) -> Result<String, ServiceError> {
    let url = status_list_url(ctx.public_url, org);
    let issuer = issuer_did(ctx.public_url, org);
    let list = json!({
        "@context": [ob::VC_V2_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer,
        "validFrom": now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "credentialSubject": {
            "id": format!("{url}#list"),
            "type": "BitstringStatusList",
            "statusPurpose": REVOCATION,
            "encodedList": bits.encode(),
        },
    });
    let signed = proof::sign(&list, key, &format!("{issuer}#{kid}"), now).map_err(corrupt)?;
    serde_json::to_string(&signed).map_err(corrupt)
}

/// The organisation's revocation list, created (empty, signed) on first use.
pub(super) fn status_list(
    conn: &mut DbConnection,
    ctx: &Issuing<'_>,
    org: &str,
) -> Result<StatusListRow, ServiceError> {
    match q::find_status_list(conn, org, REVOCATION) {
        Ok(row) => Ok(row),
        Err(DbError::NotFound) => {
            let bits = Bitstring::new(MIN_ENTRIES);
            let (kid, key) = keys::active(conn, ctx.master, org)?;
            let row = StatusListRow {
                id: uuid::Uuid::new_v4().to_string(),
                organisation_id: org.to_owned(),
                purpose: REVOCATION.to_owned(),
                size: i64::try_from(bits.len()).map_err(corrupt)?,
                signed_credential: Some(signed_list(ctx, org, &bits, &kid, &key, Utc::now())?),
                bits: bits.as_bytes().to_vec(),
                version: 1,
                updated_at: crate::service::now(),
            };
            q::insert_status_list(conn, &row)?;
            Ok(row)
        }
        Err(e) => Err(e.into()),
    }
}

/// A change of a certificate's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusChange {
    /// Permanently withdrawn; published in the status list.
    Revoke,
    /// Temporarily not valid.
    Suspend,
    /// Suspension lifted.
    Reinstate,
}

/// An administrator's request to change a certificate's status.
#[derive(Debug, Clone, Copy)]
pub struct StatusRequest<'a> {
    /// The credential.
    pub id: &'a str,
    /// The version the administrator last read.
    pub expected_version: i64,
    /// What to do.
    pub change: StatusChange,
    /// Why; shown on the public page.
    pub reason: &'a str,
    /// Who does it.
    pub actor: &'a str,
}

/// Revokes, suspends or reinstates a credential of `org`.
pub fn change_status(
    conn: &mut DbConnection,
    ctx: &Issuing<'_>,
    org: &str,
    req: StatusRequest<'_>,
) -> Result<CredentialRow, ServiceError> {
    let StatusRequest { id, expected_version, change, reason, actor } = req;
    if reason.trim().is_empty() {
        return Err(ServiceError::invalid("reason", "say why; the employer's page shows it"));
    }
    crate::db::write(conn, |conn| {
        let row = q::find_in_org(conn, org, id)?;
        if row.revoked_at.is_some() {
            return Err(ServiceError::invalid("id", "the certificate is revoked; revocation is final"));
        }
        let now = crate::service::now();
        let reason = reason.trim();
        match change {
            StatusChange::Revoke => {
                q::set_status(conn, id, expected_version, Some((now, reason)), None)?;
                let list = status_list(conn, ctx, org)?;
                let mut bits = Bitstring::from_bytes(list.bits.clone());
                bits.set(usize::try_from(row.status_index).map_err(corrupt)?, true).map_err(corrupt)?;
                let (kid, key) = keys::active(conn, ctx.master, org)?;
                let signed = signed_list(ctx, org, &bits, &kid, &key, Utc::now())?;
                q::update_status_list(conn, &list.id, list.version, bits.as_bytes(), &signed, now)?;
            }
            StatusChange::Suspend => {
                if row.suspended_at.is_some() {
                    return Err(ServiceError::invalid("id", "the certificate is already suspended"));
                }
                q::set_status(conn, id, expected_version, None, Some(Some((now, reason))))?;
            }
            StatusChange::Reinstate => {
                if row.suspended_at.is_none() {
                    return Err(ServiceError::invalid("id", "the certificate is not suspended"));
                }
                q::set_status(conn, id, expected_version, None, Some(None))?;
            }
        }
        let action = match change {
            StatusChange::Revoke => "revoke",
            StatusChange::Suspend => "suspend",
            StatusChange::Reinstate => "reinstate",
        };
        q::insert_event(
            conn,
            &CredentialEvent {
                id: uuid::Uuid::new_v4().to_string(),
                credential_id: id.to_owned(),
                action: action.to_owned(),
                reason: reason.to_owned(),
                actor_id: actor.to_owned(),
                created_at: now,
            },
        )?;
        Ok(q::find_in_org(conn, org, id)?)
    })
}

/// The signed status list credential of an organisation, made on first request.
pub fn published_list(conn: &mut DbConnection, ctx: &Issuing<'_>, org: &str) -> Result<String, ServiceError> {
    organisations::find_by_id(conn, org)?;
    let row = crate::db::write(conn, |conn| status_list(conn, ctx, org))?;
    row.signed_credential.ok_or_else(|| corrupt("status list without a signed credential"))
}
