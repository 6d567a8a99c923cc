//! Who may do what: roles, password hashing (argon2) and short-lived bearer tokens (HS256 JWT).
//!
//! Policy: tokens carry only the user id and the user's token generation; role and
//! organisation are read from the database on every request, so a changed role or a
//! deactivated account takes effect at once, and the generation ends every older token.

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::Rng;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

/// A role within an organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// Manages the organisation's users and frameworks.
    Admin,
    /// Records tests and evidence, proposes decisions.
    Assessor,
    /// Confirms or returns decisions (internal verifier).
    Verifier,
    /// Follows their own progress.
    Candidate,
    /// Approves or returns the organisation's uploaded framework versions and sets when each is
    /// reviewed again (the awarding body's panel, *bedömningspanel*).
    Panel,
    /// Works with assigned candidates on their development plans (sv handledare, fi valmentaja).
    Coach,
    /// Samples confirmed decisions for the awarding body after internal verification and agrees
    /// or does not (external quality assurer, sv *extern kvalitetssäkrare*, fi *ulkoinen
    /// laadunvarmistaja*). Sees only the decisions sampled into its queue.
    Eqa,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 7] =
        [Role::Admin, Role::Assessor, Role::Verifier, Role::Candidate, Role::Panel, Role::Coach, Role::Eqa];

    /// The name used in the API and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Assessor => "assessor",
            Role::Verifier => "verifier",
            Role::Candidate => "candidate",
            Role::Panel => "panel",
            Role::Coach => "coach",
            Role::Eqa => "eqa",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A role name we do not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role '{0}': expected admin, assessor, verifier, candidate, panel, coach or eqa")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;
    fn from_str(s: &str) -> Result<Self, UnknownRole> {
        Role::ALL.into_iter().find(|r| r.as_str() == s).ok_or_else(|| UnknownRole(s.to_owned()))
    }
}

/// A set of roles, stored as a comma-separated list.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Roles(pub BTreeSet<Role>);

impl Roles {
    /// Whether `role` is among them.
    pub fn has(&self, role: Role) -> bool {
        self.0.contains(&role)
    }

    /// The stored form (`admin,assessor`).
    pub fn to_stored(&self) -> String {
        self.0.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(",")
    }
}

impl FromStr for Roles {
    type Err = UnknownRole;
    fn from_str(s: &str) -> Result<Self, UnknownRole> {
        s.split(',').filter(|p| !p.is_empty()).map(str::parse).collect::<Result<_, _>>().map(Roles)
    }
}

/// Errors of password and token handling.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// Hashing failed (out of memory, bad parameters).
    #[error("password hashing failed: {0}")]
    Hash(String),
    /// The token is missing, malformed, forged or expired.
    #[error("invalid or expired token")]
    InvalidToken(#[source] jsonwebtoken::errors::Error),
}

/// Hashes a password with argon2id and a random salt.
pub fn hash_password(password: &str) -> Result<String, AuthError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AuthError::Hash(e.to_string()))
}

/// Checks a password against a stored hash; a malformed hash never matches.
pub fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// A hash of a random password, to compare against when the user does not exist, so a login
/// for an unknown e-mail takes as long as one with a wrong password.
pub fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_password(&one_time_password()).unwrap_or_default())
}

/// A random one-time password: 16 characters from an alphabet without look-alikes
/// (about 85 bits), easy to read out over the phone.
pub fn one_time_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzACDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::thread_rng();
    (0..16).map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char).collect()
}

/// Claims of an access token.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    /// The user id.
    pub sub: String,
    /// Issued at (seconds since the epoch).
    pub iat: i64,
    /// Expires at (seconds since the epoch).
    pub exp: i64,
    /// The user's token generation when it was issued: a password change, deactivation or role
    /// change moves the user on, ending every token of an older generation. A counter rather
    /// than `iat`, which has whole seconds only: a token stolen in the second of the change
    /// would otherwise outlive it. Tokens from before it existed read as generation 0.
    #[serde(default)]
    pub generation: i64,
    /// The anti-forgery token of a browser session (pages put it in every form); API tokens
    /// have none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub csrf: Option<String>,
}

