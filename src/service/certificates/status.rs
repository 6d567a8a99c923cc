//! The status list of an organisation, and changes of a certificate's status.
//!
//! Policy: each credential carries one `BitstringStatusListEntry` with `statusPurpose:
//! "revocation"` (the official OB 3.0 schema takes one `credentialStatus` object, and the DCC
//! verifier reads only the first). Its bit means "not currently valid": set for ever at
//! revocation, set while a certificate is suspended, cleared at reinstatement. Our own
//! database still tells revoked from suspended. The signed list is valid for a short window
//! (`validUntil`) and re-signed by [`refresh_lists`] when less than half of it remains, and at
//! once whenever a bit or the signing key changes. See `docs/certificates.md`.

use crate::audit::Action;
use crate::service::audit::Event;
use chrono::{DateTime, SubsecRound, Utc};
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
        "validUntil": (now + ctx.list_validity).to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
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

/// The organisation's revocation list, held until the transaction ends so that changes of its
/// bits queue (see the policy in `db`); made (empty, signed) on first use, under the
/// organisation's row, so exactly once however many first issues run at the same time.
pub(super) fn status_list(
    conn: &mut DbConnection,
    ctx: &Issuing<'_>,
    org: &str,
) -> Result<StatusListRow, ServiceError> {
    match q::lock_status_list(conn, org, REVOCATION) {
        Err(DbError::NotFound) => {}
        found => return Ok(found?),
    }
    organisations::lock(conn, org)?;
    match q::lock_status_list(conn, org, REVOCATION) {
        Err(DbError::NotFound) => {}
        made_meanwhile => return Ok(made_meanwhile?),
    }
    let bits = Bitstring::new(MIN_ENTRIES);
    let (kid, key) = keys::active(conn, ctx.master, org)?;
    let row = StatusListRow {
        id: uuid::Uuid::new_v4().to_string(),
        organisation_id: org.to_owned(),
        purpose: REVOCATION.to_owned(),
        size: i64::try_from(bits.len()).map_err(corrupt)?,
        signed_credential: Some(signed_list(ctx, org, &bits, &kid, &key, list_now())?),
        bits: bits.as_bytes().to_vec(),
        version: 1,
        updated_at: crate::service::now(),
    };
    q::insert_status_list(conn, &row)?;
    Ok(row)
}

/// Holds `org`'s list, if it has one, until the transaction ends: for a change that will
/// re-sign it after touching certificates, so that it takes the list before their rows as
/// status changes do, and the two cannot deadlock.
pub(crate) fn hold_list(conn: &mut DbConnection, org: &str) -> Result<(), ServiceError> {
    match q::lock_status_list(conn, org, REVOCATION) {
        Ok(_) | Err(DbError::NotFound) => Ok(()),
        Err(e) => Err(e.into()),
    }
}

/// The clock for list signatures: whole seconds, as the list states its dates.
fn list_now() -> DateTime<Utc> {
    crate::service::now().and_utc().trunc_subsecs(0)
}

/// Re-signs `org`'s list with `bits` and the active key, as of `now`, if it is still at the
/// version read; a concurrent change makes this a conflict.
fn store_signed(
    conn: &mut DbConnection,
    ctx: &Issuing<'_>,
    list: &StatusListRow,
    bits: &Bitstring,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let (kid, key) = keys::active(conn, ctx.master, &list.organisation_id)?;
    let signed = signed_list(ctx, &list.organisation_id, bits, &kid, &key, now)?;
    q::update_status_list(conn, &list.id, list.version, bits.as_bytes(), &signed, now.naive_utc())?;
    Ok(())
}

/// Re-signs `org`'s list as it is (after a change of signing key). Runs in the caller's
/// transaction.
pub(crate) fn resign_list(conn: &mut DbConnection, ctx: &Issuing<'_>, org: &str) -> Result<(), ServiceError> {
    let list = status_list(conn, ctx, org)?;
    let bits = Bitstring::from_bytes(list.bits.clone());
    store_signed(conn, ctx, &list, &bits, list_now())
}

fn set_bit(
    conn: &mut DbConnection,
    ctx: &Issuing<'_>,
    list: &StatusListRow,
    index: i64,
    value: bool,
) -> Result<(), ServiceError> {
    let mut bits = Bitstring::from_bytes(list.bits.clone());
    bits.set(usize::try_from(index).map_err(corrupt)?, value).map_err(corrupt)?;
    store_signed(conn, ctx, list, &bits, list_now())
}

/// When a signed list stops being valid, if it says.
fn list_valid_until(signed: Option<&str>) -> Option<DateTime<Utc>> {
    let v: serde_json::Value = serde_json::from_str(signed?).ok()?;
    DateTime::parse_from_rfc3339(v["validUntil"].as_str()?).ok().map(|d| d.with_timezone(&Utc))
}

/// Whether a list signed until `until` needs signing again at `now`: less than half of its
/// window is left (or it has no end, as lists signed before windows existed).
fn due(until: Option<DateTime<Utc>>, now: DateTime<Utc>, window: chrono::Duration) -> bool {
    until.is_none_or(|u| u - now < window / 2)
}

