//! Configuration, in one place: command-line flags, each with an environment variable, and
//! safe defaults for a local start (SQLite file in the working directory, loopback address).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::{Args, Parser, Subcommand, ValueEnum};
use secrecy::SecretString;

use crate::credential::keys::MasterKey;

/// validera: validation of prior learning against OCN-style competence frameworks.
#[derive(Debug, Parser)]
#[command(name = "validera", version, about, long_about = None)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Flags every command takes.
#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// Database: `sqlite:PATH` (embedded, the default) or `postgres://USER@HOST/DB`.
    #[arg(
        long = "database",
        env = "VALIDERA_DATABASE_URL",
        default_value = "sqlite:validera.sqlite",
        global = true
    )]
    pub database_url: String,
    /// Log format: `pretty` for people, `json` for log collectors.
    #[arg(long, env = "VALIDERA_LOG_FORMAT", value_enum, default_value_t = LogFormat::Pretty, global = true)]
    pub log_format: LogFormat,
}

/// How logs are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    Pretty,
    /// One JSON object per line.
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the HTTP service. Migrates the database and loads the frameworks directory first.
    Serve(ServeArgs),
    /// Apply pending database migrations and exit.
    Migrate,
    /// Work with competence-framework files.
    #[command(subcommand)]
    Frameworks(FrameworksCommand),
    /// Administration tasks.
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Signing keys.
    #[command(subcommand)]
    Keys(KeysCommand),
    /// Organisations.
    #[command(subcommand)]
    Org(OrgCommand),
    /// Verify a certificate offline: a PDF (its embedded credential), a credential as JSON, or a
    /// VC-JWT, against the issuer's published keys. Exits 0 only when it is genuine.
    Verify(VerifyArgs),
    /// The audit trail.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Deleting sensitive coaching data after its retention period.
    #[command(subcommand)]
    Retention(RetentionCommand),
}

#[derive(Debug, Subcommand)]
pub enum RetentionCommand {
    /// Delete plans (with every version) closed, and follow-up notes of meetings held, more than
    /// the retention period ago, and clear the notes and attendance of group sessions held
    /// before then; certificates are never touched. Prints the counts.
    Run {
        /// The retention period in months.
        #[arg(long, env = "VALIDERA_RETENTION_MONTHS", default_value_t = crate::service::retention::DEFAULT_MONTHS,
              value_parser = clap::value_parser!(u32).range(1..=1200))]
        months: u32,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Recompute the audit trail's hash chain over every event. Prints OK with the number of
    /// events, or the first broken link (its seq, and whether an event was changed, does not
    /// follow the one before it, or is missing) and exits 1.
    Verify,
}

#[derive(Debug, Clone, Args)]
pub struct VerifyArgs {
    /// The certificate: a .pdf, a .json credential or a .jwt file, or its URL (`https://…/v/…`).
    /// For a URL, only the issuer's did:web document is fetched (its `id` must be the issuer),
    /// and, once the signature verified, the status list if it is on the issuer's own host.
    /// Fetches are https only, to public addresses only, with short timeouts and size caps.
    pub target: String,
    /// The issuer's keys, which you vouch for: its DID document (did.json), or a JWK Set
    /// (/.well-known/jwks.json) together with --issuer. Repeatable. A DID document counts only
    /// for the DID that is its `id`. Not needed for a did:key issuer, whose key is its DID (then
    /// a valid signature is reported as valid-signature-unknown-issuer: nobody vouches for who
    /// that is).
    #[arg(long = "keys")]
    pub keys: Vec<PathBuf>,
    /// Whose keys the JWK Sets given with --keys are: the issuer id the credential names (for
    /// this service's own /.well-known/jwks.json, the organisation's
    /// did:web:HOST:issuers:ORG). A JWK Set holds bare key ids, and a key id alone never
    /// identifies an issuer, so a JWK Set without --issuer is refused.
    #[arg(long)]
    pub issuer: Option<String>,
    /// Fetch over plain http too (a local test server only).
    #[arg(long)]
    pub allow_http: bool,
    /// Fetch from private, loopback and link-local addresses too (a server on your own network
    /// or machine); without it such addresses are refused.
    #[arg(long)]
    pub allow_private: bool,
    /// A copy of the issuer's signed status list; without it the status is reported as not checked.
    #[arg(long)]
    pub status_list: Option<PathBuf>,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
    /// The language of the report's sentences: sv, fi or en.
    #[arg(long, default_value = "en")]
    pub lang: crate::engine::Lang,
}

