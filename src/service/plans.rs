//! Coaches and development plans: who may read a participant's plan, drafting steps from the
//! gap report, and saving a new version without overwriting anyone's edit.
//!
//! Policy: a plan is read by its participant (the candidate signed in as themselves) or by a
//! coach assigned to them (by an administrator, or by accepting the coach's invitation, see
//! `service::invitations`); everyone else, another organisation's coach
//! included, finds nothing (404). Every read by a coach appends a `plan-read` event to the
//! audit trail. Whether a step is reached is never stored: it is computed when the plan is
//! read, from the units confirmed for the participant, so it cannot disagree with them.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::ServiceError;
use super::audit::{self, Event};
use super::frameworks::FrameworkCache;
use crate::audit::Action;
use crate::db::models::{Candidate, CoachAssignment, PlanRow, PlanVersionRow};
use crate::db::queries::{assessments, candidates, plans as q, users};
use crate::db::{self, DbConnection, DbError};
use crate::engine::evaluate::UnitStatus;
use crate::engine::ids::{CriterionRef, UnitCode};
use crate::engine::{Framework, Lang, explain};
use crate::i18n::Tr;

/// Who does a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Who {
    Participant,
    Coach,
    Partner,
}

/// Where a step stands, as people set it; `reached` is computed (see [`StepState`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StepStatus {
    Planned,
    Doing,
    Done,
}

/// The kind of support a step involves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SupportKind {
    AdultEducation,
    WorkPlacement,
    StudyCircle,
    Other,
}

macro_rules! slugs {
    ($t:ty { $($v:ident = $s:literal),* $(,)? }) => {
        impl $t {
            /// Every value, in the order forms offer them.
            pub const ALL: &'static [$t] = &[$(<$t>::$v),*];
            /// The name in the API, the stored JSON and the catalogues.
            pub fn as_str(self) -> &'static str {
                match self { $(<$t>::$v => $s),* }
            }
            /// The value named `s`.
            pub fn parse(s: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == s)
            }
        }
    };
}
slugs!(Who { Participant = "participant", Coach = "coach", Partner = "partner" });
slugs!(StepStatus { Planned = "planned", Doing = "doing", Done = "done" });
slugs!(SupportKind {
    AdultEducation = "adult-education",
    WorkPlacement = "work-placement",
    StudyCircle = "study-circle",
    Other = "other",
});

/// A partner or arrangement that supports a step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Support {
    pub kind: SupportKind,
    pub name: String,
}

/// A unit of the gap report a step works toward, and optionally some of its criteria.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitLink {
    pub framework_id: String,
    pub unit: String,
    #[serde(default)]
    pub criteria: Vec<String>,
}

/// One step of a plan, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    pub id: String,
    pub text: String,
    /// Free text: for a drafted step, the ways each criterion could be shown.
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub works_toward: Vec<UnitLink>,
    pub who: Who,
    pub target_date: Option<NaiveDate>,
    pub status: StepStatus,
    pub support: Option<Support>,
}

/// A plan's content, stored as JSON in `plans.body` and `plan_versions.body`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanBody {
    /// The personal goal, in the participant's own words.
    pub goal: String,
    pub steps: Vec<Step>,
}

/// Most steps a plan may have: a plan is for a person to follow, not a project tracker.
pub const MAX_STEPS: usize = 100;
/// Longest goal, in characters.
pub const GOAL_MAX: usize = 2_000;

/// Who is asking for a plan.
#[derive(Debug, Clone, Copy)]
pub enum Viewer<'a> {
    /// The signed-in candidate, for their own plan.
    Participant { user_id: &'a str },
    /// A coach of `org`, for participant `candidate_id`.
    Coach { org: &'a str, coach_id: &'a str, candidate_id: &'a str },
}

impl Viewer<'_> {
    fn coach(&self) -> Option<&str> {
        match self {
            Viewer::Coach { coach_id, .. } => Some(coach_id),
            Viewer::Participant { .. } => None,
        }
    }
}