/// One step of the refresher: re-signs, as of `now`, every status list with less than half of
/// its validity window left; returns how many it re-signed. Safe to run on several instances
/// over one database at once: each list is re-signed under its version, and an instance that
/// loses the race skips that list (the winner's signature is as fresh).
pub fn refresh_lists(
    conn: &mut DbConnection,
    ctx: &Issuing<'_>,
    now: DateTime<Utc>,
) -> Result<usize, ServiceError> {
    let now = now.trunc_subsecs(0);
    let mut refreshed = 0;
    for list in q::list_status_lists(conn)? {
        if !due(list_valid_until(list.signed_credential.as_deref()), now, ctx.list_validity) {
            continue;
        }
        let bits = Bitstring::from_bytes(list.bits.clone());
        match crate::db::write(conn, |conn| store_signed(conn, ctx, &list, &bits, now)) {
            Ok(()) => refreshed += 1,
            Err(ServiceError::Db(DbError::Conflict(_))) => {
                tracing::debug!(list = %list.id, "status list re-signed by another instance meanwhile");
            }
            Err(e) => return Err(e),
        }
    }
    if refreshed > 0 {
        tracing::info!(refreshed, "status lists re-signed before their window ends");
    }
    Ok(refreshed)
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
    crate::service::free_text("reason", reason)?;
    if reason.trim().is_empty() {
        return Err(ServiceError::invalid("reason", "say why; the employer's page shows it"));
    }
    crate::db::write(conn, |conn| {
        // Another certificate's change waits here rather than failing on the list's version;
        // the certificate is read after, so it is as the last change left it.
        let list = status_list(conn, ctx, org)?;
        let row = q::find_in_org(conn, org, id)?;
        // Checked before its state: a change made since the caller read it (a revocation that
        // won a race with a suspension) is a stale version (409), not a bad request.
        if row.version != expected_version {
            return Err(DbError::Conflict(format!(
                "the certificate was changed by someone else (now at version {}); reload it",
                row.version
            ))
            .into());
        }
        if row.revoked_at.is_some() {
            return Err(ServiceError::invalid("id", "the certificate is revoked; revocation is final"));
        }
        let now = crate::service::now();
        let reason = reason.trim();
        match change {
            StatusChange::Revoke => {
                q::set_status(conn, id, expected_version, Some((now, reason)), None)?;
                set_bit(conn, ctx, &list, row.status_index, true)?;
            }
            StatusChange::Suspend => {
                if row.suspended_at.is_some() {
                    return Err(ServiceError::invalid("id", "the certificate is already suspended"));
                }
                q::set_status(conn, id, expected_version, None, Some(Some((now, reason))))?;
                set_bit(conn, ctx, &list, row.status_index, true)?;
            }
            StatusChange::Reinstate => {
                if row.suspended_at.is_none() {
                    return Err(ServiceError::invalid("id", "the certificate is not suspended"));
                }
                q::set_status(conn, id, expected_version, None, Some(None))?;
                set_bit(conn, ctx, &list, row.status_index, false)?;
            }
        }
        let (action, audited) = match change {
            StatusChange::Revoke => ("revoke", Action::CertificateRevoked),
            StatusChange::Suspend => ("suspend", Action::CertificateSuspended),
            StatusChange::Reinstate => ("reinstate", Action::CertificateReinstated),
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
        // The reason is free text that may name the holder; the trail keeps it out and points
        // at the credential's own event history instead.
        crate::service::audit::record(conn, vec![Event::new(Some(org), Some(actor), audited, id)])?;
        Ok(q::find_in_org(conn, org, id)?)
    })
}

/// The signed status list credential of an organisation. Reading never writes: the list is
/// made with the organisation's first certificate and re-signed by changes and the refresher,
/// so an organisation that has issued nothing has no list (not found).
pub fn published_list(conn: &mut DbConnection, org: &str) -> Result<String, ServiceError> {
    organisations::find_by_id(conn, org)?;
    let row = q::find_status_list(conn, org, REVOCATION)?;
    row.signed_credential.ok_or_else(|| corrupt("status list without a signed credential"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn a_list_is_due_when_less_than_half_its_window_is_left_or_it_has_no_end() {
        let window = chrono::Duration::hours(48);
        let until = Some(at("2026-12-03T00:00:00Z"));
        assert!(!due(until, at("2026-12-01T00:00:00Z"), window), "48 h left");
        assert!(!due(until, at("2026-12-02T00:00:00Z"), window), "exactly half left");
        assert!(due(until, at("2026-12-02T00:00:01Z"), window), "less than half left");
        assert!(due(until, at("2026-12-04T00:00:00Z"), window), "already past");
        assert!(due(None, at("2026-12-01T00:00:00Z"), window), "signed before lists had windows");
    }

    #[test]
    fn the_end_of_a_signed_list_is_read_from_its_valid_until() {
        let signed = r#"{"validFrom":"2026-12-01T00:00:00Z","validUntil":"2026-12-03T00:00:00Z"}"#;
        assert_eq!(list_valid_until(Some(signed)), Some(at("2026-12-03T00:00:00Z")));
        assert_eq!(list_valid_until(Some(r#"{"validFrom":"2026-12-01T00:00:00Z"}"#)), None);
        assert_eq!(list_valid_until(None), None);
    }
}
