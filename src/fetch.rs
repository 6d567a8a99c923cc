//! Fetching an issuer's public documents (its did:web DID document, its JWK Set, its status
//! list) on behalf of someone else, safely enough to expose on a public server.
//!
//! Policy: https only (http only when the policy allows it); the host name is resolved here and
//! every address it resolves to must be public, or nothing is fetched; the connection then goes
//! to those vetted addresses and nowhere else. Redirects are followed at most a few times, each
//! target vetted the same way. Short timeouts and small size caps bound what one fetch may cost,
//! a per-process TTL cache and a per-host rate bound what many may. JSON-LD contexts are never
//! fetched: they are bundled (`credential::contexts`). The pure core (`credential/`) never calls
//! this module; the CLI and the service do, and hand the documents to it.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;
use ureq::config::Config;
use ureq::http::Uri;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::{DefaultConnector, NextTimeout};

use crate::credential::did::did_web_url;

/// What went wrong fetching a document. Each refusal has its own variant so that callers (and
/// tests) can tell a policy refusal from a network failure.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FetchError {
    /// Not an absolute http(s) URL we can parse.
    #[error("not a URL we can fetch: {0}")]
    BadUrl(String),
    /// Plain http (or another scheme) where https is required.
    #[error("{0} is not https")]
    NotHttps(String),
    /// The host resolves to an address that is not on the public internet.
    #[error("{host} resolves to {addr}, which is not a public address")]
    PrivateAddress {
        /// The host name in the URL.
        host: String,
        /// The first non-public address it resolved to.
        addr: IpAddr,
    },
    /// The server took too long.
    #[error("timed out")]
    Timeout,
    /// The body is larger than the cap for this kind of document.
    #[error("the response is larger than {0} bytes")]
    TooLarge(u64),
    /// The server answered with an error status.
    #[error("the server answered {0}")]
    Status(u16),
    /// A redirect we do not follow: too many, or without a usable target.
    #[error("redirect not followed: {0}")]
    Redirect(String),
    /// Too many fetches from this host within the last minute.
    #[error("too many fetches from {0}; try again in a minute")]
    RateLimited(String),
    /// The connection failed (host not found, refused, reset, TLS).
    #[error("network: {0}")]
    Network(String),
    /// The body is not JSON.
    #[error("not JSON: {0}")]
    NotJson(String),
    /// A status list that is not on its issuer's host.
    #[error("{url} is not on the host of the issuer {issuer}")]
    NotIssuersHost {
        /// The status list's URL.
        url: String,
        /// The issuer the credential names.
        issuer: String,
    },
    /// Not a did:web DID.
    #[error("{0} is not a did:web DID")]
    NotDidWeb(String),
    /// The document fetched is not the one asked for (its `id` differs).
    #[error("the document at {url} is for {found}, not {expected}")]
    WrongDocument {
        /// Where it came from.
        url: String,
        /// The DID or issuer asked for.
        expected: String,
        /// What the document says it is.
        found: String,
    },
}

/// What may be fetched, how, and how much.
#[derive(Debug, Clone)]
pub struct FetchPolicy {
    /// Allow plain http (the CLI's `--allow-http`; never on a public server).
    pub allow_http: bool,
    /// Allow private, loopback and other non-public addresses (the CLI's `--allow-private`).
    pub allow_private: bool,
    /// Time to connect, per attempt.
    pub connect_timeout: Duration,
    /// Time for one whole fetch, from resolving to the last byte.
    pub total_timeout: Duration,
    /// Cap for DID documents, JWK Sets and credentials.
    pub max_document_bytes: u64,
    /// Cap for status list credentials (their bitstring is at least 16 KB before compression).
    pub max_status_list_bytes: u64,
    /// Redirects followed per fetch, each re-vetted.
    pub max_redirects: u8,
    /// How long a fetched document is reused. Five minutes is the Bitstring Status List's default
    /// `ttl`, so a revocation shows within the time the spec itself allows a verifier to cache.
    pub cache_ttl: Duration,
    /// Documents kept at most.
    pub cache_entries: usize,
    /// Network fetches per host per minute; cache hits do not count.
    pub per_host_per_minute: u32,
    /// `host:port` authorities that may be reached over http on a loopback address. Only Rust
    /// code sets it (tests that serve did:web from 127.0.0.1); no flag or variable reaches it.
    test_hosts: Vec<String>,
}