/// The participant `viewer` may see; anything else is not found.
pub fn participant(conn: &mut DbConnection, viewer: Viewer<'_>) -> Result<Candidate, ServiceError> {
    match viewer {
        Viewer::Participant { user_id } => Ok(candidates::find_by_user(conn, user_id)?),
        Viewer::Coach { org, coach_id, candidate_id } => {
            let cand = candidates::find_in_org(conn, org, candidate_id)?;
            if !q::is_assigned(conn, org, coach_id, candidate_id)? {
                return Err(DbError::NotFound.into());
            }
            Ok(cand)
        }
    }
}

/// Appends `plan-read` when someone other than the participant reads their plan.
pub(super) fn audit_read(
    conn: &mut DbConnection,
    viewer: Viewer<'_>,
    cand: &Candidate,
    what: &str,
) -> Result<(), ServiceError> {
    let Some(coach) = viewer.coach() else { return Ok(()) };
    audit::record(
        conn,
        vec![
            Event::new(Some(&cand.organisation_id), Some(coach), Action::PlanRead, cand.id.clone())
                .with(serde_json::json!({ "read": what })),
        ],
    )
}

/// The frameworks the participant is assessed against (every version), by framework id.
fn frameworks_of(
    conn: &mut DbConnection,
    cache: &FrameworkCache,
    cand: &Candidate,
) -> Result<BTreeMap<String, Vec<Arc<Framework>>>, ServiceError> {
    let mut out: BTreeMap<String, Vec<Arc<Framework>>> = BTreeMap::new();
    let mut seen = BTreeSet::new();
    for a in assessments::list_for_candidate(conn, &cand.organisation_id, &cand.id)? {
        if seen.insert((a.framework_id.clone(), a.framework_version.clone())) {
            let f = cache.get(conn, &a.framework_id, &a.framework_version)?;
            out.entry(a.framework_id.clone()).or_default().push(f);
        }
    }
    Ok(out)
}

/// A plan as read: its content, version, and what is computed from the participant's record.
#[derive(Debug, Clone)]
pub struct Plan {
    pub candidate: Candidate,
    /// The stored row; `None` before the first save (version 0, empty).
    pub row: Option<PlanRow>,
    pub body: PlanBody,
    /// Units confirmed for the participant, as (framework id, unit code).
    pub confirmed: BTreeSet<(String, String)>,
    /// The participant's frameworks, for unit titles.
    pub frameworks: BTreeMap<String, Vec<Arc<Framework>>>,
}

impl Plan {
    /// The version a write must name.
    pub fn version(&self) -> i64 {
        self.row.as_ref().map_or(0, |r| r.version)
    }

    /// When the coaching ended, if the plan is closed.
    pub fn closed_at(&self) -> Option<chrono::NaiveDateTime> {
        self.row.as_ref().and_then(|r| r.closed_at)
    }

    /// Whether every unit `step` works toward is confirmed (a step that names none never is).
    pub fn reached(&self, step: &Step) -> bool {
        !step.works_toward.is_empty()
            && step
                .works_toward
                .iter()
                .all(|l| self.confirmed.contains(&(l.framework_id.clone(), l.unit.clone())))
    }

    /// The title of a linked unit in `lang`, from the newest framework version that has it.
    pub fn unit_title(&self, link: &UnitLink, lang: Lang) -> Option<String> {
        let code = UnitCode::parse(&link.unit).ok()?;
        self.frameworks
            .get(&link.framework_id)?
            .iter()
            .rev()
            .find_map(|f| f.unit(&code))
            .map(|u| u.title.get(lang).to_owned())
    }

    /// Steps done (set done, or reached), steps in all, and distinct linked units confirmed.
    pub fn counts(&self) -> (usize, usize, usize) {
        let done = self.body.steps.iter().filter(|s| s.status == StepStatus::Done || self.reached(s)).count();
        let units: BTreeSet<(String, String)> = self
            .body
            .steps
            .iter()
            .flat_map(|s| s.works_toward.iter().map(|l| (l.framework_id.clone(), l.unit.clone())))
            .filter(|k| self.confirmed.contains(k))
            .collect();
        (done, self.body.steps.len(), units.len())
    }

