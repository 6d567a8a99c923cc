use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::json;

use super::*;

/// What the test server answers: status, extra headers, body, and a delay before answering.
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    delay: Duration,
}

fn json_answer(v: &Value) -> Answer {
    Answer {
        status: 200,
        headers: vec![("Content-Type".into(), "application/json".into())],
        body: serde_json::to_vec(v).unwrap(),
        delay: Duration::ZERO,
    }
}

/// A tiny HTTP/1.1 server on 127.0.0.1 that answers every request with `answer(path)` and counts
/// the requests it saw.
struct Server {
    authority: String,
    hits: Arc<AtomicUsize>,
    paths: Arc<Mutex<Vec<String>>>,
}

impl Server {
    fn start(answer: impl Fn(&str) -> Answer + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let authority = listener.local_addr().unwrap().to_string();
        let hits = Arc::new(AtomicUsize::new(0));
        let paths = Arc::new(Mutex::new(Vec::new()));
        let answer = Arc::new(answer);
        let (h, p) = (hits.clone(), paths.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let (h, p, answer) = (h.clone(), p.clone(), answer.clone());
                std::thread::spawn(move || {
                    let mut head = Vec::new();
                    let mut byte = [0u8; 1];
                    while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).is_ok_and(|n| n == 1) {
                        head.push(byte[0]);
                    }
                    let head = String::from_utf8_lossy(&head);
                    let path = head.split_whitespace().nth(1).unwrap_or("/").to_owned();
                    h.fetch_add(1, Ordering::SeqCst);
                    p.lock().unwrap().push(path.clone());
                    let a = answer(&path);
                    std::thread::sleep(a.delay);
                    let mut out = format!("HTTP/1.1 {} X\r\nConnection: close\r\n", a.status);
                    for (k, v) in &a.headers {
                        out.push_str(&format!("{k}: {v}\r\n"));
                    }
                    if !a.headers.iter().any(|(k, _)| k == "Transfer-Encoding") {
                        out.push_str(&format!("Content-Length: {}\r\n", a.body.len()));
                    }
                    out.push_str("\r\n");
                    let _ = stream.write_all(out.as_bytes());
                    let _ = stream.write_all(&a.body);
                });
            }
        });
        Server { authority, hits, paths }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.authority)
    }

    fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }
}

fn allowing(servers: &[&Server]) -> FetchPolicy {
    servers.iter().fold(FetchPolicy::default(), |p, s| p.with_test_host(&s.authority))
}

