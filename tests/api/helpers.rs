//! `spawn_app`: the real application on port 0 over a fresh database, and typed helpers.

use std::sync::LazyLock;

use diesel::{Connection, PgConnection, RunQueryDsl};
use reqwest::{Method, StatusCode};
use secrecy::SecretString;
use serde_json::{Value, json};
use validera::auth::{Role, Roles};
use validera::config::{LogFormat, Settings};
use validera::db::{DbPool, queries::users};
use validera::service::accounts;
use validera::startup::Application;
use validera::telemetry;

/// Which database a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

static TRACING: LazyLock<()> = LazyLock::new(|| {
    if std::env::var("TEST_LOG").is_ok() {
        telemetry::init_subscriber(telemetry::get_subscriber("debug", LogFormat::Pretty, std::io::stdout));
    } else {
        telemetry::init_subscriber(telemetry::get_subscriber("info", LogFormat::Pretty, std::io::sink));
    }
});

/// The server PostgreSQL test databases are made on.
fn pg_admin_url() -> String {
    std::env::var("TEST_PG_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

/// A database that exists for one test and is removed afterwards.
pub struct TestDatabase {
    pub url: String,
    pg_name: Option<String>,
    _dir: Option<tempfile::TempDir>,
}

impl TestDatabase {
    pub fn new(backend: Backend) -> TestDatabase {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite:{}", dir.path().join("test.sqlite").display());
                TestDatabase { url, pg_name: None, _dir: Some(dir) }
            }
            Backend::Postgres => {
                let name = format!("validera_test_{}", uuid::Uuid::new_v4().simple());
                let admin = pg_admin_url();
                let mut conn = PgConnection::establish(&admin).unwrap_or_else(|e| {
                    panic!("PostgreSQL at {admin} is needed for the postgres tests: {e}")
                });
                diesel::sql_query(format!("CREATE DATABASE \"{name}\""))
                    .execute(&mut conn)
                    .expect("create database");
                let base = admin.rsplit_once('/').expect("a URL with a database").0;
                TestDatabase { url: format!("{base}/{name}"), pg_name: Some(name), _dir: None }
            }
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Some(name) = &self.pg_name
            && let Ok(mut conn) = PgConnection::establish(&pg_admin_url())
        {
            // Best effort: a failed drop leaves a uniquely named database, never a shared one.
            let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                .execute(&mut conn);
        }
    }
}

/// A signed-in person.
#[derive(Debug, Clone)]
pub struct Person {
    pub id: String,
    pub email: String,
    pub password: String,
    pub token: String,
}

/// An organisation with one person per staff role, and a second assessor.
#[derive(Debug, Clone)]
pub struct Org {
    pub id: String,
    pub admin: Person,
    pub assessor: Person,
    pub assessor2: Person,
    pub verifier: Person,
}

pub struct TestApp {
    pub address: String,
    pub pool: DbPool,
    pub client: reqwest::Client,
    // Dropped with the app; removes the database.
    _db: TestDatabase,
}

pub const TEST_FRAMEWORK: (&str, &str) = ("test-skills", "2026.1");

pub fn test_settings(database_url: String) -> Settings {
    Settings {
        database_url,
        bind: "127.0.0.1:0".parse().unwrap(),
        public_url: None,
        frameworks_dir: Some(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/api/fixtures/frameworks").into()),
        jwt_secret: SecretString::from("test secret, never use in production"),
        master_key: std::sync::Arc::new(validera::credential::keys::MasterKey::generate()),
        token_ttl: chrono::Duration::minutes(5),
        db_pool_size: 4,
        demo: false,
        public_rate: 10_000,
        public_burst: 10_000,
        trusted_proxies: vec![],
        sign_in: Default::default(),
        json_limit: 64 * 1024,
        file_limit: 256 * 1024,
        verify_pool: validera::http::pool::PoolSize {
            threads: 2,
            queue: 4,
            // Far above a check's cost even in a debug build on a busy machine; the budget's
            // own test sets it low.
            budget: std::time::Duration::from_secs(120),
        },
        verify_limits: Default::default(),
        proof_cache_capacity: 10_000,
        fetch_policy: Default::default(),
        list_validity: chrono::Duration::hours(48),
        list_refresh: std::time::Duration::from_secs(300),
        clock: Default::default(),
        trust_poll: std::time::Duration::from_millis(200),
    }
}

pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, |_| {}).await.0
}