    /// The progress in plain language: "2 of 5 steps done; 1 unit reached".
    pub fn progress_text(&self, tr: Tr) -> String {
        use fluent_bundle::FluentValue;
        let (done, total, units) = self.counts();
        if total == 0 {
            return tr.t("plan-progress-empty");
        }
        tr.ta(
            "plan-progress",
            &[
                ("done", FluentValue::from(done)),
                ("total", FluentValue::from(total)),
                ("units", FluentValue::from(units)),
            ],
        )
    }

    /// The step to do next: the first one under way, else the first planned one with the
    /// earliest target date (undated last); none when everything is done or reached.
    pub fn next_step(&self) -> Option<&Step> {
        let open = || self.body.steps.iter().filter(|s| s.status != StepStatus::Done && !self.reached(s));
        open()
            .find(|s| s.status == StepStatus::Doing)
            .or_else(|| open().min_by_key(|s| (s.target_date.is_none(), s.target_date)))
    }
}

pub(super) fn load_plan(
    conn: &mut DbConnection,
    cache: &FrameworkCache,
    cand: Candidate,
) -> Result<Plan, ServiceError> {
    let row = q::find_for_candidate(conn, &cand.organisation_id, &cand.id)?;
    let body = match &row {
        Some(r) => parse_body(&r.body)?,
        None => PlanBody::default(),
    };
    let frameworks = frameworks_of(conn, cache, &cand)?;
    let mut confirmed = BTreeSet::new();
    for fid in frameworks.keys() {
        for a in assessments::list_achievements(conn, &cand.id, fid)? {
            if a.kind == "unit" {
                confirmed.insert((fid.clone(), a.code));
            }
        }
    }
    Ok(Plan { candidate: cand, row, body, confirmed, frameworks })
}

fn parse_body(s: &str) -> Result<PlanBody, ServiceError> {
    serde_json::from_str(s).map_err(|e| DbError::Corrupt(format!("plan body: {e}")).into())
}

/// The plan `viewer` may read, recorded in the audit trail if they are not the participant.
pub fn read(
    conn: &mut DbConnection,
    cache: &FrameworkCache,
    viewer: Viewer<'_>,
) -> Result<Plan, ServiceError> {
    let cand = participant(conn, viewer)?;
    let plan = load_plan(conn, cache, cand)?;
    audit_read(conn, viewer, &plan.candidate, "plan")?;
    Ok(plan)
}

/// A stored version of a plan.
#[derive(Debug, Clone)]
pub struct Version {
    pub version: i64,
    pub body: PlanBody,
    pub author_id: String,
    pub author_name: String,
    pub at: chrono::NaiveDateTime,
}

/// Every version of the plan `viewer` may read, newest first (audited like a read), with the
/// plan as it is now, against which steps are reached.
pub fn history(
    conn: &mut DbConnection,
    cache: &FrameworkCache,
    viewer: Viewer<'_>,
) -> Result<(Plan, Vec<Version>), ServiceError> {
    let cand = participant(conn, viewer)?;
    let plan = load_plan(conn, cache, cand)?;
    let mut names = BTreeMap::new();
    let mut out = Vec::new();
    let rows = match &plan.row {
        Some(row) => q::versions(conn, &row.id)?,
        None => Vec::new(),
    };
    for v in rows {
        let PlanVersionRow { version, body, author_id, created_at, .. } = v;
        if !names.contains_key(&author_id) {
            let name = users::find_by_id(conn, &author_id).map(|u| u.display_name).unwrap_or_default();
            names.insert(author_id.clone(), name);
        }
        out.push(Version {
            version,
            body: parse_body(&body)?,
            author_name: names[&author_id].clone(),
            author_id,
            at: created_at,
        });
    }
    audit_read(conn, viewer, &plan.candidate, "history")?;
    Ok((plan, out))
}

