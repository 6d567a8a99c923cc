//! A bounded pool of threads for work an anonymous request can cause: verifying a credential
//! or a PDF in hand.
//!
//! Why not `web::block`: actix's blocking pool grows to hundreds of threads and queues without
//! bound, so a burst of expensive anonymous checks would take every core and every byte of
//! memory it likes, and the signed-in pages and `/healthz` would wait behind them. Here the
//! number of checks running is the number of threads, the number waiting is a small queue, and
//! a request that finds both full is answered 503 at once, without reading the database or
//! parsing anything. Each check also has a time budget; a request whose check overruns it is
//! answered 503 while the thread finishes the (bounded) work and takes the next one.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc::{SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

type Job = Box<dyn FnOnce() + Send + 'static>;

/// How big the pool is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolSize {
    /// Checks running at once.
    pub threads: usize,
    /// Checks waiting for a thread; one more is refused.
    pub queue: usize,
    /// How long a request waits for its check, queueing included.
    pub budget: Duration,
}

/// Why a job did not give its result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PoolError {
    /// Every thread is busy and the queue is full.
    #[error("every verification slot is taken")]
    Busy,
    /// The job did not finish within the budget.
    #[error("the verification took longer than {0:?}")]
    TimedOut(Duration),
    /// The job panicked; a bug.
    #[error("the verification failed unexpectedly")]
    Lost,
}

/// The pool; cheap to share behind the app state.
#[derive(Debug)]
pub struct WorkPool {
    queue: SyncSender<Job>,
    budget: Duration,
}

impl WorkPool {
    /// Starts `size.threads` threads named `name-N`.
    pub fn start(name: &str, size: PoolSize) -> std::io::Result<WorkPool> {
        let (queue, jobs) = sync_channel::<Job>(size.queue);
        let jobs = Arc::new(Mutex::new(jobs));
        for n in 0..size.threads.max(1) {
            let jobs = Arc::clone(&jobs);
            std::thread::Builder::new().name(format!("{name}-{n}")).spawn(move || {
                loop {
                    // The lock is held only while waiting for the next job, never while one runs.
                    let next = match jobs.lock() {
                        Ok(rx) => rx.recv(),
                        Err(_) => return,
                    };
                    match next {
                        // A panicking job drops its result sender, which the waiting request
                        // sees as `Lost`; the thread lives on for the next job.
                        Ok(job) => drop(catch_unwind(AssertUnwindSafe(job))),
                        Err(_) => return,
                    }
                }
            })?;
        }
        Ok(WorkPool { queue, budget: size.budget })
    }

    /// Runs `f` on the pool and waits for it, within the budget.
    pub async fn run<T, F>(&self, f: F) -> Result<T, PoolError>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            // The requester may have given up (timed out, disconnected); nothing to do then.
            let _ = tx.send(f());
        });
        match self.queue.try_send(job) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) => return Err(PoolError::Busy),
            Err(TrySendError::Disconnected(_)) => return Err(PoolError::Lost),
        }
        match actix_web::rt::time::timeout(self.budget, rx).await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(_)) => Err(PoolError::Lost),
            Err(_) => Err(PoolError::TimedOut(self.budget)),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::mpsc;

    use super::*;

    fn pool(threads: usize, queue: usize, budget_ms: u64) -> WorkPool {
        WorkPool::start("test", PoolSize { threads, queue, budget: Duration::from_millis(budget_ms) })
            .expect("threads start")
    }

    #[actix_web::test]
    async fn runs_jobs_and_returns_their_results() {
        let p = pool(2, 4, 10_000);
        assert_eq!(p.run(|| 6 * 7).await, Ok(42));
    }

    #[actix_web::test]
    async fn a_full_pool_refuses_at_once_and_recovers() {
        let p = Arc::new(pool(1, 1, 60_000));
        let (release, gate) = mpsc::channel::<()>();
        let gate = Arc::new(Mutex::new(gate));
        let started = Arc::new(AtomicUsize::new(0));
        let submitted = Arc::new(AtomicUsize::new(0));
        let mut waiting = Vec::new();
        // One running, then one queued: a pool of one thread and a queue of one is full.
        for n in 1..=2 {
            let (p, gate) = (Arc::clone(&p), Arc::clone(&gate));
            let (job_started, job_submitted) = (Arc::clone(&started), Arc::clone(&submitted));
            waiting.push(actix_web::rt::spawn(async move {
                // `run` queues the job in the same poll, before its first await.
                job_submitted.fetch_add(1, Ordering::SeqCst);
                p.run(move || {
                    job_started.fetch_add(1, Ordering::SeqCst);
                    gate.lock().unwrap().recv().ok();
                })
                .await
            }));
            while submitted.load(Ordering::SeqCst) < n || started.load(Ordering::SeqCst) < 1 {
                actix_web::rt::time::sleep(Duration::from_millis(5)).await;
            }
        }
        assert_eq!(p.run(|| ()).await, Err(PoolError::Busy));
        release.send(()).unwrap();
        release.send(()).unwrap();
        for w in waiting {
            assert_eq!(w.await.unwrap(), Ok(()));
        }
        assert_eq!(p.run(|| 1).await, Ok(1));
    }

    #[actix_web::test]
    async fn an_overrunning_job_times_out_and_a_panicking_one_is_lost() {
        let p = pool(1, 2, 50);
        let (release, gate) = mpsc::channel::<()>();
        let slow = p.run(move || gate.recv().ok()).await;
        assert_eq!(slow, Err(PoolError::TimedOut(Duration::from_millis(50))));
        release.send(()).unwrap();
        let p = pool(1, 2, 10_000);
        let lost: Result<(), _> = p.run(|| panic!("a bug")).await;
        assert_eq!(lost, Err(PoolError::Lost));
        // The thread survived the panic.
        assert_eq!(p.run(|| "still here").await, Ok("still here"));
    }
}