#[derive(Debug, Subcommand)]
pub enum OrgCommand {
    /// Make an organisation the instance's awarding body: its external quality assurers sample
    /// every organisation's decisions on the frameworks it owns (the shipped ones and its own
    /// uploads), and its sampling plans apply to all of them. There is at most one; the one
    /// before it stops being it.
    AwardingBody {
        /// The organisation's name.
        #[arg(long)]
        organisation: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Make a new active signing key for an organisation; the old one stays published so that
    /// every certificate it signed still verifies.
    Rotate {
        /// The organisation's name.
        #[arg(long)]
        organisation: String,
        /// The master key file (see `serve --help`).
        #[arg(long, env = "VALIDERA_MASTER_KEY_FILE", default_value = "validera-master.key")]
        master_key_file: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum FrameworksCommand {
    /// Check every framework file in a directory (or one file) and report every error as
    /// `file:line:column: field: message`. Exits non-zero if any file has errors, or if the
    /// directory holds no `.toml` file.
    Check {
        /// A directory of `.toml` files, or one file.
        path: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create an organisation's first administrator; prints a one-time password.
    Create(AdminCreateArgs),
}

#[derive(Debug, Clone, Args)]
pub struct AdminCreateArgs {
    /// The organisation's name; created if no organisation of that name exists.
    #[arg(long)]
    pub organisation: String,
    /// The administrator's e-mail, used to sign in.
    #[arg(long)]
    pub email: String,
    /// The administrator's name as shown to others.
    #[arg(long)]
    pub name: String,
    /// The IANA time zone of an organisation this creates (`Europe/Helsinki` for a Finnish
    /// one); its calendar decides "today". Default `Europe/Stockholm`; an administrator can
    /// change it later.
    #[arg(long)]
    pub time_zone: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on; port 0 picks a free port (the bound address is logged).
    #[arg(long, env = "VALIDERA_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    /// The URL people reach this service at, used in links; defaults to http://BIND.
    #[arg(long, env = "VALIDERA_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Directory of competence-framework files loaded at start.
    #[arg(long, env = "VALIDERA_FRAMEWORKS_DIR", default_value = "competence-frameworks")]
    pub frameworks: PathBuf,
    /// Secret for signing access tokens, at least 32 bytes; all instances sharing a database
    /// need the same one. Without it a random secret is made at start, and tokens end with the
    /// process.
    #[arg(long, env = "VALIDERA_JWT_SECRET", hide_env_values = true)]
    pub jwt_secret: Option<SecretString>,
    /// Lifetime of an access token, in minutes.
    #[arg(long, env = "VALIDERA_TOKEN_TTL_MINUTES", default_value_t = 60)]
    pub token_ttl_minutes: u32,
    /// Requests per second each client address may make to the public endpoints (verification
    /// pages, `/api/verify`, status lists, keys); more get 429 with `Retry-After`.
    #[arg(long, env = "VALIDERA_PUBLIC_RATE", default_value_t = 20)]
    pub public_rate: u32,
    /// Reverse proxies whose `X-Forwarded-For` names the client, as a comma-separated list of
    /// CIDR ranges or addresses (`10.0.0.0/8,::1`). Requests from these peers are counted (rate
    /// limit, sign-in records) against the rightmost address in the header that is not itself
    /// a trusted proxy; from any other peer the header is ignored. Default: none, so behind a
    /// proxy every client shares the proxy's address.
    #[arg(long, env = "VALIDERA_TRUSTED_PROXIES", value_delimiter = ',',
          value_parser = crate::http::client_ip::parse_cidr)]
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// How many public requests a client may make at once before the rate applies.
    #[arg(long, env = "VALIDERA_PUBLIC_BURST", default_value_t = 60)]
    pub public_burst: u32,
    /// Database connections per instance.
    #[arg(long, env = "VALIDERA_DB_POOL_SIZE", default_value_t = 8)]
    pub db_pool_size: u32,
    /// Threads that verify credentials and PDFs posted by anyone (default: one per core). While
    /// they and their queue are busy, further checks are answered 503 with Retry-After, and the
    /// rest of the service keeps its share of the processor.
    #[arg(long, env = "VALIDERA_VERIFY_THREADS")]
    pub verify_threads: Option<usize>,
    /// Checks that may wait for a verification thread.
    #[arg(long, env = "VALIDERA_VERIFY_QUEUE", default_value_t = 8)]
    pub verify_queue: usize,
    /// Seconds a check may take, waiting included, before it is answered 503.
    #[arg(long, env = "VALIDERA_VERIFY_BUDGET_SECONDS", default_value_t = 10)]
    pub verify_budget_seconds: u64,
    /// Data Integrity proofs that verified, remembered per instance so that checking the same
    /// certificate again skips canonicalization; 0 remembers none (a load test of the cold path
    /// sets it, as a stream of different credentials would meet it).
    #[arg(long, env = "VALIDERA_PROOF_CACHE_CAPACITY", default_value_t = 10_000)]
    pub proof_cache_capacity: usize,
    /// File holding the master key that seals the organisations' signing keys. Created with
    /// mode 0600 on first start if missing; keep it out of the database's backups.
    #[arg(long, env = "VALIDERA_MASTER_KEY_FILE", default_value = "validera-master.key")]
    pub master_key_file: PathBuf,
    /// How long each signed status list is valid (its `validUntil`), in hours. Offline
    /// verifiers call an older copy stale; a short window bounds how long a cached copy can
    /// hide a suspension or keep refusing a reinstated certificate.
    #[arg(long, env = "VALIDERA_STATUS_LIST_VALIDITY_HOURS", default_value_t = 48,
          value_parser = clap::value_parser!(u32).range(2..=24 * 90))]
    pub status_list_validity_hours: u32,
    /// How often, in seconds, each instance looks for status lists with less than half of their
    /// window left and re-signs them.
    #[arg(long, env = "VALIDERA_STATUS_LIST_REFRESH_SECONDS", default_value_t = 300,
          value_parser = clap::value_parser!(u32).range(10..=3600))]
    pub status_list_refresh_seconds: u32,
    /// How often, in milliseconds, each instance reads the trust generation to learn that
    /// another instance changed keys or statuses, and drops its cached keys, status bits and
    /// credential rows. A change shows on every instance within about this long.
    #[arg(long, env = "VALIDERA_TRUST_POLL_MS", default_value_t = 200,
          value_parser = clap::value_parser!(u32).range(20..=1000))]
    pub trust_poll_ms: u32,
    /// Create a demo organisation with an admin, an assessor, an internal verifier and two
    /// candidates, and print their one-time passwords (only on a database with no users).
    #[arg(long)]
    pub demo: bool,
}