impl Default for FetchPolicy {
    /// The public server's policy: https to public addresses only.
    fn default() -> Self {
        FetchPolicy {
            allow_http: false,
            allow_private: false,
            connect_timeout: Duration::from_secs(3),
            total_timeout: Duration::from_secs(5),
            max_document_bytes: 256 * 1024,
            max_status_list_bytes: 2 * 1024 * 1024,
            max_redirects: 3,
            cache_ttl: Duration::from_secs(300),
            cache_entries: 512,
            per_host_per_minute: 30,
            test_hosts: Vec::new(),
        }
    }
}

impl FetchPolicy {
    /// This policy, with plain http allowed or not.
    pub fn with_http(mut self, allow: bool) -> Self {
        self.allow_http = allow;
        self
    }

    /// This policy, with non-public addresses allowed or not.
    pub fn with_private(mut self, allow: bool) -> Self {
        self.allow_private = allow;
        self
    }

    /// Lets `host_port` (e.g. `127.0.0.1:40123`) be reached over http on loopback. For tests that
    /// serve an issuer from 127.0.0.1 while the rest of the policy stays strict.
    pub fn with_test_host(mut self, host_port: &str) -> Self {
        self.test_hosts.push(host_port.to_ascii_lowercase());
        self
    }

    fn is_test_host(&self, authority: &str) -> bool {
        self.test_hosts.iter().any(|h| h == authority)
    }
}

/// Whether `ip` is an ordinary address on the public internet. Everything special-purpose is
/// refused: loopback, private, shared (CGNAT), link-local, documentation, benchmarking,
/// multicast, reserved, and the IPv6 forms that embed or tunnel to such an IPv4 address.
/// IPv6 is allowed only inside global unicast (2000::/3), so new special ranges outside it are
/// refused without our knowing them.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = embedded_v4(v6) {
                return is_public_v4(v4);
            }
            let s = v6.segments();
            let global_unicast = (s[0] & 0xe000) == 0x2000;
            // 2001::/23 (IETF protocol assignments, Teredo), 2001:db8::/32 and 3fff::/20
            // (documentation).
            let special = (s[0] == 0x2001 && (s[1] < 0x0200 || s[1] == 0x0db8)) || (s[0] & 0xfff0) == 0x3ff0;
            global_unicast && !special
        }
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(a == 0 // "this network", unspecified
        || a == 10
        || a == 127
        || (a == 100 && (64..128).contains(&b)) // shared address space (CGNAT)
        || (a == 169 && b == 254)
        || (a == 172 && (16..32).contains(&b))
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
        || (a == 192 && b == 0 && c == 2) // TEST-NET-1
        || (a == 192 && b == 88 && c == 99) // 6to4 relay anycast
        || (a == 192 && b == 168)
        || (a == 198 && (b == 18 || b == 19)) // benchmarking
        || (a == 198 && b == 51 && c == 100) // TEST-NET-2
        || (a == 203 && b == 0 && c == 113) // TEST-NET-3
        || a >= 224) // multicast, reserved, broadcast
}

