//! People of the organisation: the list, a new account with its one-time password, and
//! changes to name, roles, language and whether the account is active.

use actix_web::http::StatusCode;
use actix_web::{get, post, web};
use askama::Template;

use super::{Fields, LANGUAGES, admin, all, field, language_name};
use crate::auth::{Role, Roles};
use crate::db::DbError;
use crate::db::models::User;
use crate::db::queries::users as q;
use crate::engine::Lang;
use crate::http::extract::{AppState, db};
use crate::i18n::Tr;
use crate::service::{ServiceError, accounts};
use crate::web::page::{FieldErrors, Page, WebResult, redirect, render, render_status};
use crate::web::session::Session;

/// A user as the list and the forms show them.
struct UserRow {
    id: String,
    name: String,
    email: String,
    roles: String,
    active: bool,
    language: String,
    must_change_password: bool,
}

fn roles_in_words(stored: &str, tr: Tr) -> String {
    let roles: Roles = stored.parse().unwrap_or(Roles(Default::default()));
    Role::ALL
        .into_iter()
        .filter(|r| roles.has(*r))
        .map(|r| tr.t(&format!("role-{}", r.as_str())))
        .collect::<Vec<_>>()
        .join(", ")
}

fn row(u: &User, tr: Tr) -> UserRow {
    UserRow {
        id: u.id.clone(),
        name: u.display_name.clone(),
        email: u.email.clone(),
        roles: roles_in_words(&u.roles, tr),
        active: u.active,
        language: language_name(&u.language).to_owned(),
        must_change_password: u.must_change_password,
    }
}

#[derive(Template)]
#[template(path = "admin/users.html", config = "src/web/askama.toml")]
struct UserList {
    page: Page,
    users: Vec<UserRow>,
}

/// The organisation's people.
#[get("/admin/users")]
pub async fn list(state: web::Data<AppState>, s: Session) -> WebResult {
    admin(&s)?;
    let org = s.org().to_owned();
    let users = db(&state, move |conn| Ok(q::list_by_organisation(conn, &org)?)).await?;
    let tr = s.tr();
    render(&UserList { page: s.page("admin-users-title"), users: users.iter().map(|u| row(u, tr)).collect() })
}

/// What the user form shows and keeps.
struct UserForm {
    email: String,
    display_name: String,
    roles: Vec<String>,
    language: String,
    active: bool,
    version: i64,
}

impl UserForm {
    fn has_role(&self, role: &str) -> bool {
        self.roles.iter().any(|r| r == role)
    }

    fn from_user(u: &User) -> Self {
        UserForm {
            email: u.email.clone(),
            display_name: u.display_name.clone(),
            roles: u.roles.split(',').filter(|r| !r.is_empty()).map(str::to_owned).collect(),
            language: u.language.clone(),
            active: u.active,
            version: u.version,
        }
    }

    fn from_fields(f: &Fields) -> Self {
        UserForm {
            email: field(f, "email").trim().to_owned(),
            display_name: field(f, "display_name").trim().to_owned(),
            roles: all(f, "roles").into_iter().map(str::to_owned).collect(),
            language: field(f, "language").to_owned(),
            active: field(f, "active") == "true",
            version: field(f, "version").parse().unwrap_or(0),
        }
    }

    /// Checks the fields both forms share; returns the roles and the language tag.
    fn check(&self, tr: Tr, errors: &mut FieldErrors) -> (Roles, String) {
        if self.display_name.is_empty() {
            errors.insert("display_name".into(), tr.t("admin-user-name-missing"));
        }
        let roles: Result<std::collections::BTreeSet<Role>, _> =
            self.roles.iter().map(|r| r.parse::<Role>()).collect();
        let roles = match roles {
            Ok(r) if !r.is_empty() => Roles(r),
            _ => {
                errors.insert("roles".into(), tr.t("admin-user-roles-missing"));
                Roles(Default::default())
            }
        };
        let lang = match self.language.parse::<Lang>() {
            Ok(l) => l.tag().to_owned(),
            Err(_) => {
                errors.insert("language".into(), tr.t("admin-user-language-missing"));
                String::new()
            }
        };
        (roles, lang)
    }
}

/// Service refusals as messages next to the fields.
fn field_errors(problems: Vec<crate::service::FieldProblem>, tr: Tr, errors: &mut FieldErrors) {
    for p in problems {
        if let Some(text) = crate::web::input_message(tr, &p) {
            errors.insert(p.field, text);
            continue;
        }
        let text = match p.field.as_str() {
            "email" => tr.t("admin-user-email-invalid"),
            "display_name" => tr.t("admin-user-name-missing"),
            "roles" if p.message.contains("your own") => tr.t("admin-user-not-yourself"),
            "roles" => tr.t("admin-user-roles-missing"),
            _ => tr.t("admin-user-invalid"),
        };
        errors.insert(p.field, text);
    }
}

#[derive(Template)]
#[template(path = "admin/user_new.html", config = "src/web/askama.toml")]
struct NewUser {
    page: Page,
    form: UserForm,
    errors: FieldErrors,
    languages: [(&'static str, &'static str); 3],
    roles: [Role; Role::ALL.len()],
}

#[derive(Template)]
#[template(path = "admin/user_created.html", config = "src/web/askama.toml")]
struct Created {
    page: Page,
    user: UserRow,
    one_time_password: String,
}

