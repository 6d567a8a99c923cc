//! Checks of the tree itself, run as tests (rust-analyzer's tidy): layer boundaries, migration
//! parity between backends, shipped frameworks, and the CLI's error output.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(rust_files(&p));
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
    out
}

#[test]
fn the_engine_knows_nothing_of_http_sql_or_io() {
    let forbidden = [
        "actix",
        "diesel",
        "std::fs",
        "std::net",
        "reqwest",
        "crate::db",
        "crate::http",
        "crate::service",
        "Utc::now",
    ];
    let mut offences = Vec::new();
    for dir in ["src/engine", "src/credential"] {
        let dir = root().join(dir);
        if !dir.exists() {
            continue;
        }
        // Tests may use files and tools (the PDF tests run pdftotext); the shipped code may not.
        let is_test = |f: &Path| {
            f.file_name().is_some_and(|n| n == "tests.rs" || n == "test_keys.rs" || n == "w3c_vectors.rs")
                || f.strip_prefix(root()).is_ok_and(|rel| rel.components().any(|c| c.as_os_str() == "tests"))
        };
        for f in rust_files(&dir).into_iter().filter(|f| !is_test(f)) {
            let text = std::fs::read_to_string(&f).unwrap();
            for (n, line) in text.lines().enumerate() {
                // Doc comments may name what the module stays away from.
                if line.trim_start().starts_with("//") {
                    continue;
                }
                if let Some(word) = forbidden.iter().find(|w| line.contains(*w)) {
                    offences.push(format!("{}:{}: uses {word}", f.display(), n + 1));
                }
            }
        }
    }
    assert!(offences.is_empty(), "the domain core must stay pure:\n{}", offences.join("\n"));
}

#[test]
fn both_backends_have_the_same_migrations() {
    let names = |b: &str| {
        let mut v: Vec<String> = std::fs::read_dir(root().join("migrations").join(b))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    let (sqlite, pg) = (names("sqlite"), names("postgres"));
    assert!(!sqlite.is_empty());
    assert_eq!(sqlite, pg, "every migration needs a twin with the same name in the other backend");
    // diesel knows a migration by the part of its name before the first `_`: two branches that
    // each add `2026-12-10-000001_…` would leave one of them never run where the other was.
    let mut versions: Vec<&str> = sqlite.iter().map(|n| n.split('_').next().unwrap_or(n)).collect();
    versions.dedup();
    assert_eq!(versions.len(), sqlite.len(), "two migrations share a version: {sqlite:#?}");
    for name in &sqlite {
        for f in ["up.sql", "down.sql"] {
            assert!(
                root().join("migrations/sqlite").join(name).join(f).exists(),
                "{name}/{f} missing for sqlite"
            );
            assert!(
                root().join("migrations/postgres").join(name).join(f).exists(),
                "{name}/{f} missing for postgres"
            );
        }
    }
}

#[test]
fn shipped_frameworks_load_without_errors() {
    let files = validera::service::frameworks::files_in(&root().join("competence-frameworks")).unwrap();
    assert!(files.len() >= 3, "at least three frameworks ship");
    let diagnostics = validera::service::frameworks::check_files(&files).unwrap();
    assert!(
        diagnostics.is_empty(),
        "{}",
        diagnostics.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")
    );
    let mut with_tests = std::collections::BTreeMap::new();
    for f in &files {
        let fw = validera::engine::load::parse("f", &std::fs::read_to_string(f).unwrap()).unwrap();
        *with_tests.entry(fw.id.to_string()).or_insert(false) |= !fw.theory_tests.is_empty();
        assert!(fw.units.len() >= 4, "{} has fewer than four units", f.display());
        assert!(!fw.qualifications.is_empty(), "{} has no qualification", f.display());
        for q in &fw.qualifications {
            assert!(
                validera::engine::rules::satisfiable(&fw, q),
                "{} {} cannot be satisfied",
                f.display(),
                q.code
            );
        }
    }
    // Every shipped framework has theory criteria, so its newest version defines its tests.
    assert!(with_tests.values().all(|t| *t), "a framework without defined theory tests: {with_tests:?}");
}

#[test]
fn frameworks_check_reports_every_error_with_file_line_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let source = include_str!("fixtures/frameworks/test-skills.toml")
        .replace("credits = 6", "credits = 0")
        .replace("methods = [\"practical\"]", "methods = []");
    let file = dir.path().join("broken.toml");
    std::fs::write(&file, source).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_validera"))
        .args(["frameworks", "check"])
        .arg(dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    let errors: Vec<&str> = stdout.lines().filter(|l| l.starts_with(&*file.display().to_string())).collect();
    assert_eq!(errors.len(), 2, "{stdout}");
    assert!(errors.iter().any(|l| l.contains(": units[3].credits: ")), "{stdout}");
    assert!(errors.iter().any(|l| l.contains(".methods: ")), "{stdout}");
    assert!(stdout.contains("1 file(s) checked, 2 error(s)"), "{stdout}");

    let ok = Command::new(env!("CARGO_BIN_EXE_validera"))
        .args(["frameworks", "check"])
        .arg(root().join("competence-frameworks"))
        .output()
        .unwrap();
    assert_eq!(ok.status.code(), Some(0), "{}", String::from_utf8_lossy(&ok.stdout));
}

/// Every form post of the pages checks its anti-forgery token before anything else can happen:
/// each `#[post]` handler in `src/web/` calls `check_csrf` on its first lines. A new handler that
/// forgets it fails here, before any browser could be tricked into posting to it.
#[test]
fn every_page_form_post_checks_its_anti_forgery_token() {
    let mut handlers = 0;
    let mut offences = Vec::new();
    for file in rust_files(&root().join("src/web")) {
        let text = std::fs::read_to_string(&file).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            if !line.trim_start().starts_with("#[post(") {
                continue;
            }
            handlers += 1;
            // The body starts after the signature's `{`; the check must come within its first
            // few statements (after reading the form).
            let open = (i..lines.len()).find(|&j| lines[j].trim_end().ends_with('{')).unwrap();
            let first = &lines[open..(open + 6).min(lines.len())];
            if !first.iter().any(|l| l.contains("check_csrf(")) {
                offences.push(format!("{}:{}: {}", file.display(), i + 1, line.trim()));
            }
        }
    }
    assert!(handlers >= 15, "only {handlers} page form handlers found; is the scan broken?");
    assert!(offences.is_empty(), "form posts without an early check_csrf:\n{}", offences.join("\n"));
}