/// The IPv4 address an IPv6 address stands for, where the network would route to it: mapped
/// (::ffff:a.b.c.d), compatible (::a.b.c.d), NAT64 (64:ff9b::a.b.c.d) and 6to4 (2002:ab:cd::).
fn embedded_v4(ip: Ipv6Addr) -> Option<Ipv4Addr> {
    let s = ip.segments();
    let tail = || Ipv4Addr::new((s[6] >> 8) as u8, s[6] as u8, (s[7] >> 8) as u8, s[7] as u8);
    if s[..5] == [0, 0, 0, 0, 0]
        && (s[5] == 0xffff || (s[5] == 0 && ip != Ipv6Addr::UNSPECIFIED && ip != Ipv6Addr::LOCALHOST))
    {
        return Some(tail());
    }
    if s[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        return Some(tail());
    }
    if s[0] == 0x2002 {
        return Some(Ipv4Addr::new((s[1] >> 8) as u8, s[1] as u8, (s[2] >> 8) as u8, s[2] as u8));
    }
    None
}

/// Why the resolver refused; carried through ureq's error as `Error::Other`.
#[derive(Debug)]
struct Refused {
    host: String,
    addr: IpAddr,
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} resolves to the non-public address {}", self.host, self.addr)
    }
}

impl std::error::Error for Refused {}

/// ureq's resolver hook is where the vetting happens, because ureq's connector then connects to
/// exactly the addresses the resolver returned: the name is looked up once, the addresses are
/// checked, and no second lookup (which a rebinding DNS server could answer differently) happens
/// between the check and the connection. ureq calls it again for every redirect target, and no
/// proxy is configured, so every connection goes through it.
#[derive(Debug)]
struct VettingResolver {
    policy: Arc<FetchPolicy>,
    inner: DefaultResolver,
}

impl Resolver for VettingResolver {
    fn resolve(
        &self,
        uri: &Uri,
        config: &Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let addrs = self.inner.resolve(uri, config, timeout)?;
        if self.policy.allow_private {
            return Ok(addrs);
        }
        let authority = uri.authority().map(|a| authority_of(uri.scheme_str(), a.host(), a.port_u16()));
        let test_host = authority.as_deref().is_some_and(|a| self.policy.is_test_host(a));
        let host = uri.host().unwrap_or_default().to_owned();
        // A test host may be loopback and nothing else: being listed does not open private ranges.
        let allowed = |a: &SocketAddr| is_public(a.ip()) || (test_host && a.ip().is_loopback());
        match addrs.iter().find(|a| !allowed(a)) {
            Some(bad) => Err(ureq::Error::Other(Box::new(Refused { host, addr: bad.ip() }))),
            None => Ok(addrs),
        }
    }
}

/// `host[:port]`, lower case, without the scheme's default port.
fn authority_of(scheme: Option<&str>, host: &str, port: Option<u16>) -> String {
    let default = match scheme {
        Some("https") => Some(443),
        Some("http") => Some(80),
        _ => None,
    };
    match port {
        Some(p) if Some(p) != default => format!("{}:{p}", host.to_ascii_lowercase()),
        _ => host.to_ascii_lowercase(),
    }
}

/// The authority (`host[:port]`, default port left out) of an http(s) URL.
pub fn url_authority(url: &str) -> Option<String> {
    let uri: Uri = url.parse().ok()?;
    let a = uri.authority()?;
    Some(authority_of(uri.scheme_str(), a.host(), a.port_u16()))
}

/// The authority a did:web DID lives on (`did:web:example.org%3A8443:x` → `example.org:8443`).
pub fn did_web_authority(did: &str) -> Option<String> {
    url_authority(&did_web_url(did)?)
}

/// Which size cap applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A DID document, JWK Set or credential.
    Document,
    /// A status list credential.
    StatusList,
}

#[derive(Debug, Default)]
struct Cache {
    entries: HashMap<String, (Instant, Value)>,
}

#[derive(Debug, Default)]
struct Rates {
    windows: HashMap<String, (Instant, u32)>,
}

/// A fetcher with its policy, connection pool, cache and rate limits; share one per process
/// (`Arc<Fetcher>`), since the cache and the rate limits only work if everyone goes through it.
#[derive(Debug)]
pub struct Fetcher {
    policy: Arc<FetchPolicy>,
    agent: ureq::Agent,
    cache: Mutex<Cache>,
    rates: Mutex<Rates>,
}