/// Everything [`crate::startup::Application::build`] needs.
#[derive(Debug, Clone)]
pub struct Settings {
    pub database_url: String,
    pub bind: SocketAddr,
    pub public_url: Option<String>,
    pub frameworks_dir: Option<PathBuf>,
    pub jwt_secret: SecretString,
    /// Seals signing keys at rest.
    pub master_key: Arc<MasterKey>,
    pub token_ttl: chrono::Duration,
    pub db_pool_size: u32,
    pub demo: bool,
    /// Public requests per second per client address.
    pub public_rate: u32,
    /// Public burst per client address.
    pub public_burst: u32,
    /// Reverse proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// How failed sign-ins slow the next ones.
    pub sign_in: crate::service::sign_in::SignInPolicy,
    /// Largest JSON body accepted.
    pub json_limit: usize,
    /// Largest evidence file accepted.
    pub file_limit: usize,
    /// The threads, queue and time budget of the public verifier.
    pub verify_pool: crate::http::pool::PoolSize,
    /// Bounds on what the public verifier reads.
    pub verify_limits: VerifyLimits,
    /// How many verified proofs the public verifier remembers (0: none).
    pub proof_cache_capacity: usize,
    /// How other issuers' keys and status lists may be fetched (https to public addresses only).
    pub fetch_policy: crate::fetch::FetchPolicy,
    /// How long a signed status list is valid.
    pub list_validity: chrono::Duration,
    /// How often the status list refresher runs.
    pub list_refresh: std::time::Duration,
    /// Where "now" comes from for dates (records, decisions, certificates); tests fix it.
    pub clock: crate::service::clock::Clock,
    /// How often the trust generation is polled (see `service::trust_cache`).
    pub trust_poll: std::time::Duration,
}

