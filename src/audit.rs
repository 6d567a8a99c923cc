//! The audit trail's chain, pure: how an event is hashed and how a run of stored events is
//! checked. Storage and the moment of appending are in `service::audit`.
//!
//! One global chain rather than one per organisation: a single head is the simplest thing to
//! serialize and to verify, and a deleted row is a gap whoever it belonged to. Administrators
//! still see only their organisation's events; the chain is for the operator.

use chrono::NaiveDateTime;
use sha2::{Digest, Sha256};

/// `prev_hash` of the first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What happened. The stored name is also the key of its label in the catalogues
/// (`audit-action-<name>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    SignIn,
    SignInFailed,
    UserCreated,
    UserChanged,
    PasswordChanged,
    DecisionSubmitted,
    DecisionConfirmed,
    DecisionReturned,
    CertificateIssued,
    CertificateRevoked,
    CertificateSuspended,
    CertificateReinstated,
    KeyRotated,
    KeyCompromised,
    FrameworkUploaded,
    FrameworkApproved,
    FrameworkReturned,
    FrameworkReviewDateSet,
    CoachAssigned,
    CoachUnassigned,
    /// Someone other than the participant read their development plan.
    PlanRead,
    /// A framework's sampling plan for external quality assurance was set.
    EqaPlanSet,
    /// The external quality assurer agreed with a sampled decision.
    EqaAgreed,
    /// The external quality assurer did not agree with a sampled decision.
    EqaNotAgreed,
    /// An administrator reviewed a "not agreed" and kept the certificates.
    EqaReviewKept,
    /// An administrator reviewed a "not agreed" and suspended the certificates.
    EqaReviewSuspended,
    /// `validera retention run` deleted closed plans or follow-up notes of the organisation.
    RetentionDeleted,
    /// A coach, or an administrator on the coach's behalf, proposed to work with a participant.
    CoachInvited,
    /// The participant accepted a coach's invitation: the coach now works with them.
    CoachInvitationAccepted,
    /// The participant declined a coach's invitation.
    CoachInvitationDeclined,
    /// The participant ended a coach's access to their plan and progress.
    CoachAccessEnded,
    /// An administrator changed the organisation's time zone (its "today").
    OrganisationTimeZoneChanged,
}

impl Action {
    /// Every action, for the catalogue check.
    pub const ALL: [Action; 32] = [
        Action::SignIn,
        Action::SignInFailed,
        Action::UserCreated,
        Action::UserChanged,
        Action::PasswordChanged,
        Action::DecisionSubmitted,
        Action::DecisionConfirmed,
        Action::DecisionReturned,
        Action::CertificateIssued,
        Action::CertificateRevoked,
        Action::CertificateSuspended,
        Action::CertificateReinstated,
        Action::KeyRotated,
        Action::KeyCompromised,
        Action::FrameworkUploaded,
        Action::FrameworkApproved,
        Action::FrameworkReturned,
        Action::FrameworkReviewDateSet,
        Action::CoachAssigned,
        Action::CoachUnassigned,
        Action::PlanRead,
        Action::EqaPlanSet,
        Action::EqaAgreed,
        Action::EqaNotAgreed,
        Action::EqaReviewKept,
        Action::EqaReviewSuspended,
        Action::RetentionDeleted,
        Action::CoachInvited,
        Action::CoachInvitationAccepted,
        Action::CoachInvitationDeclined,
        Action::CoachAccessEnded,
        Action::OrganisationTimeZoneChanged,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::SignIn => "sign-in",
            Action::SignInFailed => "sign-in-failed",
            Action::UserCreated => "user-created",
            Action::UserChanged => "user-changed",
            Action::PasswordChanged => "password-changed",
            Action::DecisionSubmitted => "decision-submitted",
            Action::DecisionConfirmed => "decision-confirmed",
            Action::DecisionReturned => "decision-returned",
            Action::CertificateIssued => "certificate-issued",
            Action::CertificateRevoked => "certificate-revoked",
            Action::CertificateSuspended => "certificate-suspended",
            Action::CertificateReinstated => "certificate-reinstated",
            Action::KeyRotated => "key-rotated",
            Action::KeyCompromised => "key-compromised",
            Action::FrameworkUploaded => "framework-uploaded",
            Action::FrameworkApproved => "framework-approved",
            Action::FrameworkReturned => "framework-returned",
            Action::FrameworkReviewDateSet => "framework-review-date-set",
            Action::CoachAssigned => "coach-assigned",
            Action::CoachUnassigned => "coach-unassigned",
            Action::PlanRead => "plan-read",
            Action::EqaPlanSet => "eqa-plan-set",
            Action::EqaAgreed => "eqa-agreed",
            Action::EqaNotAgreed => "eqa-not-agreed",
            Action::EqaReviewKept => "eqa-review-kept",
            Action::EqaReviewSuspended => "eqa-review-suspended",
            Action::RetentionDeleted => "retention-deleted",
            Action::CoachInvited => "coach-invited",
            Action::CoachInvitationAccepted => "coach-invitation-accepted",
            Action::CoachInvitationDeclined => "coach-invitation-declined",
            Action::CoachAccessEnded => "coach-access-ended",
            Action::OrganisationTimeZoneChanged => "organisation-time-zone-changed",
        }
    }
}