const RATE_WINDOW: Duration = Duration::from_secs(60);

impl Fetcher {
    /// A fetcher applying `policy`.
    pub fn new(policy: FetchPolicy) -> Fetcher {
        let policy = Arc::new(policy);
        let config = ureq::Agent::config_builder()
            // Redirects are followed by `get`, which re-checks the scheme of each target.
            .max_redirects(0)
            .http_status_as_error(false)
            // A proxy from the environment would resolve names itself, past our vetting.
            .proxy(None)
            .timeout_connect(Some(policy.connect_timeout))
            .timeout_global(Some(policy.total_timeout))
            .user_agent(concat!("validera/", env!("CARGO_PKG_VERSION")))
            .build();
        let resolver = VettingResolver { policy: policy.clone(), inner: DefaultResolver::default() };
        let agent = ureq::Agent::with_parts(config, DefaultConnector::new(), resolver);
        Fetcher { policy, agent, cache: Mutex::default(), rates: Mutex::default() }
    }

    /// The policy in force.
    pub fn policy(&self) -> &FetchPolicy {
        &self.policy
    }

    /// Checks `url` is http(s), and https unless http is allowed for it; returns its authority.
    fn vet_url(&self, url: &str) -> Result<String, FetchError> {
        let uri: Uri = url.parse().map_err(|_| FetchError::BadUrl(url.to_owned()))?;
        let (Some(scheme), Some(a)) = (uri.scheme_str(), uri.authority()) else {
            return Err(FetchError::BadUrl(url.to_owned()));
        };
        let authority = authority_of(Some(scheme), a.host(), a.port_u16());
        match scheme {
            "https" => Ok(authority),
            "http" if self.policy.allow_http || self.policy.is_test_host(&authority) => Ok(authority),
            _ => Err(FetchError::NotHttps(url.to_owned())),
        }
    }

    /// The URL to fetch for an `https://` URL derived from an identifier (did:web): plain http
    /// where the policy allows it for that host, since test servers do not speak TLS.
    fn derived(&self, https_url: String) -> String {
        match (https_url.strip_prefix("https://"), url_authority(&https_url)) {
            (Some(rest), Some(a)) if self.policy.allow_http || self.policy.is_test_host(&a) => {
                format!("http://{rest}")
            }
            _ => https_url,
        }
    }

    fn take_rate(&self, authority: &str) -> Result<(), FetchError> {
        let mut rates = self.rates.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        if rates.windows.len() > 10_000 {
            rates.windows.retain(|_, (start, _)| now.duration_since(*start) < RATE_WINDOW);
        }
        let w = rates.windows.entry(authority.to_owned()).or_insert((now, 0));
        if now.duration_since(w.0) >= RATE_WINDOW {
            *w = (now, 0);
        }
        if w.1 >= self.policy.per_host_per_minute {
            return Err(FetchError::RateLimited(authority.to_owned()));
        }
        w.1 += 1;
        Ok(())
    }