/// Like [`spawn_app`], with changed settings; also returns the demo accounts if any were made.
pub async fn spawn_app_with(
    backend: Backend,
    change: impl FnOnce(&mut Settings),
) -> (TestApp, Option<accounts::Demo>) {
    LazyLock::force(&TRACING);
    let db = TestDatabase::new(backend);
    let mut settings = test_settings(db.url.clone());
    change(&mut settings);
    let mut app = Application::build(settings).await.expect("application builds");
    let demo = app.demo.take();
    let address = format!("http://127.0.0.1:{}", app.port());
    let pool = app.pool();
    tokio::spawn(app.run_until_stopped());
    (TestApp { address, pool, client: client().build().unwrap(), _db: db }, demo)
}

/// The tests' HTTP client. It lets an idle connection go well before the server's keep-alive
/// (5 s) ends it: reusing a connection the server is closing at that moment fails as an
/// incomplete message, which a slow step between two requests (a node verifier) makes likely.
pub fn client() -> reqwest::ClientBuilder {
    reqwest::Client::builder().pool_idle_timeout(std::time::Duration::from_secs(2))
}

/// A response's status and JSON body (or the text, as a JSON string).
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub content_type: String,
    pub body: Value,
}

impl Reply {
    #[track_caller]
    pub fn expect(self, status: u16) -> Value {
        assert_eq!(self.status.as_u16(), status, "unexpected status; body: {:#}", self.body);
        self.body
    }

    /// Asserts an RFC 9457 problem of `slug` with `status`; returns its body.
    #[track_caller]
    pub fn problem(self, status: u16, slug: &str) -> Value {
        assert_eq!(self.content_type, "application/problem+json", "body: {:#}", self.body);
        let body = self.expect(status);
        assert_eq!(body["type"], format!("/problems/{slug}"), "body: {body:#}");
        assert_eq!(body["status"], status);
        assert!(body["title"].as_str().is_some_and(|t| !t.is_empty()));
        assert!(body["detail"].as_str().is_some_and(|t| !t.is_empty()));
        body
    }
}

impl TestApp {
    pub async fn call(&self, method: Method, path: &str, token: Option<&str>, body: Option<&Value>) -> Reply {
        let mut req = self.client.request(method, format!("{}{}", self.address, path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(b);
        }
        Self::reply(req.send().await.expect("request sent")).await
    }

    pub async fn reply(resp: reqwest::Response) -> Reply {
        let status = resp.status();
        let content_type =
            resp.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
        let text = resp.text().await.expect("body read");
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Reply { status, content_type, body }
    }

    pub async fn get(&self, path: &str, token: &str) -> Reply {
        self.call(Method::GET, path, Some(token), None).await
    }

    pub async fn post(&self, path: &str, token: &str, body: Value) -> Reply {
        self.call(Method::POST, path, Some(token), Some(&body)).await
    }

    pub async fn patch(&self, path: &str, token: &str, body: Value) -> Reply {
        self.call(Method::PATCH, path, Some(token), Some(&body)).await
    }

    /// The body of a GET, whatever its type (a PDF, a credential), asserting a 200.
    pub async fn bytes(&self, path: &str, token: Option<&str>) -> Vec<u8> {
        let mut req = self.client.get(format!("{}{path}", self.address));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let resp = req.send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::OK, "GET {path}");
        resp.bytes().await.unwrap().to_vec()
    }

    /// Another instance of the application over this one's database, answering for the same
    /// public URL, as instances behind one load balancer do. The database stays this app's.
    pub async fn second_instance(&self) -> TestApp {
        let mut settings = test_settings(self._db.url.clone());
        settings.public_url = Some(self.address.clone());
        let app = Application::build(settings).await.expect("second instance builds");
        let address = format!("http://127.0.0.1:{}", app.port());
        let pool = app.pool();
        tokio::spawn(app.run_until_stopped());
        let db = TestDatabase { url: self._db.url.clone(), pg_name: None, _dir: None };
        TestApp { address, pool, client: client().build().unwrap(), _db: db }
    }

    /// The URL of the app's database, for the command line.
    pub fn database_url(&self) -> &str {
        &self._db.url
    }

    pub async fn login(&self, email: &str, password: &str) -> Reply {
        self.call(Method::POST, "/api/auth/login", None, Some(&json!({"email": email, "password": password})))
            .await
    }

    /// Creates a person with a known password directly in the database, then signs them in.
    pub async fn person(&self, org: &str, email: &str, roles: &[Role]) -> Person {
        self.person_named(org, email, "Test Person", roles).await
    }