/// Only `src/fetch.rs` talks to the network: a fetch anywhere else would skip its address
/// vetting, timeouts, size caps and rate limits.
#[test]
fn only_the_fetcher_makes_http_requests() {
    let mut offences = Vec::new();
    for f in rust_files(&root().join("src")) {
        let rel = f.strip_prefix(root()).unwrap();
        if rel.starts_with("src/fetch.rs") || rel.starts_with("src/fetch") {
            continue;
        }
        let text = std::fs::read_to_string(&f).unwrap();
        for (n, line) in text.lines().enumerate() {
            if !line.trim_start().starts_with("//") && (line.contains("ureq") || line.contains("TcpStream")) {
                offences.push(format!("{}:{}", rel.display(), n + 1));
            }
        }
    }
    assert!(offences.is_empty(), "fetch through crate::fetch::Fetcher:\n{}", offences.join("\n"));
}

/// utoipa names a schema after its type, and of two types with one name the document keeps one:
/// the other's responses are then checked against the wrong schema (two `GroupView`s once made
/// every framework's groups fail the contract run). So every `ToSchema` type's name is unique.
#[test]
fn every_openapi_schema_name_is_unique() {
    let mut seen: std::collections::HashMap<String, PathBuf> = std::collections::HashMap::new();
    let mut clashes = Vec::new();
    for file in rust_files(&root().join("src")) {
        let text = std::fs::read_to_string(&file).unwrap();
        let mut derives_schema = false;
        for line in text.lines().map(str::trim) {
            if line.starts_with("#[derive(") {
                derives_schema = line.contains("ToSchema");
            } else if derives_schema && let Some(rest) = line.strip_prefix("pub ") {
                let name = rest
                    .strip_prefix("struct ")
                    .or_else(|| rest.strip_prefix("enum "))
                    .and_then(|r| r.split(|c: char| !c.is_alphanumeric() && c != '_').next());
                if let Some(name) = name
                    && let Some(first) = seen.insert(name.to_owned(), file.clone())
                {
                    clashes.push(format!("{name}: {} and {}", first.display(), file.display()));
                }
                derives_schema = false;
            }
        }
    }
    assert!(clashes.is_empty(), "schema names used twice: {clashes:#?}");
}

/// The verification endpoints are registered first, in a scope whose guard takes every path
/// `is_verification_path` accepts (`http/mod.rs`); a route elsewhere under such a path would be
/// answered 404 by that scope, so none may exist.
#[test]
fn only_the_verification_endpoints_live_under_their_paths() {
    let mut found = Vec::new();
    for file in rust_files(&root().join("src")) {
        let text = std::fs::read_to_string(&file).unwrap();
        for (n, line) in text.lines().enumerate() {
            let route = ["#[get(\"", "#[post(\"", "#[put(\"", "#[patch(\"", "#[delete(\""]
                .iter()
                .find_map(|m| line.trim().strip_prefix(m))
                .and_then(|rest| rest.split('"').next());
            if let Some(path) = route.filter(|p| validera::http::is_verification_path(p)) {
                let rel = file.strip_prefix(root()).unwrap().display().to_string();
                found.push((rel, path.to_owned(), n + 1));
            }
        }
    }
    let outside: Vec<_> = found.iter().filter(|(f, _, _)| f != "src/http/verify.rs").collect();
    assert!(outside.is_empty(), "routes under the verification scope's paths: {outside:?}");
    let mut paths: Vec<&str> = found.iter().map(|(_, p, _)| p.as_str()).collect();
    paths.sort();
    assert_eq!(paths, ["/api/verify", "/v/{id}", "/v/{id}/credential.json"]);
}