    /// The body at `url` (at most `max` bytes), following at most the policy's redirects, each
    /// vetted like the first URL. Not cached.
    pub fn get_bytes(&self, url: &str, accept: &str, max: u64) -> Result<Vec<u8>, FetchError> {
        let mut url = url.to_owned();
        for _ in 0..=self.policy.max_redirects {
            let authority = self.vet_url(&url)?;
            self.take_rate(&authority)?;
            let mut resp = self.agent.get(&url).header("Accept", accept).call().map_err(from_ureq)?;
            let status = resp.status().as_u16();
            if (300..400).contains(&status) {
                let location = resp
                    .headers()
                    .get("location")
                    .and_then(|l| l.to_str().ok())
                    .ok_or_else(|| FetchError::Redirect(format!("{status} without a Location")))?;
                url = redirect_target(&url, location)?;
                continue;
            }
            if !(200..300).contains(&status) {
                return Err(FetchError::Status(status));
            }
            let declared = resp
                .headers()
                .get("content-length")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse::<u64>().ok());
            if declared.is_some_and(|n| n > max) {
                return Err(FetchError::TooLarge(max));
            }
            return resp.body_mut().with_config().limit(max).read_to_vec().map_err(|e| match e {
                ureq::Error::BodyExceedsLimit(_) => FetchError::TooLarge(max),
                e => from_ureq(e),
            });
        }
        Err(FetchError::Redirect(format!("more than {} redirects", self.policy.max_redirects)))
    }

    /// The JSON document at `url`, from the cache if fetched within the TTL.
    pub fn get_json(&self, url: &str, kind: Kind) -> Result<Value, FetchError> {
        let now = Instant::now();
        {
            let cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
            if let Some((at, v)) = cache.entries.get(url)
                && now.duration_since(*at) < self.policy.cache_ttl
            {
                return Ok(v.clone());
            }
        }
        let (max, accept) = match kind {
            Kind::Document => (
                self.policy.max_document_bytes,
                "application/did+json, application/json, application/vc+ld+json",
            ),
            Kind::StatusList => {
                (self.policy.max_status_list_bytes, "application/vc+ld+json, application/json")
            }
        };
        let bytes = self.get_bytes(url, accept, max)?;
        let value: Value = serde_json::from_slice(&bytes).map_err(|e| FetchError::NotJson(e.to_string()))?;
        let mut cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        if cache.entries.len() >= self.policy.cache_entries {
            let ttl = self.policy.cache_ttl;
            cache.entries.retain(|_, (at, _)| now.duration_since(*at) < ttl);
            if cache.entries.len() >= self.policy.cache_entries {
                let oldest = cache.entries.iter().min_by_key(|(_, (at, _))| *at).map(|(k, _)| k.clone());
                if let Some(k) = oldest {
                    cache.entries.remove(&k);
                }
            }
        }
        if self.policy.cache_entries > 0 {
            cache.entries.insert(url.to_owned(), (Instant::now(), value.clone()));
        }
        Ok(value)
    }

    /// The DID document of a did:web DID, checked to be that DID's (its `id` equals `did`).
    /// A document served for another DID says nothing about this one's keys.
    pub fn resolve_did_web(&self, did: &str) -> Result<Value, FetchError> {
        let did = did.split('#').next().unwrap_or(did);
        let url = did_web_url(did).ok_or_else(|| FetchError::NotDidWeb(did.to_owned()))?;
        let url = self.derived(url);
        let doc = self.get_json(&url, Kind::Document)?;
        match doc.get("id").and_then(Value::as_str) {
            Some(id) if id == did => Ok(doc),
            found => Err(FetchError::WrongDocument {
                url,
                expected: did.to_owned(),
                found: found.unwrap_or("(no id)").to_owned(),
            }),
        }
    }

    /// The public keys of an issuer identified by an https URL, for its VC-JWTs, as a JWK Set
    /// (`{"keys": [...]}`) of its Ed25519 keys.
    ///
    /// Open Badges 3.0 (§8.2, "Create the JOSE Header" and "Dereferencing the Public Key") makes
    /// the JOSE header's `kid` "a URI that can be dereferenced to an object of type JWK", over
    /// HTTP(S); its example is `https://example.edu/keys#key-1`, a JWK Set with a fragment. So a
    /// `kid` that is an http(s) URL is fetched (without its fragment), but only on the issuer's
    /// own host: a key served elsewhere would let anyone who controls that other host speak for
    /// the issuer. The document may be a single JWK or a JWK Set. A `kid` that is not a URL (or
    /// none) falls back to `{issuer origin}/.well-known/jwks.json`, where validera and many
    /// issuers publish their keys; that is a convention, not part of the specification.
    pub fn issuer_jwks(&self, issuer: &str, kid: Option<&str>) -> Result<Value, FetchError> {
        let issuer_authority = self.vet_url(issuer)?;
        let uri: Uri = issuer.parse().map_err(|_| FetchError::BadUrl(issuer.to_owned()))?;
        let origin = format!(
            "{}://{}",
            uri.scheme_str().unwrap_or("https"),
            uri.authority().map_or("", |a| a.as_str())
        );
        let url = match kid.filter(|k| k.starts_with("https://") || k.starts_with("http://")) {
            Some(k) => {
                let url = k.split('#').next().unwrap_or(k).to_owned();
                if self.vet_url(&url)? != issuer_authority {
                    return Err(FetchError::WrongDocument {
                        url,
                        expected: issuer.to_owned(),
                        found: "a key on another host".to_owned(),
                    });
                }
                url
            }
            None => format!("{origin}/.well-known/jwks.json"),
        };
        let doc = self.get_json(&url, Kind::Document)?;
        let candidates: Vec<Value> = match doc.get("keys").and_then(Value::as_array) {
            Some(keys) => keys.clone(),
            None => vec![doc.clone()],
        };
        let keys: Vec<Value> = candidates
            .into_iter()
            .filter(|k| k["kty"] == "OKP" && k["crv"] == "Ed25519" && k.get("d").is_none())
            .map(|mut k| {
                // A bare JWK dereferenced from a URL kid is named by that kid.
                if let (Some(kid), None) = (kid, k.get("kid")) {
                    k["kid"] = Value::String(kid.to_owned());
                }
                k
            })
            .collect();
        Ok(serde_json::json!({ "keys": keys }))
    }

    /// The status list credential at `url`, only if it is on the host of `issuer` (a did:web DID
    /// or an https issuer URL). A credential names its status list before anything about it is
    /// verified; fetching whatever it names would let a forger make the verifier call any host
    /// (and learn when and where the certificate is checked). The issuer's own host is one the
    /// verifier contacts anyway for the keys.
    pub fn status_list(&self, url: &str, issuer: &str) -> Result<Value, FetchError> {
        let issuer_host = match did_web_authority(issuer) {
            Some(a) => Some(a),
            None if issuer.starts_with("https://") || issuer.starts_with("http://") => url_authority(issuer),
            None => None,
        };
        if issuer_host.is_none() || issuer_host != url_authority(url) {
            return Err(FetchError::NotIssuersHost { url: url.to_owned(), issuer: issuer.to_owned() });
        }
        self.get_json(url, Kind::StatusList)
    }
}

