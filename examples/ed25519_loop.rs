//! Baseline for the load test: how many plain Ed25519 verifications per second this machine
//! does on all its cores. Run: `cargo run --release --example ed25519_loop -- 5` (seconds).

use std::time::{Duration, Instant};

use ed25519_dalek::{Signer, SigningKey, Verifier};

fn main() {
    let seconds: u64 = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(5);
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let key = SigningKey::from_bytes(&[7; 32]);
    let public = key.verifying_key();
    let message = [42u8; 64];
    let signature = key.sign(&message);
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let total: u64 = std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut n = 0u64;
                    while Instant::now() < deadline {
                        for _ in 0..100 {
                            public.verify(std::hint::black_box(&message), &signature).expect("valid");
                        }
                        n += 100;
                    }
                    n
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().expect("worker")).sum()
    });
    println!("threads={threads} seconds={seconds} verifications={total} per_second={}", total / seconds);
}
