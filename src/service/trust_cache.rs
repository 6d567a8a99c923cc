//! What verification reads from the database, kept per process: each organisation's published
//! keys, its status-list bits, and stored credential rows (with the parsed document and the
//! digest of its bytes). A check of a certificate everyone scans then reads nothing at all.
//!
//! Policy: only inputs are cached, never verdicts. A check runs again on every request with the
//! cached inputs and the clock (the proof itself comes from `ProofCache`), so what depends on
//! time (validity dates, a key's `compromised_from`) is decided afresh each time.
//!
//! Invalidation: every write that changes what a verifier concludes bumps the one-row
//! `trust_generation` counter in its own transaction (the queries that write keys, credentials
//! and status lists do it themselves). Each instance polls the counter every `--trust-poll-ms`
//! and drops everything when it moved; the instance that wrote drops its own at once
//! ([`TrustCache::written`]). Should polling stop succeeding, the cache stops answering after a
//! few missed rounds and every check reads the database again, so no instance serves what it
//! cannot vouch is fresh.
//!
//! A load that read the database before a drop must not store its (possibly old) answer after
//! it: each drop starts a new epoch, and a load stores only into the epoch it began in.
//!
//! Only what exists in the database is stored (a credential, keys or list not found is not), and
//! each map has a capacity, so anonymous requests naming made-up ids cannot grow it.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock, RwLock};
use std::time::{Duration, Instant};

use super::ServiceError;
use super::certificates::REVOCATION;
use super::keys::{self, PublishedKey};
use crate::credential::status_list::Bitstring;
use crate::credential::verify::{Presented, digest};
use crate::db::models::CredentialRow;
use crate::db::queries::{credentials as q, trust_generation};
use crate::db::{DbConnection, DbError, DbPool};

/// A stored credential as verification needs it.
#[derive(Debug)]
pub struct StoredCredential {
    /// The row, as read.
    pub row: CredentialRow,
    parsed: OnceLock<Result<(Presented, [u8; 32]), String>>,
}

impl From<CredentialRow> for StoredCredential {
    fn from(row: CredentialRow) -> StoredCredential {
        StoredCredential { row, parsed: OnceLock::new() }
    }
}

impl StoredCredential {
    /// The stored document, parsed once, and the digest of its bytes.
    pub fn presented(&self) -> Result<(&Presented, &[u8; 32]), ServiceError> {
        let parsed = self.parsed.get_or_init(|| {
            serde_json::from_str(&self.row.document)
                .map(|doc| (Presented::json(doc), digest(self.row.document.as_bytes())))
                .map_err(|e| e.to_string())
        });
        match parsed {
            Ok((p, d)) => Ok((p, d)),
            Err(e) => Err(DbError::Corrupt(format!("stored credential {}: {e}", self.row.id)).into()),
        }
    }
}

/// Where a check gets a connection when something is not cached: from the pool, taken only
/// then (taking one costs a round trip: the pool tests it), or none (the caller wants to know
/// it would have needed one).
pub enum Db<'a> {
    /// The pool, asked only on a miss.
    Pool(&'a DbPool, Option<Box<Pooled>>),
    /// No database: a miss fails, and [`Db::missed`] says so.
    Without(bool),
}

impl Db<'_> {
    /// A connection, taking one from the pool on first use.
    pub fn conn(&mut self) -> Result<&mut DbConnection, DbError> {
        match self {
            Db::Pool(pool, held) => {
                if held.is_none() {
                    *held = Some(Box::new(pool.get().map_err(DbError::Pool)?));
                }
                Ok(held.as_mut().map(|c| &mut ***c).expect("just taken"))
            }
            Db::Without(missed) => {
                *missed = true;
                Err(DbError::Corrupt("not cached".into()))
            }
        }
    }

    /// Whether a [`Db::Without`] was asked for a connection.
    pub fn missed(&self) -> bool {
        matches!(self, Db::Without(true))
    }
}

#[derive(Default)]
struct Maps {
    epoch: u64,
    keys: HashMap<String, Arc<[PublishedKey]>>,
    bits: HashMap<String, Arc<Bitstring>>,
    credentials: HashMap<String, Arc<StoredCredential>>,
}

/// The caches; one per process (an `AppState` member).
pub struct TrustCache {
    maps: RwLock<Maps>,
    /// Entries per map before it starts again empty.
    capacity: usize,
    /// The generation last seen in the database.
    seen: std::sync::Mutex<Option<i64>>,
    /// Milliseconds after `started` of the last poll that succeeded.
    polled_at: AtomicU64,
    started: Instant,
    /// How long after the last successful poll the cache still answers.
    trusted_for: Duration,
}

