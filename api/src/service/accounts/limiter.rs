//! Holding back password guessing before any hash is computed: per username and client address,
//! per client address, and by a growing delay per username that slows every guesser down but
//! never refuses the right password outright; and only a few hashes (19 MiB of memory each) at
//! once.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use tokio::sync::{Semaphore, SemaphorePermit};

use crate::error::AppError;

/// Failed sign-ins allowed for one username from one client address within [`WINDOW`].
const FAILURES_PER_NAME_AND_CLIENT: usize = 10;
/// Failed sign-ins allowed from one client address within [`WINDOW`], whatever the usernames
/// tried (guessing across many accounts).
const FAILURES_PER_CLIENT: usize = 30;
/// Failed sign-ins for one username, from anywhere, before each further attempt waits.
const FAILURES_BEFORE_DELAY: usize = 5;
/// The first wait; it doubles with each further failure, up to [`MAX_DELAY`].
const FIRST_DELAY: Duration = Duration::from_millis(100);
const MAX_DELAY: Duration = Duration::from_secs(5);
const WINDOW: Duration = Duration::from_secs(15 * 60);
/// Password hashes computed at once, at most: a hash keeps a core busy, so more than the
/// cores would only add their memory; an attempt beyond them is RATE_LIMITED at once.
const MOST_HASHES_AT_ONCE: usize = 4;
/// Keys kept before the expired ones are swept out.
const SWEEP_ABOVE: usize = 10_000;

/// Remembers recent failed sign-ins, and how many hashes are running.
#[derive(Debug)]
pub struct LoginLimiter {
    failures: Mutex<HashMap<String, Vec<Instant>>>,
    hashing: Semaphore,
}

impl Default for LoginLimiter {
    fn default() -> Self {
        LoginLimiter {
            failures: Mutex::default(),
            hashing: Semaphore::new(
                std::thread::available_parallelism()
                    .map_or(2, usize::from)
                    .clamp(2, MOST_HASHES_AT_ONCE),
            ),
        }
    }
}

/// Who is trying to sign in: the username asked for and, when known, the client's address.
pub struct Attempt<'a> {
    pub username: &'a str,
    pub client: Option<IpAddr>,
}

impl Attempt<'_> {
    fn name_and_client(&self) -> String {
        match self.client {
            Some(client) => format!("pair:{client}/{}", self.username),
            None => format!("pair:-/{}", self.username),
        }
    }

    fn client(&self) -> Option<String> {
        self.client.map(|client| format!("client:{client}"))
    }

    fn name(&self) -> String {
        format!("user:{}", self.username)
    }
}

/// An attempt let through, and how long it waits before its password is checked.
#[derive(Debug)]
pub struct Admitted {
    pub delay: Duration,
}

impl LoginLimiter {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Vec<Instant>>> {
        self.failures.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Lets an attempt through, or says how long to wait; counts it as failed meanwhile.
    pub fn admit(&self, attempt: &Attempt<'_>) -> Result<Admitted, AppError> {
        let mut failures = self.lock();
        let now = Instant::now();
        let mut recent = |key: &str| {
            let times = failures.entry(key.to_string()).or_default();
            times.retain(|t| now.duration_since(*t) < WINDOW);
            (times.len(), times.first().copied())
        };
        let mut limits = vec![(attempt.name_and_client(), FAILURES_PER_NAME_AND_CLIENT)];
        if let Some(client) = attempt.client() {
            limits.push((client, FAILURES_PER_CLIENT));
        }
        for (key, allowed) in &limits {
            let (count, oldest) = recent(key);
            if count >= *allowed {
                let since = now.duration_since(oldest.unwrap_or(now));
                return Err(AppError::RateLimited {
                    retry_after_secs: WINDOW.saturating_sub(since).as_secs().max(1),
                });
            }
        }
        let (of_name, _) = recent(&attempt.name());
        for key in limits
            .into_iter()
            .map(|(key, _)| key)
            .chain([attempt.name()])
        {
            failures.entry(key).or_default().push(now);
        }
        if failures.len() > SWEEP_ABOVE {
            failures.retain(|_, times| {
                times.retain(|t| now.duration_since(*t) < WINDOW);
                !times.is_empty()
            });
        }
        let delay = match of_name.checked_sub(FAILURES_BEFORE_DELAY) {
            Some(beyond) => FIRST_DELAY
                .saturating_mul(1 << beyond.min(16))
                .min(MAX_DELAY),
            None => Duration::ZERO,
        };
        Ok(Admitted { delay })
    }