/// Resolves a `Location` header against the URL that answered: absolute URLs and
/// absolute paths; anything else is not followed.
fn redirect_target(base: &str, location: &str) -> Result<String, FetchError> {
    if location.starts_with("https://") || location.starts_with("http://") {
        return Ok(location.to_owned());
    }
    if location.starts_with('/') && !location.starts_with("//") {
        let uri: Uri = base.parse().map_err(|_| FetchError::BadUrl(base.to_owned()))?;
        if let (Some(s), Some(a)) = (uri.scheme_str(), uri.authority()) {
            return Ok(format!("{s}://{}{location}", a.as_str()));
        }
    }
    Err(FetchError::Redirect(format!("to {location}")))
}

fn from_ureq(e: ureq::Error) -> FetchError {
    match e {
        ureq::Error::Other(inner) => match inner.downcast::<Refused>() {
            Ok(r) => FetchError::PrivateAddress { host: r.host, addr: r.addr },
            Err(other) => FetchError::Network(other.to_string()),
        },
        ureq::Error::Timeout(_) => FetchError::Timeout,
        ureq::Error::Io(io)
            if matches!(io.kind(), std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock) =>
        {
            FetchError::Timeout
        }
        ureq::Error::BodyExceedsLimit(n) => FetchError::TooLarge(n),
        ureq::Error::HostNotFound => FetchError::Network("host not found".into()),
        e => FetchError::Network(e.to_string()),
    }
}

#[cfg(test)]
mod tests;
