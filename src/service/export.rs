//! A participant's own data, all of it, as one JSON document (issue 14 part 6): their account
//! and candidate profile, every assessment with every revision of its records, the decisions
//! and confirmed units, the plan with every version, the follow-ups, their coaches and every
//! coach's invitation with their answer, their peer groups (their
//! own sharing choice and the sessions as members see them), and their certificates'
//! credentials as issued. Evidence files are listed by name and digest; their content is
//! downloaded one by one where it was uploaded.
//!
//! Only the participant asks for it (`Viewer::Participant`), so it is not a read by anyone else.

use serde_json::{Value, json};

use super::ServiceError;
use crate::db::DbConnection;
use crate::db::queries::{
    assessments, candidates, coach_invitations, credentials, decisions, files, follow_ups, organisations,
    plans, records, users,
};

/// The stable version of the document's shape, so a reader can tell what to expect.
pub const FORMAT: &str = "validera-export/1";

fn parsed(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_owned()))
}

/// Everything stored about the candidate signed in as `user_id`.
pub fn my_data(
    conn: &mut DbConnection,
    user_id: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Value, ServiceError> {
    let user = users::find_by_id(conn, user_id)?;
    let cand = candidates::find_by_user(conn, user_id)?;
    let org = organisations::find_by_id(conn, &cand.organisation_id)?;
    let mut assessments_out = Vec::new();
    let mut frameworks = std::collections::BTreeSet::new();
    for a in assessments::list_for_candidate(conn, &cand.organisation_id, &cand.id)? {
        frameworks.insert(a.framework_id.clone());
        let mut recs = Vec::new();
        for r in records::list_revisions(conn, &a.id)? {
            let evidence_files: Vec<Value> = files::list_for_record(conn, &r.record_id)?
                .into_iter()
                .map(|f| {
                    json!({"id": f.id, "file_name": f.file_name, "content_type": f.content_type,
                           "sha256": f.sha256, "size": f.size, "uploaded_at": f.created_at})
                })
                .collect();
            recs.push(json!({
                "record_id": r.record_id, "revision": r.revision, "kind": r.kind, "date": r.record_date,
                "content": parsed(&r.body), "judgement_reasons": r.judgement_reasons.as_deref().map(parsed),
                "withdrawn": r.withdrawn, "reason": r.reason, "author_id": r.author_id, "created_at": r.created_at,
                "files": evidence_files,
            }));
        }
        let decs: Vec<Value> = decisions::list_for_assessment(conn, &a.id)?
            .into_iter()
            .map(|d| {
                json!({"id": d.id, "status": d.status, "units": parsed(&d.units),
                       "qualification": d.qualification_code, "submitted_at": d.submitted_at,
                       "submit_comment": d.submit_comment, "verified_at": d.verified_at,
                       "verifier_comment": d.verifier_comment})
            })
            .collect();
        assessments_out.push(json!({
            "id": a.id, "framework_id": a.framework_id, "framework_version": a.framework_version,
            "qualification": a.qualification_code, "started_at": a.created_at,
            "records": recs, "decisions": decs,
        }));
    }
    let mut achievements = Vec::new();
    for f in &frameworks {
        for a in assessments::list_achievements(conn, &cand.id, f)? {
            achievements.push(json!({"framework_id": a.framework_id, "kind": a.kind, "code": a.code,
                                     "confirmed_at": a.confirmed_at}));
        }
    }
    let plan = match plans::find_for_candidate(conn, &cand.organisation_id, &cand.id)? {
        None => Value::Null,
        Some(p) => {
            let versions: Vec<Value> = plans::versions(conn, &p.id)?
                .into_iter()
                .map(|v| {
                    json!({"version": v.version, "content": parsed(&v.body), "author_id": v.author_id,
                                "created_at": v.created_at})
                })
                .collect();
            json!({"id": p.id, "version": p.version, "content": parsed(&p.body), "updated_at": p.updated_at,
                   "updated_by": p.updated_by, "closed_at": p.closed_at, "versions": versions})
        }
    };
    let follow_ups: Vec<Value> = follow_ups::list_for_candidate(conn, &cand.organisation_id, &cand.id)?
        .into_iter()
        .map(|f| {
            json!({"id": f.id, "meeting_date": f.meeting_date, "notes": f.notes, "next_steps": f.next_steps,
                   "next_meeting": f.next_meeting, "author_id": f.author_id, "created_at": f.created_at})
        })
        .collect();
    let coaches: Vec<Value> = plans::coaches_of(conn, &cand.organisation_id, &cand.id)?
        .into_iter()
        .map(|a| json!({"coach_id": a.coach_id, "assigned_by": a.assigned_by, "assigned_at": a.created_at}))
        .collect();
    let invitations: Vec<Value> =
        coach_invitations::all_for_candidate(conn, &cand.organisation_id, &cand.id)?
            .into_iter()
            .map(|i| {
                json!({"id": i.id, "coach_id": i.coach_id, "invited_by": i.invited_by, "status": i.status,
                   "created_at": i.created_at, "answered_at": i.answered_at})
            })
            .collect();
    let certificates: Vec<Value> = credentials::list_for_candidate(conn, &cand.id)?
        .into_iter()
        .map(|c| {
            json!({"id": c.id, "kind": c.kind, "achievement": c.achievement_code, "framework_id": c.framework_id,
                   "framework_version": c.framework_version, "issued_at": c.issued_at,
                   "revoked_at": c.revoked_at, "suspended_at": c.suspended_at,
                   "credential": parsed(&c.document), "jwt": c.jwt})
        })
        .collect();
    // The groups as the participant sees them: what others chose to share, their own choice.
    let groups: Vec<Value> = super::peer_groups::for_member(conn, user_id)?
        .into_iter()
        .map(|g| {
            let sessions: Vec<Value> = g
                .sessions
                .iter()
                .map(|x| json!({"date": x.session_date, "topic": x.topic, "assignment": x.assignment}))
                .collect();
            json!({"id": g.group.id, "name": g.group.name, "theme": g.group.theme, "seat": g.me.seat,
                   "share_name": g.me.share_name, "share_goal": g.me.share_goal, "joined_at": g.me.joined_at,
                   "sessions": sessions})
        })
        .collect();
    Ok(json!({
        "format": FORMAT,
        "exported_at": now,
        "organisation": {"id": org.id, "name": org.name},
        "account": {"id": user.id, "email": user.email, "display_name": user.display_name,
                    "language": user.language, "roles": user.roles, "created_at": user.created_at},
        "candidate": {"id": cand.id, "display_name": cand.display_name, "email": cand.email,
                      "language": cand.language, "created_at": cand.created_at},
        "assessments": assessments_out,
        "achievements": achievements,
        "plan": plan,
        "follow_ups": follow_ups,
        "coaches": coaches,
        "coach_invitations": invitations,
        "certificates": certificates,
        "groups": groups,
    }))
}
