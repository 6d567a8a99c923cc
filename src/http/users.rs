//! The organisation and its users (administrators only, except reading oneself).

use actix_web::{HttpResponse, get, patch, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::error::ApiError;
use super::extract::{AppState, Caller, db};
use crate::auth::{Role, Roles};
use crate::db::models::{Organisation, User};
use crate::db::queries::{organisations, users};
use crate::engine::Lang;
use crate::service::{FieldProblem, accounts};

/// A user as others see it; never the password hash.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserView {
    pub id: String,
    pub organisation_id: String,
    pub email: String,
    pub display_name: String,
    pub roles: Vec<String>,
    pub active: bool,
    pub language: String,
    pub must_change_password: bool,
    pub version: i64,
}

impl From<&User> for UserView {
    fn from(u: &User) -> Self {
        UserView {
            id: u.id.clone(),
            organisation_id: u.organisation_id.clone(),
            email: u.email.clone(),
            display_name: u.display_name.clone(),
            roles: u.roles.split(',').filter(|r| !r.is_empty()).map(str::to_owned).collect(),
            active: u.active,
            language: u.language.clone(),
            must_change_password: u.must_change_password,
            version: u.version,
        }
    }
}

/// A new user.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    pub email: String,
    pub display_name: String,
    /// Any of admin, assessor, verifier, candidate, panel, coach.
    pub roles: Vec<String>,
    /// sv, fi or en; default sv.
    #[serde(default)]
    pub language: Option<String>,
}

/// A created user and their one-time password, shown only in this response.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedUser {
    pub user: UserView,
    pub one_time_password: String,
}

/// Changes to a user; `version` must be the one last read.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserPatch {
    pub version: i64,
    pub display_name: Option<String>,
    pub roles: Option<Vec<String>>,
    pub active: Option<bool>,
    pub language: Option<String>,
}

/// Parses a role list, naming the bad entry.
pub(super) fn parse_roles(roles: &[String]) -> Result<Roles, ApiError> {
    roles
        .iter()
        .enumerate()
        .map(|(i, r)| r.parse::<Role>().map_err(|e| FieldProblem::new(format!("roles[{i}]"), e.to_string())))
        .collect::<Result<_, _>>()
        .map(Roles)
        .map_err(|p| ApiError::Validation(vec![p]))
}

/// Parses a language tag into its stored form.
pub(super) fn parse_lang(field: &str, lang: Option<&str>) -> Result<String, ApiError> {
    match lang {
        None => Ok(Lang::default().tag().to_owned()),
        Some(l) => l
            .parse::<Lang>()
            .map(|l| l.tag().to_owned())
            .map_err(|e| ApiError::Validation(vec![FieldProblem::new(field, e.to_string())])),
    }
}

/// Users of the caller's organisation.
#[utoipa::path(get, path = "/api/users", tag = "users", responses((status = 200, body = [UserView])), security(("bearer" = [])))]
#[get("/api/users")]
pub async fn list(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    caller.require(&[Role::Admin])?;
    let org = caller.org().to_owned();
    let rows = db(&state, move |conn| Ok(users::list_by_organisation(conn, &org)?)).await?;
    Ok(HttpResponse::Ok().json(rows.iter().map(UserView::from).collect::<Vec<_>>()))
}

/// Creates a user with a one-time password.
#[utoipa::path(post, path = "/api/users", tag = "users", request_body = NewUser,
    responses((status = 201, body = CreatedUser), (status = 409, body = super::error::Problem)), security(("bearer" = [])))]
#[post("/api/users")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<NewUser>,
) -> Result<HttpResponse, ApiError> {
    caller.require(&[Role::Admin])?;
    let body = body.into_inner();
    let roles = parse_roles(&body.roles)?;
    let lang = parse_lang("language", body.language.as_deref())?;
    let org = caller.org().to_owned();
    let actor = caller.user.id.clone();
    let acc = db(&state, move |conn| {
        Ok(accounts::create_user(conn, Some(&actor), &org, &body.email, &body.display_name, &roles, &lang)?)
    })
    .await?;
    Ok(HttpResponse::Created()
        .json(CreatedUser { user: UserView::from(&acc.user), one_time_password: acc.one_time_password }))
}