#[test]
fn only_ordinary_public_addresses_pass() {
    let table: &[(&str, bool)] = &[
        ("93.184.216.34", true),
        ("1.1.1.1", true),
        ("8.8.8.8", true),
        ("2606:4700:4700::1111", true),
        ("2a00:1450:4001:82a::200e", true),
        ("127.0.0.1", false),
        ("127.255.255.254", false),
        ("0.0.0.0", false),
        ("0.1.2.3", false),
        ("10.0.0.1", false),
        ("172.16.0.1", false),
        ("172.31.255.255", false),
        ("172.32.0.1", true),
        ("192.168.1.1", false),
        ("169.254.169.254", false),
        ("100.64.0.1", false),
        ("100.127.255.255", false),
        ("100.128.0.1", true),
        ("192.0.0.8", false),
        ("192.0.2.1", false),
        ("198.51.100.7", false),
        ("203.0.113.9", false),
        ("198.18.0.1", false),
        ("224.0.0.1", false),
        ("239.255.255.250", false),
        ("240.0.0.1", false),
        ("255.255.255.255", false),
        ("::", false),
        ("::1", false),
        ("::ffff:127.0.0.1", false),
        ("::ffff:10.1.2.3", false),
        ("::ffff:169.254.169.254", false),
        ("::ffff:8.8.8.8", true),
        ("::127.0.0.1", false),
        ("64:ff9b::192.168.0.1", false),
        ("64:ff9b::8.8.8.8", true),
        ("2002:7f00:1::", false),
        ("2002:0808:0808::1", true),
        ("fc00::1", false),
        ("fd12:3456::1", false),
        ("fe80::1", false),
        ("fec0::1", false),
        ("ff02::1", false),
        ("2001:db8::1", false),
        ("3fff::1", false),
        ("2001::1", false),
        ("100::1", false),
    ];
    let wrong: Vec<String> = table
        .iter()
        .filter(|(ip, public)| is_public(ip.parse().unwrap()) != *public)
        .map(|(ip, public)| format!("{ip} should be {}", if *public { "public" } else { "refused" }))
        .collect();
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn https_is_required_unless_allowed_for_all_or_for_a_test_host() {
    let strict = Fetcher::new(FetchPolicy::default());
    assert_eq!(strict.vet_url("https://issuer.example/x").as_deref(), Ok("issuer.example"));
    assert_eq!(strict.vet_url("https://issuer.example:443/x").as_deref(), Ok("issuer.example"));
    assert!(matches!(strict.vet_url("http://issuer.example/x"), Err(FetchError::NotHttps(_))));
    assert!(matches!(strict.vet_url("ftp://issuer.example/x"), Err(FetchError::NotHttps(_))));
    assert!(matches!(strict.vet_url("file:///etc/passwd"), Err(FetchError::BadUrl(_))));
    assert!(matches!(strict.vet_url("/relative"), Err(FetchError::BadUrl(_))));
    assert!(matches!(strict.get_bytes("http://issuer.example/", "*/*", 10), Err(FetchError::NotHttps(_))));

    let test = Fetcher::new(FetchPolicy::default().with_test_host("127.0.0.1:4000"));
    assert!(test.vet_url("http://127.0.0.1:4000/x").is_ok());
    assert!(matches!(test.vet_url("http://127.0.0.1:4001/x"), Err(FetchError::NotHttps(_))));

    let http = Fetcher::new(FetchPolicy { allow_http: true, ..FetchPolicy::default() });
    assert!(http.vet_url("http://issuer.example/x").is_ok());
}

#[test]
fn a_test_host_is_fetched_and_the_same_host_without_the_allow_list_is_refused_as_private() {
    let server = Server::start(|_| json_answer(&json!({"ok": true})));

    let allowed = Fetcher::new(allowing(&[&server]));
    assert_eq!(allowed.get_json(&server.url("/doc.json"), Kind::Document), Ok(json!({"ok": true})));
    assert_eq!(server.hits(), 1);

    // Plain http allowed, but the address is loopback: refused before any connection.
    let not_listed = Fetcher::new(FetchPolicy { allow_http: true, ..FetchPolicy::default() });
    let refused = not_listed.get_json(&server.url("/doc.json"), Kind::Document);
    assert!(
        matches!(refused, Err(FetchError::PrivateAddress { addr, .. }) if addr.is_loopback()),
        "{refused:?}"
    );
    let https = Fetcher::new(FetchPolicy::default());
    let refused = https.get_json(&format!("https://{}/doc.json", server.authority), Kind::Document);
    assert!(matches!(refused, Err(FetchError::PrivateAddress { .. })), "{refused:?}");
    assert!(matches!(
        https.get_json("https://localhost/doc.json", Kind::Document),
        Err(FetchError::PrivateAddress { .. })
    ));
    assert_eq!(server.hits(), 1, "a refused address is never connected to");

    // --allow-private opens loopback (the CLI against a local server).
    let private =
        Fetcher::new(FetchPolicy { allow_http: true, allow_private: true, ..FetchPolicy::default() });
    assert!(private.get_json(&server.url("/doc.json"), Kind::Document).is_ok());
}

#[test]
fn redirects_are_followed_only_to_vetted_targets() {
    let inner = Server::start(|_| json_answer(&json!({"where": "inner"})));
    let target = inner.url("/final.json");
    let outer = Server::start(move |_| Answer {
        status: 302,
        headers: vec![("Location".into(), target.clone())],
        body: Vec::new(),
        delay: Duration::ZERO,
    });

    // Both listed: the redirect is followed.
    let both = Fetcher::new(allowing(&[&outer, &inner]));
    assert_eq!(both.get_json(&outer.url("/start"), Kind::Document), Ok(json!({"where": "inner"})));
    assert_eq!(inner.hits(), 1);

    // Only the first listed (and http allowed, so the scheme is not why): the redirect into
    // 127.0.0.1 is refused, and the target is never contacted.
    let first = Fetcher::new(FetchPolicy { allow_http: true, ..allowing(&[&outer]) });
    let refused = first.get_json(&outer.url("/again"), Kind::Document);
    assert!(matches!(refused, Err(FetchError::PrivateAddress { .. })), "{refused:?}");
    assert_eq!(inner.hits(), 1);

    // A loop ends after the policy's redirects.
    let looping = Server::start(|path| Answer {
        status: 301,
        headers: vec![("Location".into(), format!("{path}x"))],
        body: Vec::new(),
        delay: Duration::ZERO,
    });
    let f = Fetcher::new(allowing(&[&looping]));
    assert!(matches!(f.get_json(&looping.url("/l"), Kind::Document), Err(FetchError::Redirect(_))));
    assert_eq!(looping.hits(), usize::from(FetchPolicy::default().max_redirects) + 1);
}

#[test]
fn only_absolute_redirect_targets_are_followed() {
    let base = "https://issuer.example/a/b";
    assert_eq!(redirect_target(base, "/c").as_deref(), Ok("https://issuer.example/c"));
    assert_eq!(redirect_target(base, "https://other.example/d").as_deref(), Ok("https://other.example/d"));
    assert!(matches!(redirect_target(base, "//evil.example/x"), Err(FetchError::Redirect(_))));
    assert!(matches!(redirect_target(base, "c"), Err(FetchError::Redirect(_))));
    assert!(matches!(redirect_target(base, "file:///etc/passwd"), Err(FetchError::Redirect(_))));
}

#[test]
fn oversize_bodies_are_refused_declared_or_not() {
    let big = vec![b' '; 300 * 1024];
    let declared = Server::start({
        let big = big.clone();
        move |_| Answer { status: 200, headers: vec![], body: big.clone(), delay: Duration::ZERO }
    });
    let f = Fetcher::new(allowing(&[&declared]));
    assert_eq!(f.get_json(&declared.url("/big"), Kind::Document), Err(FetchError::TooLarge(256 * 1024)));

    // Chunked: no length up front, the cap applies while reading.
    let mut chunked = format!("{:x}\r\n", big.len()).into_bytes();
    chunked.extend_from_slice(&big);
    chunked.extend_from_slice(b"\r\n0\r\n\r\n");
    let streamed = Server::start(move |_| Answer {
        status: 200,
        headers: vec![("Transfer-Encoding".into(), "chunked".into())],
        body: chunked.clone(),
        delay: Duration::ZERO,
    });
    let f = Fetcher::new(allowing(&[&streamed]));
    assert!(matches!(f.get_json(&streamed.url("/big"), Kind::Document), Err(FetchError::TooLarge(_))));
    // A status list may be larger than a DID document.
    assert!(matches!(f.get_json(&streamed.url("/list"), Kind::StatusList), Err(FetchError::NotJson(_))));
}

#[test]
fn a_slow_server_times_out() {
    let slow = Server::start(|_| Answer { delay: Duration::from_secs(3), ..json_answer(&json!({})) });
    let policy = FetchPolicy { total_timeout: Duration::from_millis(300), ..allowing(&[&slow]) };
    let f = Fetcher::new(policy);
    assert_eq!(f.get_json(&slow.url("/slow"), Kind::Document), Err(FetchError::Timeout));
}

#[test]
fn errors_and_non_json_are_told_apart() {
    let server = Server::start(|path| match path {
        "/missing" => Answer { status: 404, headers: vec![], body: b"no".to_vec(), delay: Duration::ZERO },
        _ => Answer { status: 200, headers: vec![], body: b"<html>".to_vec(), delay: Duration::ZERO },
    });
    let f = Fetcher::new(allowing(&[&server]));
    assert_eq!(f.get_json(&server.url("/missing"), Kind::Document), Err(FetchError::Status(404)));
    assert!(matches!(f.get_json(&server.url("/html"), Kind::Document), Err(FetchError::NotJson(_))));
}

#[test]
fn a_cached_document_is_not_fetched_again_and_the_rate_per_host_trips() {
    let server = Server::start(|path| json_answer(&json!({ "path": path })));
    let policy = FetchPolicy { per_host_per_minute: 3, ..allowing(&[&server]) };
    let f = Fetcher::new(policy);

    let first = f.get_json(&server.url("/a"), Kind::Document).unwrap();
    assert_eq!(f.get_json(&server.url("/a"), Kind::Document).unwrap(), first);
    assert_eq!(server.hits(), 1, "the second read came from the cache");

    f.get_json(&server.url("/b"), Kind::Document).unwrap();
    f.get_json(&server.url("/c"), Kind::Document).unwrap();
    assert_eq!(
        f.get_json(&server.url("/d"), Kind::Document),
        Err(FetchError::RateLimited(server.authority.clone()))
    );
    assert_eq!(server.hits(), 3);
    // Cached documents are still served while the host is limited.
    assert_eq!(f.get_json(&server.url("/a"), Kind::Document).unwrap(), first);

    let no_cache = Fetcher::new(FetchPolicy { cache_ttl: Duration::ZERO, ..allowing(&[&server]) });
    no_cache.get_json(&server.url("/a"), Kind::Document).unwrap();
    no_cache.get_json(&server.url("/a"), Kind::Document).unwrap();
    assert_eq!(server.hits(), 5);
}

#[test]
fn a_did_document_must_be_the_dids_own() {
    let listener_did = Arc::new(Mutex::new(String::new()));
    let did_cell = listener_did.clone();
    let server = Server::start(move |path| match path {
        "/issuers/o/did.json" => json_answer(&json!({"id": *did_cell.lock().unwrap()})),
        _ => json_answer(&json!({"id": "did:web:someone.else"})),
    });
    let did = crate::credential::did::did_web(&server.url(""), &["issuers", "o"]);
    *listener_did.lock().unwrap() = did.clone();
    let f = Fetcher::new(allowing(&[&server]));

    assert_eq!(f.resolve_did_web(&format!("{did}#key-1")).unwrap()["id"], did.as_str());
    let other = crate::credential::did::did_web(&server.url(""), &["issuers", "x"]);
    assert!(matches!(f.resolve_did_web(&other), Err(FetchError::WrongDocument { .. })));
    assert!(matches!(f.resolve_did_web("did:key:z6Mk"), Err(FetchError::NotDidWeb(_))));
    assert_eq!(*server.paths.lock().unwrap(), ["/issuers/o/did.json", "/issuers/x/did.json"]);
}

#[test]
fn an_https_issuers_keys_come_from_its_own_host() {
    let server = Server::start(|path| match path {
        "/keys" => json_answer(&json!({"keys": [
            {"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo", "kid": "https://h/keys#k1"},
            {"kty": "RSA", "n": "x", "e": "AQAB", "kid": "rsa"},
            {"kty": "OKP", "crv": "Ed25519", "x": "x", "d": "private", "kid": "leaked"}
        ]})),
        "/.well-known/jwks.json" => json_answer(&json!({"keys": []})),
        _ => json_answer(
            &json!({"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}),
        ),
    });
    let issuer = server.url("/issuer");
    let f = Fetcher::new(allowing(&[&server]));

    let set = f.issuer_jwks(&issuer, Some(&server.url("/keys#k1"))).unwrap();
    assert_eq!(set["keys"].as_array().unwrap().len(), 1, "only public Ed25519 keys: {set}");
    let bare = f.issuer_jwks(&issuer, Some(&server.url("/key-2"))).unwrap();
    assert_eq!(bare["keys"][0]["kid"], server.url("/key-2"));
    assert_eq!(f.issuer_jwks(&issuer, Some("k3")).unwrap(), json!({"keys": []}));
    assert!(matches!(
        f.issuer_jwks(&issuer, Some("https://elsewhere.example/keys#k1")),
        Err(FetchError::WrongDocument { .. })
    ));
    assert_eq!(*server.paths.lock().unwrap(), ["/keys", "/key-2", "/.well-known/jwks.json"]);
}

#[test]
fn a_status_list_is_fetched_only_from_its_issuers_host() {
    let server = Server::start(|_| json_answer(&json!({"id": "list"})));
    let f = Fetcher::new(allowing(&[&server]));
    let did = crate::credential::did::did_web(&server.url(""), &["issuers", "o"]);
    assert!(f.status_list(&server.url("/status/o/revocation"), &did).is_ok());
    assert!(matches!(
        f.status_list("https://tracker.example/status", &did),
        Err(FetchError::NotIssuersHost { .. })
    ));
    assert!(matches!(
        f.status_list(&server.url("/s"), "did:key:z6Mk"),
        Err(FetchError::NotIssuersHost { .. })
    ));
    assert_eq!(server.hits(), 1);
}

#[test]
fn one_fetcher_is_shared_across_threads() {
    fn shared<T: Send + Sync>() {}
    shared::<Fetcher>();
    let server = Server::start(|path| json_answer(&json!({ "path": path })));
    let f = Arc::new(Fetcher::new(allowing(&[&server])));
    let threads: Vec<_> = (0..4)
        .map(|i| {
            let (f, url) = (f.clone(), server.url(&format!("/{i}")));
            std::thread::spawn(move || f.get_json(&url, Kind::Document))
        })
        .collect();
    for t in threads {
        assert!(t.join().unwrap().is_ok());
    }
    assert_eq!(server.hits(), 4);
}