/// Checks what people typed into a plan, and that each linked unit and criterion exists in
/// one of the participant's frameworks. Steps without an id get one.
fn check(
    body: &mut PlanBody,
    frameworks: &BTreeMap<String, Vec<Arc<Framework>>>,
) -> Result<(), ServiceError> {
    use crate::input;
    let mut problems = Vec::new();
    let mut field = |f: String, e: input::InputError| problems.push(super::FieldProblem::input(f, e));
    match input::text(&body.goal, GOAL_MAX) {
        Ok(g) => body.goal = g.trim().to_owned(),
        Err(e) => field("goal".into(), e),
    }
    let mut bad = Vec::new();
    if body.steps.len() > MAX_STEPS {
        bad.push(super::FieldProblem::new("steps", format!("a plan has at most {MAX_STEPS} steps")));
    }
    let mut ids = BTreeSet::new();
    for (i, s) in body.steps.iter_mut().enumerate() {
        if s.id.is_empty() {
            s.id = uuid::Uuid::new_v4().to_string();
        }
        match input::line(&s.id, 64) {
            Ok(_) if ids.insert(s.id.clone()) => {}
            Ok(_) => {
                bad.push(super::FieldProblem::new(format!("steps[{i}].id"), "two steps have the same id"))
            }
            Err(e) => field(format!("steps[{i}].id"), e),
        }
        match input::required_line(&s.text, input::LINE_MAX) {
            Ok(t) => s.text = t,
            Err(e) => field(format!("steps[{i}].text"), e),
        }
        if let Err(e) = input::text(&s.note, input::TEXT_MAX) {
            field(format!("steps[{i}].note"), e);
        }
        if let Some(d) = s.target_date
            && let Err(e) = input::date(d)
        {
            field(format!("steps[{i}].target_date"), e);
        }
        if let Some(sup) = &mut s.support {
            match input::line(&sup.name, input::NAME_MAX) {
                Ok(n) => sup.name = n,
                Err(e) => field(format!("steps[{i}].support.name"), e),
            }
        }
        for (j, l) in s.works_toward.iter().enumerate() {
            let at = format!("steps[{i}].works_toward[{j}]");
            let Some(fws) = frameworks.get(&l.framework_id) else {
                bad.push(super::FieldProblem::new(
                    format!("{at}.framework_id"),
                    "the participant is not assessed against this framework",
                ));
                continue;
            };
            let Some(code) =
                UnitCode::parse(&l.unit).ok().filter(|c| fws.iter().any(|f| f.unit(c).is_some()))
            else {
                bad.push(super::FieldProblem::new(format!("{at}.unit"), "no such unit in this framework"));
                continue;
            };
            for (k, c) in l.criteria.iter().enumerate() {
                let ok = c
                    .parse::<CriterionRef>()
                    .ok()
                    .filter(|r| r.unit == code)
                    .is_some_and(|r| fws.iter().any(|f| f.criterion(&r).is_some()));
                if !ok {
                    bad.push(super::FieldProblem::new(
                        format!("{at}.criteria[{k}]"),
                        "no such criterion in this unit (write UNIT/CRITERION)",
                    ));
                }
            }
        }
    }
    problems.extend(bad);
    if problems.is_empty() { Ok(()) } else { Err(ServiceError::Invalid(problems)) }
}

/// Stores `body` as the next version of the participant's plan, if `expected` is still its
/// version (0 before the first save); a stale version is a conflict and changes nothing.
fn store(
    conn: &mut DbConnection,
    cand: &Candidate,
    author: &str,
    expected: i64,
    body: &PlanBody,
) -> Result<(), ServiceError> {
    let text = serde_json::to_string(body).map_err(|e| ServiceError::invalid("plan", e.to_string()))?;
    let now = super::now();
    db::write(conn, |conn| {
        let current = q::find_for_candidate(conn, &cand.organisation_id, &cand.id)?;
        let plan_id = match current {
            None if expected == 0 => {
                let id = uuid::Uuid::new_v4().to_string();
                q::insert_plan(
                    conn,
                    &PlanRow {
                        id: id.clone(),
                        organisation_id: cand.organisation_id.clone(),
                        candidate_id: cand.id.clone(),
                        body: text.clone(),
                        version: 1,
                        updated_by: author.to_owned(),
                        updated_at: now,
                        created_at: now,
                        closed_at: None,
                    },
                )?;
                id
            }
            Some(row) if row.closed_at.is_some() => {
                return Err(ServiceError::from(DbError::Conflict(
                    "the plan is closed; a coach reopens it before it can change".to_owned(),
                )));
            }
            Some(row) if row.version == expected => {
                q::update_plan(conn, &cand.organisation_id, &row.id, expected, &text, author, now)?;
                row.id
            }
            _ => {
                return Err(ServiceError::from(DbError::Conflict(
                    "the plan was changed by someone else; reload it and apply your change again".to_owned(),
                )));
            }
        };
        q::insert_version(
            conn,
            &PlanVersionRow {
                plan_id,
                version: expected + 1,
                body: text,
                author_id: author.to_owned(),
                created_at: now,
            },
        )?;
        Ok(())
    })
}