    /// A person with the display name `name`, for reading it back where it is shown.
    pub async fn person_named(&self, org: &str, email: &str, name: &str, roles: &[Role]) -> Person {
        let display = name.to_owned();
        let pool = self.pool.clone();
        let (org, email2) = (org.to_owned(), email.to_owned());
        let roles = Roles(roles.iter().copied().collect());
        let password = "correct horse battery staple".to_owned();
        let pw = password.clone();
        let id = tokio::task::spawn_blocking(move || {
            let mut conn = pool.get().unwrap();
            let acc = accounts::create_user(&mut conn, None, &org, &email2, &display, &roles, "sv").unwrap();
            let hash = validera::auth::hash_password(&pw).unwrap();
            users::set_password(&mut conn, &acc.user.id, &hash, false).unwrap();
            acc.user.id
        })
        .await
        .unwrap();
        let token = self.login(email, &password).await.expect(200)["token"].as_str().unwrap().to_owned();
        Person { id, email: email.to_owned(), password, token }
    }

    /// A new organisation with an admin, two assessors and an internal verifier.
    pub async fn org(&self, name: &str) -> Org {
        let pool = self.pool.clone();
        let n = name.to_owned();
        let id = tokio::task::spawn_blocking(move || {
            accounts::create_organisation(&mut pool.get().unwrap(), &n).unwrap().id
        })
        .await
        .unwrap();
        let tag = name.to_lowercase().replace(' ', "-");
        Org {
            admin: self.person(&id, &format!("admin@{tag}.test"), &[Role::Admin]).await,
            assessor: self.person(&id, &format!("assessor@{tag}.test"), &[Role::Assessor]).await,
            assessor2: self.person(&id, &format!("assessor2@{tag}.test"), &[Role::Assessor]).await,
            verifier: self.person(&id, &format!("verifier@{tag}.test"), &[Role::Verifier]).await,
            id,
        }
    }

    /// A candidate with a sign-in account; returns (candidate id, one-time password, email).
    pub async fn candidate(&self, org: &Org, name: &str) -> (String, String, String) {
        let email = format!("{}@candidates.test", name.to_lowercase().replace(' ', "."));
        let body = self
            .post(
                "/api/candidates",
                &org.assessor.token,
                json!({"display_name": name, "email": email, "language": "sv"}),
            )
            .await
            .expect(201);
        (
            body["candidate"]["id"].as_str().unwrap().to_owned(),
            body["one_time_password"].as_str().unwrap().to_owned(),
            email,
        )
    }

    /// An assessment of `candidate` against the test framework, aiming at qualification DBS.
    pub async fn assessment(&self, org: &Org, candidate: &str) -> String {
        let (fid, fver) = TEST_FRAMEWORK;
        self.post(
            &format!("/api/candidates/{candidate}/assessments"),
            &org.assessor.token,
            json!({"framework_id": fid, "framework_version": fver, "qualification": "DBS"}),
        )
        .await
        .expect(201)["id"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    pub async fn progress(&self, assessment: &str, token: &str, lang: &str) -> Value {
        self.get(&format!("/api/assessments/{assessment}/progress?lang={lang}"), token).await.expect(200)
    }
}

pub fn today() -> String {
    chrono::Utc::now().date_naive().to_string()
}

/// Runs each named `async fn(Backend)` once on SQLite and once on PostgreSQL.
#[macro_export]
macro_rules! both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test] async fn $name() { super::$name($crate::helpers::Backend::Sqlite).await })*
        }
        mod postgres {
            $(#[tokio::test] async fn $name() { super::$name($crate::helpers::Backend::Postgres).await })*
        }
    };
}

/// A page as a browser received it.
#[derive(Debug, Clone)]
pub struct WebPage {
    pub status: u16,
    /// Where a redirect points.
    pub location: Option<String>,
    pub body: String,
}

impl WebPage {
    /// Asserts the status and returns the body.
    pub fn expect(&self, status: u16) -> &str {
        assert_eq!(self.status, status, "unexpected status; body: {}", self.body);
        &self.body
    }

    /// Asserts a 303 and returns where it points.
    pub fn redirected(&self) -> &str {
        assert_eq!(self.status, 303, "expected a redirect; body: {}", self.body);
        self.location.as_deref().expect("a redirect has a Location")
    }
}