/// Bounds on the public verifier's input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VerifyLimits {
    /// Largest body of `POST /api/verify` and file of the `/check` form (a PDF certificate is
    /// about 60 KB).
    pub body_bytes: usize,
    /// Bounds on a credential's JSON.
    pub credential: crate::credential::limits::Limits,
}

impl Default for VerifyLimits {
    fn default() -> Self {
        VerifyLimits { body_bytes: 2 * 1024 * 1024, credential: Default::default() }
    }
}

/// Errors of configuration.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The master key file cannot be read or written.
    #[error("master key file {0}")]
    MasterKeyFile(PathBuf, #[source] std::io::Error),
    /// The master key file does not hold a key.
    #[error("master key file {0}: {1}")]
    MasterKey(PathBuf, #[source] crate::credential::keys::KeyError),
    /// A JWT secret short enough to guess: HS256 is only as strong as its secret.
    #[error(
        "VALIDERA_JWT_SECRET (--jwt-secret) is {0} bytes; it must be at least {MIN_JWT_SECRET_BYTES} \
         (e.g. `openssl rand -base64 48`)"
    )]
    WeakJwtSecret(usize),
}

/// The shortest JWT secret accepted: HS256 with fewer bytes of secret than the hash's own
/// 32 can be brute-forced from a single token.
pub const MIN_JWT_SECRET_BYTES: usize = 32;

/// Reads the master key from `path`, or creates it there (mode 0600) on a first local start.
pub fn load_or_create_master_key(path: &Path) -> Result<MasterKey, ConfigError> {
    match std::fs::read_to_string(path) {
        Ok(text) => MasterKey::from_base64(&text).map_err(|e| ConfigError::MasterKey(path.to_owned(), e)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let key = MasterKey::generate();
            let mut opts = std::fs::OpenOptions::new();
            opts.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
            let mut f = opts.open(path).map_err(|e| ConfigError::MasterKeyFile(path.to_owned(), e))?;
            std::io::Write::write_all(&mut f, key.to_base64().as_bytes())
                .map_err(|e| ConfigError::MasterKeyFile(path.to_owned(), e))?;
            tracing::warn!(
                file = %path.display(),
                "created a new master key for signing keys; back it up and keep it secret: without it \
                 no certificate can be signed, and with it and the database anyone can sign"
            );
            Ok(key)
        }
        Err(e) => Err(ConfigError::MasterKeyFile(path.to_owned(), e)),
    }
}