impl TrustCache {
    /// A cache of up to `capacity` entries per map, polled every `poll`.
    pub fn new(capacity: usize, poll: Duration) -> TrustCache {
        TrustCache {
            maps: RwLock::default(),
            capacity,
            seen: std::sync::Mutex::default(),
            polled_at: AtomicU64::new(0),
            started: Instant::now(),
            // A few rounds may be slow (a busy blocking pool) without losing the cache; beyond
            // that a change made elsewhere might go unseen, so nothing is answered from it.
            trusted_for: poll * 4,
        }
    }

    fn elapsed_ms(&self) -> u64 {
        u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    /// Whether a poll succeeded recently enough for cached entries to be answered.
    fn fresh(&self) -> bool {
        let polled = self.polled_at.load(Ordering::Acquire);
        polled > 0 && self.elapsed_ms().saturating_sub(polled) <= self.trusted_for.as_millis() as u64
    }

    /// Drops everything and starts a new epoch.
    fn drop_all(&self) {
        let mut m = self.maps.write().unwrap_or_else(|e| e.into_inner());
        let epoch = m.epoch + 1;
        *m = Maps { epoch, ..Maps::default() };
    }

    /// Called by the instance that has just committed a change to keys, credentials or status
    /// lists: its own cache goes at once, without waiting for the next poll.
    pub fn written(&self) {
        self.drop_all();
    }

    /// One poll: reads the generation and drops everything if it moved since the last poll.
    pub fn poll(&self, conn: &mut DbConnection) -> Result<(), DbError> {
        // Fresh as of when the read was sent, not when its answer came: the counter read may
        // predate a change committed while the answer was on its way, and a slow round trip
        // must not stretch the time a change may go unseen beyond the window.
        let sent = self.elapsed_ms().max(1);
        let now = trust_generation::current(conn)?;
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        if *seen != Some(now) {
            // The first poll drops too: anything loaded before it was loaded unwatched.
            self.drop_all();
            *seen = Some(now);
        }
        self.polled_at.store(sent, Ordering::Release);
        Ok(())
    }

    /// The entry `pick` finds, or what `load` reads, stored if no drop happened meanwhile and
    /// `load` found something worth keeping.
    fn get_or_load<T: ?Sized>(
        &self,
        pick: impl Fn(&Maps) -> Option<Arc<T>>,
        load: impl FnOnce() -> Result<Option<Arc<T>>, ServiceError>,
        put: impl FnOnce(&mut Maps, Arc<T>),
    ) -> Result<Option<Arc<T>>, ServiceError> {
        let fresh = self.fresh();
        let epoch = {
            let m = self.maps.read().unwrap_or_else(|e| e.into_inner());
            if fresh && let Some(hit) = pick(&m) {
                return Ok(Some(hit));
            }
            m.epoch
        };
        let loaded = load()?;
        if let Some(v) = &loaded
            && fresh
        {
            let mut m = self.maps.write().unwrap_or_else(|e| e.into_inner());
            if m.epoch == epoch {
                put(&mut m, v.clone());
            }
        }
        Ok(loaded)
    }

    fn bounded<V>(map: &mut HashMap<String, V>, capacity: usize, k: String, v: V) {
        if map.len() >= capacity {
            map.clear();
        }
        map.insert(k, v);
    }

    /// The published keys of organisation `org` (empty if it has none, or is not ours).
    pub fn keys(&self, db: &mut Db<'_>, org: &str) -> Result<Arc<[PublishedKey]>, ServiceError> {
        let cap = self.capacity;
        let found = self.get_or_load(
            |m| m.keys.get(org).cloned(),
            || {
                let keys = keys::published(db.conn()?, Some(org))?;
                Ok(Some(Arc::from(keys)))
            },
            |m, v: Arc<[PublishedKey]>| {
                if !v.is_empty() {
                    Self::bounded(&mut m.keys, cap, org.to_owned(), v);
                }
            },
        )?;
        Ok(found.unwrap_or_else(|| Arc::from(Vec::new())))
    }

    /// The bits of `org`'s revocation list, or `None` if it has none.
    pub fn bits(&self, db: &mut Db<'_>, org: &str) -> Result<Option<Arc<Bitstring>>, ServiceError> {
        let cap = self.capacity;
        self.get_or_load(
            |m| m.bits.get(org).cloned(),
            || match q::find_status_list(db.conn()?, org, REVOCATION) {
                Ok(l) => Ok(Some(Arc::new(Bitstring::from_bytes(l.bits)))),
                Err(DbError::NotFound) => Ok(None),
                Err(e) => Err(e.into()),
            },
            |m, v| Self::bounded(&mut m.bits, cap, org.to_owned(), v),
        )
    }

    /// The stored credential `id`, or `None` if there is none.
    pub fn credential(
        &self,
        db: &mut Db<'_>,
        id: &str,
    ) -> Result<Option<Arc<StoredCredential>>, ServiceError> {
        let cap = self.capacity;
        self.get_or_load(
            |m| m.credentials.get(id).cloned(),
            || match q::find_public(db.conn()?, id) {
                Ok(row) => Ok(Some(Arc::new(StoredCredential::from(row)))),
                Err(DbError::NotFound) => Ok(None),
                Err(e) => Err(e.into()),
            },
            |m, v| Self::bounded(&mut m.credentials, cap, id.to_owned(), v),
        )
    }
}

/// Credentials posted to `POST /api/verify` before, parsed, by the digest of the bytes posted:
/// parsing is a pure function of the bytes, so an entry never goes stale. Only credentials of
/// our own issuers whose proof verified are remembered ([`super::verify::Verifier::verify`]),
/// and the bytes remembered are bounded in total, so anonymous callers cannot fill memory.
pub struct PostedCache {
    /// The parses, and the bytes they were read from in all.
    entries: std::sync::Mutex<Posted>,
    budget: usize,
}

type Posted = (HashMap<[u8; 32], Arc<Presented>>, usize);

impl PostedCache {
    /// A cache of parsed credentials posted as at most `budget` bytes in all; when full it
    /// starts again empty.
    pub fn new(budget: usize) -> PostedCache {
        PostedCache { entries: std::sync::Mutex::default(), budget }
    }

