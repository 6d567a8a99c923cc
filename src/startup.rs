//! Builds the application from [`Settings`]: database, migrations, frameworks, HTTP server.

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::dev::Server;
use actix_web::middleware::DefaultHeaders;
use actix_web::{App, HttpServer, web};
use anyhow::Context;
use tracing_actix_web::TracingLogger;

use crate::auth::TokenKeys;
use crate::config::Settings;
use crate::db::{self, DbPool};
use crate::http::{self, extract::AppState};
use crate::service::accounts::{self, Demo};
use crate::service::frameworks::{self as fw, FrameworkCache};
use crate::service::trust_cache::{PostedCache, TrustCache, poll_every};

/// Entries per map of the trust cache. Organisations' keys and bits fit many times over; of
/// credential rows (a few KB each, with the parsed document) the most scanned stay, and a full
/// map starts again empty, so memory stays bounded whatever anonymous callers ask for.
const TRUST_CACHE_ENTRIES: usize = 4096;

/// Bytes of posted credentials kept parsed (a certificate is a few KB).
const POSTED_CACHE_BYTES: usize = 8 * 1024 * 1024;

/// A built, not yet running, application.
pub struct Application {
    port: u16,
    server: Server,
    pool: DbPool,
    /// The state and interval the status list refresher runs with while serving, and how often
    /// the trust generation is polled.
    refresher: (web::Data<AppState>, std::time::Duration, (DbPool, std::time::Duration)),
    /// The demo accounts, if `--demo` created them now.
    pub demo: Option<Demo>,
}

/// Connects and migrates the database named by `url`.
pub fn open_database(url: &str, pool_size: u32) -> anyhow::Result<DbPool> {
    let pool = db::connect(url, pool_size).with_context(|| format!("opening database {}", redact(url)))?;
    let mut conn = pool.get().context("connecting to the database")?;
    let applied = db::migrate(&mut conn).context("migrating the database")?;
    if !applied.is_empty() {
        tracing::info!(?applied, "database migrated");
    }
    // Not a migration: NFC cannot be computed in SQL; cheap when nothing needs it.
    let changed = crate::service::accounts::normalise_stored_emails(&mut conn)
        .context("normalising stored e-mail addresses")?;
    if changed > 0 {
        tracing::info!(changed, "stored e-mail addresses normalised (NFC, lower case)");
    }
    Ok(pool)
}

/// The URL without a password, for logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..s + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// Whether cookies may carry `Secure`: browsers keep such cookies over HTTPS, and over plain
/// HTTP only on localhost.
fn secure_cookies(public_url: &str) -> bool {
    let Some(rest) = public_url.strip_prefix("http://") else { return true };
    let host = rest.split(['/', '?']).next().unwrap_or("");
    let host = host
        .rsplit_once(':')
        .map_or(host, |(h, p)| if p.chars().all(|c| c.is_ascii_digit()) { h } else { host });
    let local = matches!(host, "localhost" | "127.0.0.1" | "[::1]") || host.ends_with(".localhost");
    if !local {
        tracing::warn!(
            public_url,
            "plain HTTP away from localhost: session cookies are sent without Secure; use HTTPS"
        );
    }
    local
}

/// Re-signs status lists before their window ends, every `every`, on the blocking pool. GETs
/// never write, so this is what keeps the published list fresh; several instances may run it
/// over one database (see `refresh_lists`). A failed round is logged and the next one retries.
async fn refresh_lists_every(state: web::Data<AppState>, every: std::time::Duration) {
    loop {
        let st = state.clone();
        let round = web::block(move || -> anyhow::Result<usize> {
            let mut conn = st.pool.get()?;
            Ok(crate::service::certificates::refresh_lists(&mut conn, &st.issuing(), chrono::Utc::now())?)
        })
        .await;
        match round {
            Ok(Ok(_)) => {}
            Ok(Err(e)) => tracing::warn!(error = %e, "status list refresh failed; retrying next round"),
            Err(e) => tracing::error!(error = %e, "status list refresher stopped unexpectedly"),
        }
        actix_web::rt::time::sleep(every).await;
    }
}