/// Saves a new version of the plan `viewer` may edit, written by `author`.
pub fn save(
    conn: &mut DbConnection,
    cache: &FrameworkCache,
    viewer: Viewer<'_>,
    author: &str,
    expected: i64,
    mut body: PlanBody,
) -> Result<Plan, ServiceError> {
    let cand = participant(conn, viewer)?;
    let frameworks = frameworks_of(conn, cache, &cand)?;
    check(&mut body, &frameworks)?;
    store(conn, &cand, author, expected, &body)?;
    let plan = load_plan(conn, cache, cand)?;
    audit_read(conn, viewer, &plan.candidate, "plan")?;
    Ok(plan)
}

/// "Make a plan from what is left": adds one step per unit of the current gap report that no
/// step works toward yet, worded in the participant's language, with the ways each missing
/// criterion could be shown in its note. Saved as the next version, like any edit.
pub fn draft(
    conn: &mut DbConnection,
    cache: &FrameworkCache,
    viewer: Viewer<'_>,
    author: &str,
    expected: i64,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Plan, ServiceError> {
    let cand = participant(conn, viewer)?;
    let lang: Lang = cand.language.parse().unwrap_or_default();
    let tr = Tr::new(lang);
    let current = load_plan(conn, cache, cand.clone())?;
    let mut body = current.body.clone();
    let mut linked: BTreeSet<(String, String)> = body
        .steps
        .iter()
        .flat_map(|s| s.works_toward.iter().map(|l| (l.framework_id.clone(), l.unit.clone())))
        .collect();
    for ev in super::progress::evaluate_candidate(conn, cache, &cand.organisation_id, &cand.id, now)? {
        let f = &ev.framework;
        for (unit, uo) in f.units.iter().zip(&ev.outcome.units) {
            if matches!(uo.status, UnitStatus::Confirmed | UnitStatus::Provisional) {
                continue;
            }
            let gaps: Vec<_> = ev.outcome.gaps.iter().filter(|g| g.criterion.unit == unit.code).collect();
            if gaps.is_empty() || !linked.insert((f.id.to_string(), unit.code.to_string())) {
                continue;
            }
            let ways: Vec<String> = gaps
                .iter()
                .map(|g| {
                    let text =
                        f.criterion(&g.criterion).map(|c| c.text.get(lang).to_owned()).unwrap_or_default();
                    let methods: Vec<String> = g.methods.iter().map(|m| explain::method(*m, lang)).collect();
                    tr.t2("plan-draft-way", "criterion", &text, "methods", &methods.join(", "))
                })
                .collect();
            body.steps.push(Step {
                id: uuid::Uuid::new_v4().to_string(),
                text: tr.t1("plan-draft-step", "unit", &unit.title.get(lang)),
                note: ways.join("\n"),
                works_toward: vec![UnitLink {
                    framework_id: f.id.to_string(),
                    unit: unit.code.to_string(),
                    criteria: gaps.iter().map(|g| g.criterion.to_string()).collect(),
                }],
                who: Who::Participant,
                target_date: None,
                status: StepStatus::Planned,
                support: None,
            });
        }
    }
    check(&mut body, &current.frameworks)?;
    store(conn, &cand, author, expected, &body)?;
    let plan = load_plan(conn, cache, cand)?;
    audit_read(conn, viewer, &plan.candidate, "plan")?;
    Ok(plan)
}

/// Closes the plan (the coaching has ended; retention deletes it once the period has passed)
/// or reopens it, as the next version, by a coach. The body stays as it was, and is kept as
/// that version in the history so the versions have no gaps.
pub fn set_closed(
    conn: &mut DbConnection,
    cache: &FrameworkCache,
    viewer: Viewer<'_>,
    author: &str,
    expected: i64,
    close: bool,
) -> Result<Plan, ServiceError> {
    let cand = participant(conn, viewer)?;
    let now = super::now();
    db::write(conn, |conn| {
        let Some(row) = q::find_for_candidate(conn, &cand.organisation_id, &cand.id)? else {
            return Err(ServiceError::invalid(
                "version",
                "the plan has not been saved yet; there is nothing to close",
            ));
        };
        if row.version != expected {
            return Err(DbError::Conflict(
                "the plan was changed by someone else; reload it and apply your change again".to_owned(),
            )
            .into());
        }
        let closed_at = if close { Some(row.closed_at.unwrap_or(now)) } else { None };
        q::set_closed(conn, &cand.organisation_id, &row.id, expected, closed_at, author, now)?;
        q::insert_version(
            conn,
            &PlanVersionRow {
                plan_id: row.id,
                version: expected + 1,
                body: row.body,
                author_id: author.to_owned(),
                created_at: now,
            },
        )?;
        Ok(())
    })?;
    let plan = load_plan(conn, cache, cand)?;
    audit_read(conn, viewer, &plan.candidate, "plan")?;
    Ok(plan)
}

/// A coach and when they were assigned.
#[derive(Debug, Clone)]
pub struct CoachOf {
    pub assignment: CoachAssignment,
    pub display_name: String,
    pub email: String,
}

/// The coaches of candidate `candidate_id` of `org`.
pub fn coaches(conn: &mut DbConnection, org: &str, candidate_id: &str) -> Result<Vec<CoachOf>, ServiceError> {
    candidates::find_in_org(conn, org, candidate_id)?;
    q::coaches_of(conn, org, candidate_id)?
        .into_iter()
        .map(|a| {
            let u = users::find_by_id(conn, &a.coach_id)?;
            Ok(CoachOf { display_name: u.display_name, email: u.email, assignment: a })
        })
        .collect()
}

/// An administrator assigns coach `coach_id` to candidate `candidate_id`, both of `org`.
pub fn assign(
    conn: &mut DbConnection,
    org: &str,
    admin: &str,
    candidate_id: &str,
    coach_id: &str,
) -> Result<CoachAssignment, ServiceError> {
    db::write(conn, |conn| {
        candidates::find_in_org(conn, org, candidate_id)?;
        let coach = users::find_by_id(conn, coach_id).ok().filter(|u| u.organisation_id == org);
        let is_coach = coach.as_ref().is_some_and(|u| {
            u.active && u.roles.parse::<crate::auth::Roles>().is_ok_and(|r| r.has(crate::auth::Role::Coach))
        });
        if !is_coach {
            return Err(ServiceError::invalid(
                "coach_id",
                "no active coach of this organisation has this id",
            ));
        }
        let row = CoachAssignment {
            id: uuid::Uuid::new_v4().to_string(),
            organisation_id: org.to_owned(),
            coach_id: coach_id.to_owned(),
            candidate_id: candidate_id.to_owned(),
            assigned_by: admin.to_owned(),
            created_at: super::now(),
        };
        q::insert_assignment(conn, &row).map_err(|e| match e {
            DbError::Duplicate(_) => {
                DbError::Duplicate("this coach already works with this participant".to_owned())
            }
            other => other,
        })?;
        audit::record(
            conn,
            vec![
                Event::new(Some(org), Some(admin), Action::CoachAssigned, candidate_id)
                    .with(serde_json::json!({ "coach": coach_id })),
            ],
        )?;
        Ok(row)
    })
}

/// An administrator ends coach `coach_id`'s work with candidate `candidate_id`.
pub fn unassign(
    conn: &mut DbConnection,
    org: &str,
    admin: &str,
    candidate_id: &str,
    coach_id: &str,
) -> Result<(), ServiceError> {
    db::write(conn, |conn| {
        if !q::delete_assignment(conn, org, coach_id, candidate_id)? {
            return Err(DbError::NotFound.into());
        }
        audit::record(
            conn,
            vec![
                Event::new(Some(org), Some(admin), Action::CoachUnassigned, candidate_id)
                    .with(serde_json::json!({ "coach": coach_id })),
            ],
        )
    })
}

/// The participants `coach_id` works with, by name.
pub fn participants(
    conn: &mut DbConnection,
    org: &str,
    coach_id: &str,
) -> Result<Vec<Candidate>, ServiceError> {
    let mut out = q::participants_of(conn, org, coach_id)?
        .into_iter()
        .map(|id| candidates::find_in_org(conn, org, &id))
        .collect::<Result<Vec<_>, _>>()?;
    out.sort_by(|a, b| a.display_name.cmp(&b.display_name).then(a.id.cmp(&b.id)));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(status: StepStatus, date: Option<&str>, unit: Option<&str>) -> Step {
        Step {
            id: uuid::Uuid::new_v4().to_string(),
            text: "x".into(),
            note: String::new(),
            works_toward: unit
                .map(|u| vec![UnitLink { framework_id: "f".into(), unit: u.into(), criteria: vec![] }])
                .unwrap_or_default(),
            who: Who::Participant,
            target_date: date.map(|d| d.parse().unwrap()),
            status,
            support: None,
        }
    }

    fn plan(steps: Vec<Step>, confirmed: &[&str]) -> Plan {
        Plan {
            candidate: Candidate {
                id: "c".into(),
                organisation_id: "o".into(),
                user_id: None,
                display_name: "P".into(),
                email: None,
                language: "en".into(),
                version: 1,
                created_at: chrono::NaiveDateTime::default(),
            },
            row: None,
            body: PlanBody { goal: "Ett jobb".into(), steps },
            confirmed: confirmed.iter().map(|u| ("f".to_owned(), (*u).to_owned())).collect(),
            frameworks: BTreeMap::new(),
        }
    }

    #[test]
    fn a_step_is_reached_when_its_units_are_confirmed_and_counts_as_done() {
        let p = plan(
            vec![
                step(StepStatus::Planned, None, Some("U1")),
                step(StepStatus::Done, None, None),
                step(StepStatus::Planned, None, Some("U2")),
                step(StepStatus::Planned, None, None),
            ],
            &["U1"],
        );
        assert!(p.reached(&p.body.steps[0]));
        assert!(!p.reached(&p.body.steps[1]), "a step that names no unit is never reached");
        assert!(!p.reached(&p.body.steps[2]));
        assert_eq!(p.counts(), (2, 4, 1));
        assert_eq!(p.progress_text(Tr::new(Lang::En)), "2 of 4 steps done; 1 unit reached");
    }

    #[test]
    fn the_next_step_is_the_one_under_way_else_the_earliest_dated() {
        let p = plan(
            vec![
                step(StepStatus::Planned, None, None),
                step(StepStatus::Planned, Some("2027-03-01"), None),
                step(StepStatus::Planned, Some("2027-01-01"), Some("U1")),
            ],
            &["U1"],
        );
        assert_eq!(p.next_step().map(|s| &s.id), Some(&p.body.steps[1].id), "reached steps are not next");
        let mut steps = p.body.steps.clone();
        steps[0].status = StepStatus::Doing;
        let p = plan(steps, &[]);
        assert_eq!(p.next_step().map(|s| &s.id), Some(&p.body.steps[0].id));
    }

    #[test]
    fn checking_refuses_unknown_frameworks_and_fills_in_step_ids() {
        let mut body =
            PlanBody { goal: " Jobba i kök ".into(), steps: vec![step(StepStatus::Planned, None, None)] };
        body.steps[0].id = String::new();
        check(&mut body, &BTreeMap::new()).unwrap();
        assert_eq!(body.goal, "Jobba i kök");
        assert!(!body.steps[0].id.is_empty());
        body.steps.push(step(StepStatus::Planned, None, Some("U1")));
        let Err(ServiceError::Invalid(p)) = check(&mut body, &BTreeMap::new()) else { panic!("accepted") };
        assert_eq!(p[0].field, "steps[1].works_toward[0].framework_id");
    }
}