/// A browser-like client for the pages. It keeps cookies itself (they are `Secure`, which
/// reqwest's cookie store would not send over plain HTTP, as browsers do on localhost) and the
/// anti-forgery token of the last page it saw, which [`Browser::post_form`] sends along.
pub struct Browser {
    address: String,
    client: reqwest::Client,
    cookies: std::sync::Mutex<std::collections::BTreeMap<String, String>>,
    csrf: std::sync::Mutex<Option<String>>,
}

impl Browser {
    fn cookie_header(&self) -> String {
        self.cookies.lock().unwrap().iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ")
    }

    /// The value of a cookie the browser holds.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.cookies.lock().unwrap().get(name).cloned()
    }

    /// The anti-forgery token of the last page seen.
    pub fn csrf(&self) -> Option<String> {
        self.csrf.lock().unwrap().clone()
    }

    async fn receive(&self, resp: reqwest::Response) -> WebPage {
        let status = resp.status().as_u16();
        for c in resp.headers().get_all(reqwest::header::SET_COOKIE) {
            let c = c.to_str().unwrap();
            let (pair, attrs) = c.split_once(';').unwrap_or((c, ""));
            let (k, v) = pair.split_once('=').unwrap();
            let mut jar = self.cookies.lock().unwrap();
            if v.is_empty() || attrs.contains("Max-Age=0") {
                jar.remove(k.trim());
            } else {
                jar.insert(k.trim().to_owned(), v.to_owned());
            }
        }
        let location = resp.headers().get(reqwest::header::LOCATION).map(|l| l.to_str().unwrap().to_owned());
        let body = resp.text().await.unwrap();
        if let Some(at) = body.find("name=\"csrf\" value=\"") {
            let rest = &body[at + 19..];
            *self.csrf.lock().unwrap() = Some(rest[..rest.find('"').unwrap()].to_owned());
        }
        WebPage { status, location, body }
    }

    /// GETs a page (no redirects followed).
    pub async fn get(&self, path: &str) -> WebPage {
        let resp = self
            .client
            .get(format!("{}{path}", self.address))
            .header("Accept", "text/html")
            .header("Cookie", self.cookie_header())
            .send()
            .await
            .unwrap();
        self.receive(resp).await
    }

    /// GETs a page and follows redirects to the end.
    pub async fn open(&self, path: &str) -> WebPage {
        let mut page = self.get(path).await;
        while page.status == 303 || page.status == 302 {
            let to = page.location.clone().unwrap();
            page = self.get(&to).await;
        }
        page
    }

    /// POSTs a form, adding the last page's anti-forgery token unless `fields` has `csrf`.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> WebPage {
        let mut fields: Vec<(String, String)> =
            fields.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        if !fields.iter().any(|(k, _)| k == "csrf") {
            fields.push(("csrf".into(), self.csrf().expect("open a page with a form first")));
        }
        let resp = self
            .client
            .post(format!("{}{path}", self.address))
            .header("Accept", "text/html")
            .header("Cookie", self.cookie_header())
            .form(&fields)
            .send()
            .await
            .unwrap();
        self.receive(resp).await
    }

    /// POSTs a multipart form (files): `build` adds the parts after the anti-forgery token.
    pub async fn post_multipart(
        &self,
        path: &str,
        build: impl FnOnce(reqwest::multipart::Form) -> reqwest::multipart::Form,
    ) -> WebPage {
        let csrf = self.csrf().expect("open a page with a form first");
        let form = build(reqwest::multipart::Form::new().text("csrf", csrf));
        let resp = self
            .client
            .post(format!("{}{path}", self.address))
            .header("Accept", "text/html")
            .header("Cookie", self.cookie_header())
            .multipart(form)
            .send()
            .await
            .unwrap();
        self.receive(resp).await
    }

    /// Signs in through the sign-in form; returns where it led.
    pub async fn sign_in(&self, email: &str, password: &str) -> WebPage {
        self.get("/signin").await.expect(200);
        self.post_form("/signin", &[("email", email), ("password", password), ("next", "/")]).await
    }
}

impl TestApp {
    /// A browser with no cookies.
    pub fn browser(&self) -> Browser {
        Browser {
            address: self.address.clone(),
            client: client().redirect(reqwest::redirect::Policy::none()).build().unwrap(),
            cookies: Default::default(),
            csrf: Default::default(),
        }
    }

    /// A browser signed in as `person` (whose password is already their own).
    pub async fn browser_as(&self, person: &Person) -> Browser {
        let b = self.browser();
        let to = b.sign_in(&person.email, &person.password).await;
        assert_eq!(to.status, 303, "sign-in failed: {}", to.body);
        b
    }
}
