//! The command line: each subcommand calls the same code the service uses.

use anyhow::Context;

use crate::auth::{Role, Roles};
use crate::config::{
    AdminCommand, Cli, Command, FrameworksCommand, KeysCommand, Settings, VerifyArgs,
    load_or_create_master_key,
};
use crate::credential::offline::DocumentTrust;
use crate::credential::verify::{self as verification, CheckResult, Outcome, Presented};
use crate::db::queries::organisations;
use crate::service::{accounts, frameworks as fw, keys};
use crate::startup::{Application, open_database};
use crate::telemetry;

/// Runs a parsed command line; returns the process exit code.
pub async fn run(cli: Cli) -> anyhow::Result<i32> {
    let sink = std::io::stderr;
    telemetry::init_subscriber(telemetry::get_subscriber("info", cli.global.log_format, sink));
    match cli.command {
        Command::Serve(args) => {
            let settings = Settings::from_args(&cli.global, &args)?;
            let app = Application::build(settings).await?;
            if let Some(demo) = &app.demo {
                println!(
                    "Demo organisation '{}' created. One-time passwords (shown once):",
                    demo.organisation.name
                );
                for (role, email, pw) in &demo.accounts {
                    println!("  {role:<18} {email:<32} {pw}");
                }
                let base = args
                    .public_url
                    .clone()
                    .unwrap_or_else(|| format!("http://{}:{}", args.bind.ip(), app.port()));
                println!(
                    "Open {base}/ in a browser and sign in; programs use the API described at {base}/docs"
                );
            }
            app.run_until_stopped().await?;
            Ok(0)
        }
        Command::Migrate => {
            open_database(&cli.global.database_url, 1)?;
            println!("database is up to date");
            Ok(0)
        }
        Command::Frameworks(FrameworksCommand::Check { path }) => {
            let files = fw::files_in(&path).with_context(|| format!("reading {}", path.display()))?;
            let diagnostics = fw::check_files(&files).context("reading framework files")?;
            for d in &diagnostics {
                println!("{d}");
            }
            println!("{} file(s) checked, {} error(s)", files.len(), diagnostics.len());
            Ok(if diagnostics.is_empty() { 0 } else { 1 })
        }
        Command::Keys(KeysCommand::Rotate { organisation, master_key_file }) => {
            let master = load_or_create_master_key(&master_key_file)?;
            let pool = open_database(&cli.global.database_url, 1)?;
            let mut conn = pool.get()?;
            let org = organisations::find_by_name(&mut conn, organisation.trim())
                .with_context(|| format!("no organisation named '{organisation}'"))?;
            let kid = keys::rotate(&mut conn, &master, &org.id)?;
            println!("New active signing key for '{}': {kid}. Earlier keys stay published.", org.name);
            Ok(0)
        }
        Command::Verify(args) => verify(&args),
        Command::Admin(AdminCommand::Create(args)) => {
            let pool = open_database(&cli.global.database_url, 1)?;
            let mut conn = pool.get()?;
            let org = match organisations::find_by_name(&mut conn, args.organisation.trim()) {
                Ok(o) => o,
                Err(crate::db::DbError::NotFound) => {
                    accounts::create_organisation(&mut conn, &args.organisation)?
                }
                Err(e) => return Err(e.into()),
            };
            let acc = accounts::create_user(
                &mut conn,
                &org.id,
                &args.email,
                &args.name,
                &Roles([Role::Admin].into()),
                "sv",
            )?;
            println!("Administrator {} created in '{}'.", acc.user.email, org.name);
            println!("One-time password (shown once; change it at first sign-in): {}", acc.one_time_password);
            Ok(0)
        }
    }
}

fn read_json(path: &std::path::Path) -> anyhow::Result<serde_json::Value> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("{} is not JSON", path.display()))
}

fn fetch(url: &str, accept: &str) -> anyhow::Result<Vec<u8>> {
    let mut resp =
        ureq::get(url).header("Accept", accept).call().with_context(|| format!("fetching {url}"))?;
    resp.body_mut()
        .with_config()
        .limit(16 * 1024 * 1024)
        .read_to_vec()
        .with_context(|| format!("reading {url}"))
}