impl Application {
    /// Binds the listener, then opens the database, migrates it, loads the frameworks directory
    /// and creates the demo data if asked.
    pub async fn build(settings: Settings) -> anyhow::Result<Application> {
        // Bind first: a taken port must fail before anything is written, or `--demo` would
        // create accounts whose one-time passwords nobody is ever shown.
        let listener =
            TcpListener::bind(settings.bind).with_context(|| format!("binding {}", settings.bind))?;
        let pool = open_database(&settings.database_url, settings.db_pool_size)?;
        let mut conn = pool.get().context("connecting to the database")?;
        if let Some(dir) = &settings.frameworks_dir {
            if dir.exists() {
                let loaded = fw::load_dir(&mut conn, dir).context("loading competence frameworks")?;
                tracing::info!(dir = %dir.display(), files = loaded.len(), "frameworks loaded");
            } else {
                tracing::warn!(dir = %dir.display(), "frameworks directory not found; none loaded");
            }
        }
        let demo = if settings.demo && crate::db::queries::users::count(&mut conn)? == 0 {
            Some(accounts::create_demo(&mut conn).context("creating the demo organisation")?)
        } else {
            if settings.demo {
                tracing::info!("--demo: the database already has users, so no demo data was created");
            }
            None
        };
        drop(conn);

        let addr = listener.local_addr()?;
        let public_url = settings
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{addr}"))
            .trim_end_matches('/')
            .to_owned();
        tracing::info!(address = %addr, public_url = %public_url, "listening");
        let trusted = Arc::new(http::client_ip::TrustedProxies::new(settings.trusted_proxies.clone()));
        let state = web::Data::new(AppState {
            pool: pool.clone(),
            cache: Arc::new(FrameworkCache::default()),
            keys: TokenKeys::new(&settings.jwt_secret, settings.token_ttl),
            file_limit: settings.file_limit,
            master_key: settings.master_key.clone(),
            proofs: crate::credential::verify::ProofCache::new(settings.proof_cache_capacity),
            trust: Arc::new(TrustCache::new(TRUST_CACHE_ENTRIES, settings.trust_poll)),
            posted: PostedCache::new(POSTED_CACHE_BYTES),
            secure_cookies: secure_cookies(&public_url),
            verifier: http::pool::WorkPool::start("validera-verify", settings.verify_pool)
                .context("starting the verification threads")?,
            verify_limits: settings.verify_limits,
            fetcher: Arc::new(crate::fetch::Fetcher::new(settings.fetch_policy.clone())),
            public_url,
            list_validity: settings.list_validity,
            trusted_proxies: trusted.clone(),
            sign_in: settings.sign_in,
            clock: settings.clock,
        });
        // The trust generation poll gets a connection of its own (see `poll_every`).
        let poll_pool = db::connect(&settings.database_url, 1).with_context(|| {
            format!("opening database {} for the trust poll", redact(&settings.database_url))
        })?;
        let refresher = (state.clone(), settings.list_refresh, (poll_pool, settings.trust_poll));
        let json_limit = settings.json_limit;
        let limiter = http::public_limiter(settings.public_rate, settings.public_burst, trusted);
        // Browsers remember HSTS for the host; only send it when the service is reached by HTTPS.
        let hsts = state.public_url.starts_with("https://");
        let server = HttpServer::new(move || {
            let mut headers = DefaultHeaders::new()
                .add(("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"))
                .add(("Cross-Origin-Opener-Policy", "same-origin"));
            if hsts {
                headers = headers.add(("Strict-Transport-Security", "max-age=31536000"));
            }
            App::new()
                .wrap(actix_web::middleware::from_fn(http::refuse_control_characters))
                .wrap(headers)
                .wrap(
                    DefaultHeaders::new()
                        .add(("X-Content-Type-Options", "nosniff"))
                        .add(("X-Frame-Options", "DENY"))
                        // Not `no-referrer`: under it browsers send `Origin: null` with
                        // every form post, which the pages' same-origin check must refuse.
                        // `same-origin` still tells other sites nothing.
                        .add(("Referrer-Policy", "same-origin"))
                        .add((
                            "Content-Security-Policy",
                            "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; \
                             form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
                        )),
                )
                .wrap(actix_web::middleware::from_fn(crate::web::page::layer))
                .wrap(TracingLogger::default())
                .app_data(state.clone())
                .configure(|c| http::routes(c, json_limit, &limiter))
        })
        .listen(listener)?
        .run();
        Ok(Application { port: addr.port(), server, pool, demo, refresher })
    }

    /// The port actually bound (useful with port 0).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The connection pool (tests inspect the database through it).
    pub fn pool(&self) -> DbPool {
        self.pool.clone()
    }

    /// Serves, and keeps the status lists fresh, until the process is stopped.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let (state, every, (poll_pool, poll)) = self.refresher;
        let server = std::pin::pin!(self.server);
        let polling = poll_every(poll_pool, state.trust.clone(), poll);
        let background =
            std::pin::pin!(futures_util::future::join(refresh_lists_every(state, every), polling));
        match futures_util::future::select(server, background).await {
            futures_util::future::Either::Left((served, _)) => served,
            futures_util::future::Either::Right((_, _)) => Ok(()),
        }
    }
}