    /// The credential once posted as bytes with the digest `bytes`.
    pub fn get(&self, bytes: &[u8; 32]) -> Option<Arc<Presented>> {
        self.entries.lock().ok()?.0.get(bytes).cloned()
    }

    pub(super) fn remember(&self, bytes: [u8; 32], presented: Arc<Presented>, len: usize) {
        // One body may take at most a sixteenth, so a few large ones cannot crowd out the rest.
        if len > self.budget / 16 {
            return;
        }
        let Ok(mut m) = self.entries.lock() else { return };
        if m.1 + len > self.budget {
            *m = Default::default();
        }
        if m.0.insert(bytes, presented).is_none() {
            m.1 += len;
        }
    }
}

type Pooled = diesel::r2d2::PooledConnection<crate::db::ConnManager>;

/// Polls `cache` every `every` over `pool` (its own: when the cache pauses, every check reads
/// the database and may take every connection of the shared pool) on a thread of its own, until
/// the cache is dropped with the application. Not on the async runtime or its blocking pool: a
/// poll delayed there by a busy moment makes the cache pause, which sends every check to the
/// database, which delays the next poll further. A failed poll is logged; the cache stops
/// answering on its own if they keep failing.
pub fn poll_every(pool: DbPool, cache: &Arc<TrustCache>, every: Duration) -> std::io::Result<()> {
    let cache = Arc::downgrade(cache);
    std::thread::Builder::new().name("validera-trust-poll".into()).spawn(move || {
        while let Some(c) = cache.upgrade() {
            let round = pool.get().map_err(DbError::Pool).and_then(|mut conn| c.poll(&mut conn));
            if let Err(e) = round {
                tracing::warn!(error = %e, "the trust generation could not be read; caches pause");
            }
            drop(c);
            std::thread::sleep(every);
        }
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cache_never_polled_answers_nothing_and_a_drop_discards_a_load_begun_before_it() {
        let cache = TrustCache::new(4, Duration::from_millis(200));
        let mut db = Db::Without(false);
        let loads = std::cell::Cell::new(0);
        let load = || {
            loads.set(loads.get() + 1);
            Ok(Some(Arc::new(Bitstring::new(8))))
        };
        let put = |m: &mut Maps, v| TrustCache::bounded(&mut m.bits, 4, "org".into(), v);
        let pick = |m: &Maps| m.bits.get("org").cloned();
        cache.get_or_load(pick, load, put).unwrap();
        cache.get_or_load(pick, load, put).unwrap();
        assert_eq!(loads.get(), 2, "not polled yet: nothing is kept");
        cache.polled_at.store(cache.elapsed_ms().max(1), Ordering::Release);
        cache.get_or_load(pick, load, put).unwrap();
        cache.get_or_load(pick, load, put).unwrap();
        assert_eq!(loads.get(), 3, "polled: the second is a hit");
        // A load that began before a drop is not stored after it.
        cache.written();
        cache
            .get_or_load(
                pick,
                || {
                    cache.written();
                    Ok(Some(Arc::new(Bitstring::new(8))))
                },
                put,
            )
            .unwrap();
        assert!(cache.maps.read().unwrap().bits.is_empty());
        assert!(db.conn().is_err() && db.missed());
    }
}