/// The hashed content of one event.
#[derive(Debug, Clone, Copy)]
pub struct Link<'a> {
    pub seq: i64,
    pub at: NaiveDateTime,
    pub organisation_id: Option<&'a str>,
    pub actor_id: Option<&'a str>,
    pub action: &'a str,
    pub subject: &'a str,
    /// The details exactly as stored (JSON text); hashing the text, not a re-serialisation,
    /// keeps the hash independent of a JSON library's key order.
    pub details: &'a str,
    pub prev_hash: &'a str,
}

/// The time as hashed: microseconds, which both backends store exactly.
fn time_text(at: NaiveDateTime) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.6f").to_string()
}

/// SHA-256, hex, over a canonical encoding: a version tag, then every field length-prefixed
/// (an absent optional field is one 0 byte, a present one a 1 byte before it), so no two
/// different events share an encoding however their texts are chosen.
pub fn hash(link: &Link<'_>) -> String {
    fn field(h: &mut Sha256, bytes: &[u8]) {
        h.update((bytes.len() as u64).to_be_bytes());
        h.update(bytes);
    }
    fn optional(h: &mut Sha256, value: Option<&str>) {
        match value {
            None => h.update([0u8]),
            Some(v) => {
                h.update([1u8]);
                field(h, v.as_bytes());
            }
        }
    }
    let mut h = Sha256::new();
    field(&mut h, b"validera-audit-v1");
    h.update(link.seq.to_be_bytes());
    field(&mut h, time_text(link.at).as_bytes());
    optional(&mut h, link.organisation_id);
    optional(&mut h, link.actor_id);
    field(&mut h, link.action.as_bytes());
    field(&mut h, link.subject.as_bytes());
    field(&mut h, link.details.as_bytes());
    field(&mut h, link.prev_hash.as_bytes());
    hex::encode(h.finalize())
}

/// Why the chain breaks at a sequence number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Break {
    /// The event's content does not give its stored hash: it was edited.
    HashMismatch,
    /// The event does not point at the hash of the event before it.
    PrevMismatch,
    /// No event has this sequence number, though a later one exists: it was deleted.
    Gap,
}

impl std::fmt::Display for Break {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Break::HashMismatch => "hash mismatch: the event was changed after it was written",
            Break::PrevMismatch => "prev mismatch: the event does not follow the one before it",
            Break::Gap => "gap: the event is missing",
        })
    }
}

/// The first broken link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenLink {
    pub seq: i64,
    pub why: Break,
}

/// Checks stored events fed in order of `seq`, in as many batches as the caller likes.
#[derive(Debug, Clone)]
pub struct ChainCheck {
    next_seq: i64,
    prev_hash: String,
    checked: u64,
}

impl Default for ChainCheck {
    fn default() -> Self {
        Self { next_seq: 1, prev_hash: GENESIS.to_owned(), checked: 0 }
    }
}

impl ChainCheck {
    /// Checks the next stored event and its stored hash.
    pub fn push(&mut self, link: &Link<'_>, stored_hash: &str) -> Result<(), BrokenLink> {
        if link.seq != self.next_seq {
            // Lower than expected cannot happen over a unique, ordered seq; either way the
            // expected one is not there.
            return Err(BrokenLink { seq: self.next_seq, why: Break::Gap });
        }
        if link.prev_hash != self.prev_hash {
            return Err(BrokenLink { seq: link.seq, why: Break::PrevMismatch });
        }
        if hash(link) != stored_hash {
            return Err(BrokenLink { seq: link.seq, why: Break::HashMismatch });
        }
        self.next_seq += 1;
        self.prev_hash = stored_hash.to_owned();
        self.checked += 1;
        Ok(())
    }