/// Signs and checks access tokens.
#[derive(Clone)]
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    /// How long a token lives.
    pub ttl: chrono::Duration,
}

impl TokenKeys {
    /// Keys from a shared secret (all instances behind one database must share it).
    pub fn new(secret: &SecretString, ttl: chrono::Duration) -> Self {
        let bytes = secret.expose_secret().as_bytes();
        Self { encoding: EncodingKey::from_secret(bytes), decoding: DecodingKey::from_secret(bytes), ttl }
    }

    /// A token for `user` (of token generation `generation`), valid from `now` for the
    /// configured lifetime.
    pub fn issue(
        &self,
        user: &str,
        generation: i64,
        now: chrono::DateTime<chrono::Utc>,
    ) -> (String, chrono::DateTime<chrono::Utc>) {
        self.issue_with(user, generation, now, None)
    }

    /// A token for `user` carrying the anti-forgery token `csrf` of a browser session.
    pub fn issue_with(
        &self,
        user: &str,
        generation: i64,
        now: chrono::DateTime<chrono::Utc>,
        csrf: Option<String>,
    ) -> (String, chrono::DateTime<chrono::Utc>) {
        let exp = now + self.ttl;
        let claims =
            Claims { sub: user.to_owned(), iat: now.timestamp(), exp: exp.timestamp(), generation, csrf };
        let token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .expect("HS256 signing with an in-memory key cannot fail");
        (token, exp)
    }

    /// A random token for forms (256 bits, URL-safe).
    pub fn random_token() -> String {
        use base64::Engine;
        let bytes: [u8; 32] = rand::thread_rng().r#gen();
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    }

    /// The claims of a valid, unexpired token.
    pub fn verify(&self, token: &str) -> Result<Claims, AuthError> {
        let mut v = Validation::new(Algorithm::HS256);
        v.leeway = 0;
        v.set_required_spec_claims(&["exp", "sub"]);
        jsonwebtoken::decode::<Claims>(token, &self.decoding, &v)
            .map(|d| d.claims)
            .map_err(AuthError::InvalidToken)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(ttl_secs: i64) -> TokenKeys {
        TokenKeys::new(
            &SecretString::from("test secret, never use in production"),
            chrono::Duration::seconds(ttl_secs),
        )
    }

    #[test]
    fn a_password_verifies_against_its_own_hash_only() {
        let h = hash_password("correct horse").unwrap();
        assert!(verify_password(&h, "correct horse"));
        assert!(!verify_password(&h, "correct horse "));
        assert!(!verify_password("not a hash", "correct horse"));
    }

    #[test]
    fn an_expired_token_is_refused() {
        let k = keys(60);
        let (t, _) = k.issue("u1", 0, chrono::Utc::now() - chrono::Duration::seconds(120));
        assert!(k.verify(&t).is_err());
        let (t, _) = k.issue("u1", 0, chrono::Utc::now());
        assert_eq!(k.verify(&t).unwrap().sub, "u1");
    }

    #[test]
    fn a_token_signed_with_another_secret_is_refused() {
        let other = TokenKeys::new(&SecretString::from("another"), chrono::Duration::seconds(60));
        let (t, _) = other.issue("u1", 0, chrono::Utc::now());
        assert!(keys(60).verify(&t).is_err());
    }

    #[test]
    fn a_token_carries_its_generation_and_older_tokens_read_as_generation_zero() {
        let k = keys(60);
        let (t, _) = k.issue("u1", 7, chrono::Utc::now());
        assert_eq!(k.verify(&t).unwrap().generation, 7);
        let now = chrono::Utc::now().timestamp();
        let old = serde_json::json!({"sub": "u1", "iat": now, "exp": now + 60});
        let t = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &old, &k.encoding).unwrap();
        assert_eq!(k.verify(&t).unwrap().generation, 0);
    }

    #[test]
    fn roles_round_trip_through_storage() {
        let r: Roles = "verifier,admin".parse().unwrap();
        assert_eq!(r.to_stored(), "admin,verifier");
        assert!("admin,root".parse::<Roles>().is_err());
    }

    #[test]
    fn one_time_passwords_differ() {
        assert_ne!(one_time_password(), one_time_password());
        assert_eq!(one_time_password().len(), 16);
    }
}