    /// The attempt was refused before its password was looked at: it did not count.
    fn not_evaluated(&self, attempt: &Attempt<'_>) {
        let mut failures = self.lock();
        let keys = [
            Some(attempt.name_and_client()),
            attempt.client(),
            Some(attempt.name()),
        ];
        for key in keys.into_iter().flatten() {
            if let Some(times) = failures.get_mut(&key) {
                times.pop();
            }
        }
    }

    /// Lets an attempt through to have its password hashed: counted as failed first (see
    /// [`LoginLimiter::admit`]), waiting its delay, and holding one of the few hashing places
    /// (RATE_LIMITED at once when none is free).
    pub(super) async fn admit_to_hash(
        &self,
        attempt: &Attempt<'_>,
    ) -> Result<SemaphorePermit<'_>, AppError> {
        let admitted = self.admit(attempt)?;
        if !admitted.delay.is_zero() {
            tokio::time::sleep(admitted.delay).await;
        }
        self.hashing.try_acquire().map_err(|_| {
            self.not_evaluated(attempt);
            AppError::RateLimited {
                retry_after_secs: 1,
            }
        })
    }

    /// The right password: the username's failures are forgiven, and the client's pending one.
    pub(super) fn succeeded(&self, attempt: &Attempt<'_>) {
        let mut failures = self.lock();
        failures.remove(&attempt.name_and_client());
        failures.remove(&attempt.name());
        if let Some(times) = attempt.client().and_then(|key| failures.get_mut(&key)) {
            times.pop();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attempt(username: &str, client: [u8; 4]) -> Attempt<'_> {
        Attempt {
            username,
            client: Some(IpAddr::from(client)),
        }
    }

    #[test]
    fn guesses_from_one_address_lock_that_address_out_of_that_account_only() {
        let limiter = LoginLimiter::default();
        let here = [10, 0, 0, 9];
        for _ in 0..FAILURES_PER_NAME_AND_CLIENT {
            assert!(limiter.admit(&attempt("zhang", here)).is_ok());
        }
        assert!(matches!(
            limiter.admit(&attempt("zhang", here)),
            Err(AppError::RateLimited { .. })
        ));
        // The real user elsewhere still gets through (after a wait), and so does another account.
        let elsewhere = limiter.admit(&attempt("zhang", [10, 0, 0, 8])).unwrap();
        assert!(elsewhere.delay > Duration::ZERO && elsewhere.delay <= MAX_DELAY);
        assert!(limiter.admit(&attempt("li", here)).is_ok());
    }

    #[test]
    fn one_client_guessing_across_many_usernames_is_locked_out() {
        let limiter = LoginLimiter::default();
        let client = [10, 0, 0, 7];
        let names: Vec<String> = (0..FAILURES_PER_CLIENT).map(|i| format!("u{i}")).collect();
        for name in &names {
            assert!(limiter.admit(&attempt(name, client)).is_ok());
        }
        assert!(matches!(
            limiter.admit(&attempt("fresh", client)),
            Err(AppError::RateLimited { .. })
        ));
        assert!(limiter.admit(&attempt("fresh", [10, 0, 0, 8])).is_ok());
    }

    #[test]
    fn the_wait_grows_with_the_failures_of_a_username_and_a_success_forgives_them() {
        let limiter = LoginLimiter::default();
        let delays: Vec<Duration> = (0..12u8)
            .map(|i| {
                limiter
                    .admit(&attempt("renda", [10, 0, 1, i]))
                    .unwrap()
                    .delay
            })
            .collect();
        assert!(
            delays[..FAILURES_BEFORE_DELAY]
                .iter()
                .all(Duration::is_zero)
        );
        assert!(delays.windows(2).all(|w| w[0] <= w[1]), "{delays:?}");
        assert_eq!(delays[11], MAX_DELAY);
        limiter.succeeded(&attempt("renda", [10, 0, 2, 1]));
        assert!(
            limiter
                .admit(&attempt("renda", [10, 0, 2, 1]))
                .unwrap()
                .delay
                .is_zero()
        );
    }
}