/// One user of the organisation.
#[utoipa::path(get, path = "/api/users/{id}", tag = "users", responses((status = 200, body = UserView), (status = 404)), security(("bearer" = [])))]
#[get("/api/users/{id}")]
pub async fn get_one(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    if caller.user.id != *id {
        caller.require(&[Role::Admin])?;
    }
    let org = caller.org().to_owned();
    let u = db(&state, move |conn| Ok(users::find_in_org(conn, &org, &id)?)).await?;
    Ok(HttpResponse::Ok().json(UserView::from(&u)))
}

/// Changes a user's name, roles, language or active flag.
#[utoipa::path(patch, path = "/api/users/{id}", tag = "users", request_body = UserPatch,
    responses((status = 200, body = UserView), (status = 409, body = super::error::Problem)), security(("bearer" = [])))]
#[patch("/api/users/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<UserPatch>,
) -> Result<HttpResponse, ApiError> {
    caller.require(&[Role::Admin])?;
    let body = body.into_inner();
    let update = accounts::UserUpdate {
        display_name: body.display_name,
        roles: body.roles.as_deref().map(parse_roles).transpose()?,
        active: body.active,
        language: body.language.as_deref().map(|l| parse_lang("language", Some(l))).transpose()?,
    };
    let org = caller.org().to_owned();
    let actor = caller.user.id.clone();
    let u = db(&state, move |conn| Ok(accounts::update_user(conn, &org, &actor, &id, body.version, update)?))
        .await?;
    Ok(HttpResponse::Ok().json(UserView::from(&u)))
}

/// The organisation.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrganisationView {
    pub id: String,
    pub name: String,
    /// The IANA time zone whose calendar gives the organisation's "today": the latest date a
    /// record may carry, where currency windows end, and the date on its certificates.
    #[schema(example = "Europe/Stockholm")]
    pub time_zone: String,
    /// The instance's awarding body (set on the command line): its external quality assurers
    /// and sampling plans cover every organisation on the frameworks it owns.
    pub awarding_body: bool,
    /// Whether the QA chain in its credentials names the assessor, the internal verifier and
    /// the external quality assurer (otherwise role and date only).
    pub names_in_credentials: bool,
    pub version: i64,
}

impl From<Organisation> for OrganisationView {
    fn from(o: Organisation) -> Self {
        OrganisationView {
            id: o.id,
            name: o.name,
            time_zone: o.time_zone,
            awarding_body: o.awarding_body,
            names_in_credentials: o.names_in_credentials,
            version: o.version,
        }
    }
}

/// A change to the organisation: a new name, a new time zone, whether credentials name people.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrganisationPatch {
    pub version: i64,
    pub name: Option<String>,
    /// An IANA time zone name, e.g. `Europe/Helsinki` for a Finnish organisation.
    #[schema(example = "Europe/Helsinki")]
    pub time_zone: Option<String>,
    /// Name the people of the QA chain in credentials issued from now on (off by default).
    pub names_in_credentials: Option<bool>,
}

/// The caller's organisation.
#[utoipa::path(get, path = "/api/organisation", tag = "users", responses((status = 200, body = OrganisationView)), security(("bearer" = [])))]
#[get("/api/organisation")]
pub async fn organisation(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    let org = caller.org().to_owned();
    let o = db(&state, move |conn| Ok(organisations::find_by_id(conn, &org)?)).await?;
    Ok(HttpResponse::Ok().json(OrganisationView::from(o)))
}

/// Renames the organisation or changes its time zone (administrators). An unknown time zone is
/// a 422 naming `time_zone`.
#[utoipa::path(patch, path = "/api/organisation", tag = "users", request_body = OrganisationPatch,
    responses((status = 200, body = OrganisationView), (status = 409, body = super::error::Problem)), security(("bearer" = [])))]
#[patch("/api/organisation")]
pub async fn rename_organisation(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<OrganisationPatch>,
) -> Result<HttpResponse, ApiError> {
    caller.require(&[Role::Admin])?;
    let OrganisationPatch { version, name, time_zone, names_in_credentials } = body.into_inner();
    let (org, actor) = (caller.org().to_owned(), caller.user.id.clone());
    let change = accounts::OrganisationUpdate { name, time_zone, names_in_credentials };
    let o =
        db(&state, move |conn| Ok(accounts::update_organisation(conn, &org, Some(&actor), version, change)?))
            .await?;
    Ok(HttpResponse::Ok().json(OrganisationView::from(o)))
}