/// The form for a new account.
#[get("/admin/users/new")]
pub async fn new_form(s: Session) -> WebResult {
    admin(&s)?;
    let form = UserForm {
        email: String::new(),
        display_name: String::new(),
        roles: Vec::new(),
        language: s.lang.tag().to_owned(),
        active: true,
        version: 0,
    };
    render(&NewUser {
        page: s.page("admin-user-new-title"),
        form,
        errors: FieldErrors::new(),
        languages: LANGUAGES,
        roles: Role::ALL,
    })
}

/// Creates an account and shows its one-time password, once.
#[post("/admin/users/new")]
pub async fn create(state: web::Data<AppState>, s: Session, body: web::Form<Fields>) -> WebResult {
    s.check_csrf(field(&body, "csrf"))?;
    admin(&s)?;
    let tr = s.tr();
    let form = UserForm::from_fields(&body);
    let mut errors = FieldErrors::new();
    if !form.email.contains('@') {
        errors.insert("email".into(), tr.t("admin-user-email-invalid"));
    }
    let (roles, lang) = form.check(tr, &mut errors);
    if errors.is_empty() {
        let org = s.org().to_owned();
        let actor = s.who.user.id.clone();
        let (email, name) = (form.email.clone(), form.display_name.clone());
        let result = db(&state, move |conn| {
            Ok(accounts::create_user(conn, Some(&actor), &org, &email, &name, &roles, &lang))
        })
        .await?;
        match result {
            Ok(acc) => {
                tracing::info!(user_id = %acc.user.id, "user created on the admin pages");
                return render_status(
                    StatusCode::CREATED,
                    &Created {
                        page: s.page("admin-user-created-title"),
                        user: row(&acc.user, tr),
                        one_time_password: acc.one_time_password,
                    },
                );
            }
            Err(ServiceError::Invalid(problems)) => field_errors(problems, tr, &mut errors),
            Err(ServiceError::Db(DbError::Duplicate(_))) => {
                errors.insert("email".into(), tr.t("admin-user-email-taken"));
            }
            Err(e) => return Err(e.into()),
        }
    }
    render_status(
        StatusCode::UNPROCESSABLE_ENTITY,
        &NewUser {
            page: s.page("admin-user-new-title"),
            form,
            errors,
            languages: LANGUAGES,
            roles: Role::ALL,
        },
    )
}

#[derive(Template)]
#[template(path = "admin/user_edit.html", config = "src/web/askama.toml")]
struct EditUser {
    page: Page,
    id: String,
    myself: bool,
    must_change_password: bool,
    form: UserForm,
    errors: FieldErrors,
    languages: [(&'static str, &'static str); 3],
    roles: [Role; Role::ALL.len()],
}

/// One person: their name, roles, language and whether they may sign in.
#[get("/admin/users/{id}")]
pub async fn edit_form(state: web::Data<AppState>, s: Session, id: web::Path<String>) -> WebResult {
    admin(&s)?;
    let org = s.org().to_owned();
    let id = id.into_inner();
    let i = id.clone();
    let u = db(&state, move |conn| Ok(q::find_in_org(conn, &org, &i)?)).await?;
    render(&EditUser {
        page: s.page_titled(u.display_name.clone()),
        myself: id == s.who.user.id,
        must_change_password: u.must_change_password,
        id,
        form: UserForm::from_user(&u),
        errors: FieldErrors::new(),
        languages: LANGUAGES,
        roles: Role::ALL,
    })
}

/// Saves the changes, if nobody changed the person since the form was opened.
#[post("/admin/users/{id}")]
pub async fn update(
    req: actix_web::HttpRequest,
    state: web::Data<AppState>,
    s: Session,
    id: web::Path<String>,
    body: web::Form<Fields>,
) -> WebResult {
    s.check_csrf(field(&body, "csrf"))?;
    admin(&s)?;
    let tr = s.tr();
    let id = id.into_inner();
    let org = s.org().to_owned();
    let (o, i) = (org.clone(), id.clone());
    // Another organisation's person reads as missing before anything is checked.
    let current = db(&state, move |conn| Ok(q::find_in_org(conn, &o, &i)?)).await?;
    let mut form = UserForm::from_fields(&body);
    form.email = current.email.clone();
    let mut errors = FieldErrors::new();
    let (roles, lang) = form.check(tr, &mut errors);
    if errors.is_empty() {
        let update = accounts::UserUpdate {
            display_name: Some(form.display_name.clone()),
            roles: Some(roles),
            active: Some(form.active),
            language: Some(lang),
        };
        let (actor, i, version) = (s.who.user.id.clone(), id.clone(), form.version);
        let result =
            db(&state, move |conn| Ok(accounts::update_user(conn, &org, &actor, &i, version, update)))
                .await?;
        match result {
            Ok(u) => {
                // Changing one's own roles ends one's tokens like anyone's; this browser,
                // which made the change, carries on.
                if u.id == s.who.user.id && u.token_generation != s.who.user.token_generation {
                    crate::web::session::start(&req, &state, &u.id, u.token_generation);
                }
                return Ok(redirect(&format!("/admin/users/{id}?done=admin-user-saved")));
            }
            Err(ServiceError::Invalid(problems)) => field_errors(problems, tr, &mut errors),
            Err(e) => return Err(e.into()),
        }
    }
    render_status(
        StatusCode::UNPROCESSABLE_ENTITY,
        &EditUser {
            page: s.page_titled(current.display_name.clone()),
            myself: id == s.who.user.id,
            must_change_password: current.must_change_password,
            id,
            form,
            errors,
            languages: LANGUAGES,
            roles: Role::ALL,
        },
    )
}

/// Registers the pages about people (the new-account form before `{id}`).
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(list).service(new_form).service(create).service(edit_form).service(update);
}
