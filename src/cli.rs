//! The command line: each subcommand calls the same code the service uses.

use std::io::Write;

use anyhow::{Context, anyhow};

use crate::auth::{Role, Roles};
use crate::config::{
    AdminCommand, AuditCommand, Cli, Command, FrameworksCommand, KeysCommand, OrgCommand, RetentionCommand,
    Settings, VerifyArgs, load_or_create_master_key,
};
use crate::credential::offline::DocumentTrust;
use crate::credential::verify::{self as verification, CheckResult, Outcome, Presented, Report};
use crate::db::queries::organisations;
use crate::fetch::{FetchPolicy, Fetcher};
use crate::service::{accounts, audit, frameworks as fw, keys, retention};
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
            // Checking nothing is not a pass: a mistyped folder would otherwise look clean.
            if files.is_empty() {
                anyhow::bail!(
                    "no framework files found in {}: a framework file's name ends in .toml",
                    path.display()
                );
            }
            let diagnostics = fw::check_files(&files).context("reading framework files")?;
            let mut text: String = diagnostics.iter().map(|d| format!("{d}\n")).collect();
            text.push_str(&format!("{} file(s) checked, {} error(s)\n", files.len(), diagnostics.len()));
            emit(&text)?;
            Ok(if diagnostics.is_empty() { 0 } else { 1 })
        }
        Command::Keys(KeysCommand::Rotate { organisation, master_key_file }) => {
            let master = load_or_create_master_key(&master_key_file)?;
            let pool = open_database(&cli.global.database_url, 1)?;
            let mut conn = pool.get()?;
            let org = organisations::find_by_name(&mut conn, organisation.trim())
                .with_context(|| format!("no organisation named '{organisation}'"))?;
            let kid = keys::rotate(&mut conn, &master, &org.id, None)?;
            println!("New active signing key for '{}': {kid}. Earlier keys stay published.", org.name);
            Ok(0)
        }
        Command::Org(OrgCommand::AwardingBody { organisation }) => {
            let pool = open_database(&cli.global.database_url, 1)?;
            let mut conn = pool.get()?;
            let org = accounts::make_awarding_body(&mut conn, organisation.trim())
                .with_context(|| format!("no organisation named '{organisation}'"))?;
            println!("'{}' ({}) is now the awarding body.", org.name, org.id);
            Ok(0)
        }
        Command::Verify(args) => verify(&args),
        Command::Audit(AuditCommand::Verify) => {
            let pool = open_database(&cli.global.database_url, 1)?;
            let mut conn = pool.get()?;
            match audit::verify_chain(&mut conn)? {
                Ok(n) => {
                    emit(&format!("OK: the audit chain holds over {n} event(s)\n"))?;
                    Ok(0)
                }
                Err(broken) => {
                    emit(&format!("BROKEN at seq {}: {}\n", broken.seq, broken.why))?;
                    Ok(1)
                }
            }
        }
        Command::Retention(RetentionCommand::Run { months }) => {
            let pool = open_database(&cli.global.database_url, 1)?;
            let mut conn = pool.get()?;
            let removed = retention::run(&mut conn, months, chrono::Utc::now())?;
            emit(&format!(
                "retention: {months} months\ndeleted closed plans: {}\ndeleted plan versions: {}\ndeleted follow-ups: {}\ncleared group session notes: {}\ndeleted answered coach invitations: {}\ndeleted coaches' start-page visits: {}\ncertificates are kept\n",
                removed.plans,
                removed.plan_versions,
                removed.follow_ups,
                removed.group_sessions,
                removed.invitations,
                removed.start_visits
            ))?;
            Ok(0)
        }
        Command::Admin(AdminCommand::Create(args)) => {
            // All three are checked before anything is written, so a bad name leaves no
            // organisation behind.
            let name = crate::input::PersonName::parse(&args.name).map_err(|e| anyhow!("--name: {e}"))?;
            let email =
                crate::input::EmailAddress::parse(&args.email).map_err(|e| anyhow!("--email: {e}"))?;
            let org_name = crate::input::OrganisationName::parse(&args.organisation)
                .map_err(|e| anyhow!("--organisation: {e}"))?;
            let zone = args
                .time_zone
                .as_deref()
                .map(crate::input::time_zone)
                .transpose()
                .map_err(|e| anyhow!("--time-zone: {e}"))?;
            let pool = open_database(&cli.global.database_url, 1)?;
            let mut conn = pool.get()?;
            let org = match organisations::find_by_name(&mut conn, org_name.as_str()) {
                Ok(o) => o,
                Err(crate::db::DbError::NotFound) => {
                    let o = accounts::create_organisation(&mut conn, org_name.as_str())?;
                    match zone {
                        Some(z) => {
                            let change = accounts::OrganisationUpdate {
                                name: None,
                                time_zone: Some(z.name().to_owned()),
                                names_in_credentials: None,
                            };
                            accounts::update_organisation(&mut conn, &o.id, None, o.version, change)?
                        }
                        None => o,
                    }
                }
                Err(e) => return Err(e.into()),
            };
            let acc = accounts::create_user(
                &mut conn,
                None,
                &org.id,
                email.as_str(),
                name.as_str(),
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

fn as_presented(bytes: Vec<u8>, source: &str) -> anyhow::Result<Presented> {
    let bytes = if bytes.starts_with(b"%PDF") {
        crate::credential::pdf::embedded_credential(&bytes).with_context(|| source.to_owned())?
    } else {
        bytes
    };
    Presented::parse(&bytes).map_err(|e| anyhow::anyhow!("{source}: {e}"))
}

/// The largest certificate fetched for `verify <url>`: a PDF with its fonts, or a credential.
const MAX_CERTIFICATE_BYTES: u64 = 16 * 1024 * 1024;

/// Writes `text` to standard output. A reader that stops early (`validera verify … | head -1`)
/// is not a failure of the verification: the rest of the text has nowhere to go, so it is
/// dropped and the exit code still tells the verdict.
fn emit(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => r.context("writing to standard output"),
    }
}

/// The signature verified with a key of the issuer the credential names, and nothing about the
/// credential itself failed: only then is it worth asking its issuer for the status.
fn signature_verified(report: &Report) -> bool {
    report.checks.iter().any(|c| c.name == "signature" && c.result == CheckResult::Passed)
        && !matches!(
            report.outcome,
            Outcome::Forged | Outcome::UnknownIssuer | Outcome::KeyCompromised | Outcome::Malformed
        )
}

/// Online, the order matters: the credential names its issuer and its status list before
/// anything about it is verified, so a forger chooses both. The issuer's did:web document is
/// the one fetch needed to check the signature (and a document for another DID is refused). The
/// status list is fetched only after the signature verified, and only from the issuer's own
/// host: otherwise any forged credential could make this command call a host of the forger's
/// choosing (over the network the verifier is on) and learn when and where it was checked.
fn verify(args: &VerifyArgs) -> anyhow::Result<i32> {
    let online = args.target.starts_with("https://") || args.target.starts_with("http://");
    let fetcher =
        Fetcher::new(FetchPolicy::default().with_http(args.allow_http).with_private(args.allow_private));
    let mut trust = DocumentTrust::default();
    for k in &args.keys {
        let n = trust
            .add_keys(&read_json(k)?, args.issuer.as_deref(), true)
            .with_context(|| format!("reading keys from {} (a JWK Set needs --issuer)", k.display()))?;
        anyhow::ensure!(n > 0, "{} holds no Ed25519 assertion keys of its DID", k.display());
    }
    // The pages of a PDF in hand, to compare with its attached credential.
    let mut pdf = None;
    let presented = if online {
        let bytes = fetcher
            .get_bytes(&args.target, "application/vc+ld+json", MAX_CERTIFICATE_BYTES)
            .with_context(|| format!("fetching {}", args.target))?;
        as_presented(bytes, &args.target)?
    } else {
        let bytes = std::fs::read(&args.target).with_context(|| format!("reading {}", args.target))?;
        if bytes.starts_with(b"%PDF") {
            pdf = Some(bytes.clone());
        }
        as_presented(bytes, &args.target)?
    };
    let issuer = verification::claimed_issuer(&presented);
    if online && args.keys.is_empty() && !issuer.as_deref().is_some_and(|i| i.starts_with("did:key:")) {
        let did = issuer
            .as_deref()
            .filter(|i| i.starts_with("did:web:"))
            .ok_or_else(|| anyhow::anyhow!("the issuer is not a did:web; give its keys with --keys"))?;
        let doc = fetcher.resolve_did_web(did).with_context(|| format!("resolving {did}"))?;
        // Fetched, not handed over: the issuer's own keys, but nobody here vouches for who it is.
        trust
            .add_did_document(&doc, false)
            .with_context(|| format!("reading keys from the DID document of {did}"))?;
    }
    if let Some(list) = &args.status_list {
        // A list that does not verify with the issuer's keys leaves the status unchecked, as
        // online; the credential's own verdict still stands.
        if let Err(e) = trust.add_status_list(&read_json(list)?) {
            eprintln!("warning: the status list {} does not verify: {e}", list.display());
        }
    }
    let now = chrono::Utc::now();
    let mut report = verification::verify(&presented, &trust, now);
    let list_url = report
        .credential
        .as_ref()
        .and_then(|c| c["credentialStatus"]["statusListCredential"].as_str())
        .map(str::to_owned);
    if let (true, None, Some(url)) = (online, &args.status_list, list_url)
        && signature_verified(&report)
    {
        // A list that cannot be fetched leaves the status unchecked; it never makes the
        // certificate look forged, nor genuine.
        match fetcher.status_list(&url, issuer.as_deref().unwrap_or_default()) {
            Ok(list) => match trust.add_status_list(&list) {
                Ok(()) => report = verification::verify(&presented, &trust, now),
                Err(e) => eprintln!("warning: the status list {url} does not verify: {e}"),
            },
            Err(e) => eprintln!("warning: the status list {url} was not fetched: {e}"),
        }
    }
    verification::check_printed_pages(&mut report, pdf.as_deref(), None);
    // Worded by the same catalogues as the verification page, in the language asked for.
    let shown = crate::http::verify::view(&report, args.lang);
    let mut text = String::new();
    if args.json {
        let checks: Vec<_> = report
            .checks
            .iter()
            .zip(&shown.checks)
            .map(|(c, v)| serde_json::json!({"name": c.name, "result": v.result, "detail": v.detail}))
            .collect();
        let out = serde_json::json!({
            "outcome": report.outcome.as_str(),
            "headline": shown.headline,
            "issuer": report.issuer(),
            "checks": checks,
        });
        text = format!("{out}\n");
    } else {
        text.push_str(&format!("{}: {}\n", args.target, report.outcome.as_str()));
        text.push_str(&format!("  {}\n", shown.headline));
        if let Some(issuer) = report.issuer() {
            text.push_str(&format!("  {}: {issuer}\n", crate::i18n::Tr::new(args.lang).t("verify-issuer")));
        }
        for (c, v) in report.checks.iter().zip(&shown.checks) {
            let mark = match c.result {
                CheckResult::Passed => "ok  ",
                CheckResult::Failed => "FAIL",
                CheckResult::NotChecked => "--  ",
            };
            text.push_str(&format!("  {mark} {:<10} {}\n", c.name, v.detail));
        }
    }
    emit(&text)?;
    Ok(if report.outcome == Outcome::Genuine { 0 } else { 1 })
}