fn as_presented(bytes: Vec<u8>, source: &str) -> anyhow::Result<Presented> {
    let bytes = if bytes.starts_with(b"%PDF") {
        crate::credential::pdf::embedded_credential(&bytes).with_context(|| source.to_owned())?
    } else {
        bytes
    };
    Presented::parse(&bytes).map_err(|e| anyhow::anyhow!("{source}: {e}"))
}

fn verify(args: &VerifyArgs) -> anyhow::Result<i32> {
    let online = args.target.starts_with("https://") || args.target.starts_with("http://");
    anyhow::ensure!(
        online || !args.keys.is_empty(),
        "give the issuer's keys with --keys to verify a file offline"
    );
    let mut trust = DocumentTrust::default();
    for k in &args.keys {
        let n =
            trust.add_keys(&read_json(k)?).with_context(|| format!("reading keys from {}", k.display()))?;
        anyhow::ensure!(n > 0, "{} holds no Ed25519 keys", k.display());
    }
    // The pages of a PDF in hand, to compare with its attached credential.
    let mut pages = None;
    let presented = if online {
        as_presented(fetch(&args.target, "application/vc+ld+json")?, &args.target)?
    } else {
        let bytes = std::fs::read(&args.target).with_context(|| format!("reading {}", args.target))?;
        if bytes.starts_with(b"%PDF") {
            pages = Some(crate::credential::pdf::printed_runs(&bytes));
        }
        as_presented(bytes, &args.target)?
    };
    let scheme = |url: String| if args.allow_http { url.replacen("https://", "http://", 1) } else { url };
    if online && args.keys.is_empty() {
        let issuer = verification::claimed_issuer(&presented);
        let url = issuer.as_deref().and_then(crate::credential::did::did_web_url).map(scheme);
        let url =
            url.ok_or_else(|| anyhow::anyhow!("the issuer is not a did:web; give its keys with --keys"))?;
        let doc: serde_json::Value = serde_json::from_slice(&fetch(&url, "application/did+json")?)
            .with_context(|| format!("{url} is not a DID document"))?;
        trust.add_keys(&doc).with_context(|| format!("reading keys from {url}"))?;
    }
    if let Some(list) = &args.status_list {
        trust.add_status_list(&read_json(list)?).with_context(|| format!("checking {}", list.display()))?;
    } else if let (true, Presented::Json(c)) = (online, &presented) {
        // A list that cannot be fetched leaves the status unchecked; it never makes the
        // certificate look forged.
        if let Some(url) = c["credentialStatus"]["statusListCredential"].as_str() {
            match fetch(&scheme(url.to_owned()), "application/vc+ld+json")
                .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).map_err(Into::into))
            {
                Ok(list) => {
                    if let Err(e) = trust.add_status_list(&list) {
                        eprintln!("warning: the status list {url} does not verify: {e}");
                    }
                }
                Err(e) => eprintln!("warning: the status list could not be fetched: {e:#}"),
            }
        }
    }
    let mut report = verification::verify(&presented, &trust, chrono::Utc::now());
    let printed = pages.map(|runs| match (runs, &report.credential) {
        (Some(runs), Some(c)) => crate::credential::pdf::printed_differences(&runs, c, None),
        _ => Err(crate::credential::pdf::ForeignPdf),
    });
    verification::add_printed_check(&mut report, printed);
    if args.json {
        let checks: Vec<_> = report
            .checks
            .iter()
            .map(|c| serde_json::json!({"name": c.name, "result": format!("{:?}", c.result).to_lowercase(), "detail": c.detail}))
            .collect();
        println!("{}", serde_json::json!({"outcome": report.outcome.as_str(), "checks": checks}));
    } else {
        println!("{}: {}", args.target, report.outcome.as_str());
        for c in &report.checks {
            let mark = match c.result {
                CheckResult::Passed => "ok  ",
                CheckResult::Failed => "FAIL",
                CheckResult::NotChecked => "--  ",
            };
            println!("  {mark} {:<10} {}", c.name, c.detail);
        }
    }
    Ok(if report.outcome == Outcome::Genuine { 0 } else { 1 })
}