impl Settings {
    /// Settings for `serve`. A missing JWT secret is replaced by a random one; a missing master
    /// key file is created.
    pub fn from_args(global: &GlobalArgs, serve: &ServeArgs) -> Result<Settings, ConfigError> {
        if let Some(secret) = &serve.jwt_secret {
            let len = secrecy::ExposeSecret::expose_secret(secret).len();
            if len < MIN_JWT_SECRET_BYTES {
                return Err(ConfigError::WeakJwtSecret(len));
            }
        }
        let jwt_secret = serve.jwt_secret.clone().unwrap_or_else(|| {
            tracing::warn!(
                "VALIDERA_JWT_SECRET is not set: using a random secret, so sign-ins end when the process \
                 stops and several instances cannot share sessions"
            );
            SecretString::from(crate::auth::one_time_password() + &crate::auth::one_time_password())
        });
        let master_key = Arc::new(load_or_create_master_key(&serve.master_key_file)?);
        Ok(Settings {
            database_url: global.database_url.clone(),
            bind: serve.bind,
            public_url: serve.public_url.clone(),
            frameworks_dir: Some(serve.frameworks.clone()),
            jwt_secret,
            master_key,
            token_ttl: chrono::Duration::minutes(i64::from(serve.token_ttl_minutes)),
            db_pool_size: serve.db_pool_size,
            demo: serve.demo,
            public_rate: serve.public_rate,
            public_burst: serve.public_burst,
            trusted_proxies: serve.trusted_proxies.clone(),
            sign_in: Default::default(),
            json_limit: 256 * 1024,
            file_limit: 10 * 1024 * 1024,
            verify_pool: crate::http::pool::PoolSize {
                threads: serve
                    .verify_threads
                    .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get())),
                queue: serve.verify_queue,
                budget: std::time::Duration::from_secs(serve.verify_budget_seconds.max(1)),
            },
            verify_limits: VerifyLimits::default(),
            proof_cache_capacity: serve.proof_cache_capacity,
            fetch_policy: crate::fetch::FetchPolicy::default(),
            list_validity: chrono::Duration::hours(i64::from(serve.status_list_validity_hours)),
            list_refresh: std::time::Duration::from_secs(u64::from(serve.status_list_refresh_seconds)),
            clock: crate::service::clock::Clock::System,
            trust_poll: std::time::Duration::from_millis(u64::from(serve.trust_poll_ms)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trusted_proxies_are_a_comma_separated_cidr_list_defaulting_to_none() {
        let serve = |args: &[&str]| {
            let all = ["validera", "serve"].iter().chain(args).copied();
            Cli::try_parse_from(all).map(|c| match c.command {
                Command::Serve(s) => s.trusted_proxies,
                _ => unreachable!("serve was given"),
            })
        };
        assert_eq!(serve(&[]).unwrap(), []);
        let nets = serve(&["--trusted-proxies", "10.0.0.0/8,::1"]).unwrap();
        assert_eq!(nets.iter().map(ToString::to_string).collect::<Vec<_>>(), ["10.0.0.0/8", "::1/128"]);
        assert!(serve(&["--trusted-proxies", "10.0.0.0/8,proxy.internal"]).is_err());
    }

    #[test]
    fn a_new_master_key_file_is_private_and_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("master.key");
        let made = load_or_create_master_key(&path).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
        let again = load_or_create_master_key(&path).unwrap();
        let key = crate::credential::keys::generate();
        assert!(again.open("k", &made.seal("k", &key)).is_ok(), "the same key is read back");
        std::fs::write(&path, "not a key").unwrap();
        assert!(matches!(load_or_create_master_key(&path), Err(ConfigError::MasterKey(..))));
    }

    fn serve_args(dir: &Path, secret: &str) -> (GlobalArgs, ServeArgs) {
        let key = dir.join("master.key");
        let cli = Cli::try_parse_from([
            "validera",
            "serve",
            "--jwt-secret",
            secret,
            "--master-key-file",
            key.to_str().unwrap(),
        ])
        .unwrap();
        let Command::Serve(serve) = cli.command else { panic!("serve was parsed") };
        (cli.global, serve)
    }

    #[test]
    fn a_jwt_secret_shorter_than_32_bytes_is_refused_naming_the_variable() {
        let dir = tempfile::tempdir().unwrap();
        let (global, serve) = serve_args(dir.path(), "x");
        let err = Settings::from_args(&global, &serve).unwrap_err();
        assert!(matches!(err, ConfigError::WeakJwtSecret(1)), "{err}");
        assert!(err.to_string().contains("VALIDERA_JWT_SECRET"), "{err}");
        let (global, serve) = serve_args(dir.path(), &"y".repeat(31));
        assert!(matches!(Settings::from_args(&global, &serve), Err(ConfigError::WeakJwtSecret(31))));
        let (global, serve) = serve_args(dir.path(), &"z".repeat(32));
        assert!(Settings::from_args(&global, &serve).is_ok());
    }
}