    /// How many events passed.
    pub fn checked(&self) -> u64 {
        self.checked
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at() -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 12, 4)
            .and_then(|d| d.and_hms_micro_opt(21, 30, 5, 123_456))
            .expect("a valid time")
    }

    fn link<'a>(seq: i64, prev: &'a str, details: &'a str) -> Link<'a> {
        Link {
            seq,
            at: at(),
            organisation_id: Some("org-1"),
            actor_id: Some("user-1"),
            action: Action::SignIn.as_str(),
            subject: "user-1",
            details,
            prev_hash: prev,
        }
    }

    fn chain(n: i64) -> Vec<(Link<'static>, String)> {
        let mut out: Vec<(Link<'static>, String)> = Vec::new();
        let mut prev: &'static str = GENESIS;
        for seq in 1..=n {
            let l = link(seq, prev, "{}");
            let h = hash(&l);
            prev = Box::leak(h.clone().into_boxed_str());
            out.push((l, h));
        }
        out
    }

    #[test]
    fn every_field_changes_the_hash() {
        let base = link(1, GENESIS, "{\"a\":1}");
        let h = hash(&base);
        assert_eq!(h.len(), 64);
        let variants = [
            Link { seq: 2, ..base },
            Link { at: at() + chrono::Duration::microseconds(1), ..base },
            Link { organisation_id: None, ..base },
            Link { organisation_id: Some("org-2"), ..base },
            Link { actor_id: None, ..base },
            Link { action: Action::SignInFailed.as_str(), ..base },
            Link { subject: "user-2", ..base },
            Link { details: "{\"a\":2}", ..base },
            Link { prev_hash: "1", ..base },
        ];
        for v in variants {
            assert_ne!(hash(&v), h, "{v:?}");
        }
        assert_eq!(hash(&base), h, "the hash is deterministic");
    }

    #[test]
    fn field_boundaries_are_part_of_the_encoding() {
        let a = Link { subject: "ab", details: "c", ..link(1, GENESIS, "") };
        let b = Link { subject: "a", details: "bc", ..link(1, GENESIS, "") };
        assert_ne!(hash(&a), hash(&b));
        let none = Link { actor_id: None, ..link(1, GENESIS, "") };
        let empty = Link { actor_id: Some(""), ..link(1, GENESIS, "") };
        assert_ne!(hash(&none), hash(&empty));
    }

    #[test]
    fn an_intact_chain_passes_in_batches() {
        let c = chain(5);
        let mut check = ChainCheck::default();
        for (l, h) in &c {
            check.push(l, h).expect("intact");
        }
        assert_eq!(check.checked(), 5);
    }

    #[test]
    fn an_edited_event_is_a_hash_mismatch_at_its_seq() {
        let c = chain(4);
        let mut check = ChainCheck::default();
        let mut result = Ok(());
        for (l, h) in &c {
            let l = if l.seq == 3 { Link { details: "{\"edited\":true}", ..*l } } else { *l };
            result = check.push(&l, h);
            if result.is_err() {
                break;
            }
        }
        assert_eq!(result, Err(BrokenLink { seq: 3, why: Break::HashMismatch }));
    }

    #[test]
    fn a_rehashed_edit_breaks_the_next_link() {
        let c = chain(4);
        let edited = Link { details: "{\"edited\":true}", ..c[1].0 };
        let rehashed = hash(&edited);
        let mut check = ChainCheck::default();
        check.push(&c[0].0, &c[0].1).expect("first is intact");
        check.push(&edited, &rehashed).expect("the edit carries its own new hash");
        assert_eq!(check.push(&c[2].0, &c[2].1), Err(BrokenLink { seq: 3, why: Break::PrevMismatch }));
    }

    #[test]
    fn a_deleted_event_is_a_gap_at_its_seq() {
        let c = chain(4);
        let mut check = ChainCheck::default();
        check.push(&c[0].0, &c[0].1).expect("first is intact");
        assert_eq!(check.push(&c[2].0, &c[2].1), Err(BrokenLink { seq: 2, why: Break::Gap }));
        let mut from_start = ChainCheck::default();
        assert_eq!(from_start.push(&c[1].0, &c[1].1), Err(BrokenLink { seq: 1, why: Break::Gap }));
    }
}
