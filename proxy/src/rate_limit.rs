//! A token bucket per client: `burst` requests at once, refilled at `per_minute`.
//!
//! IPv6 clients are bucketed by their /64, since one host usually owns a whole /64 and could
//! otherwise rotate addresses to escape the limit.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::config::RateLimitConfig;

/// Buckets kept before idle (full) ones are swept out.
const SWEEP_AT: usize = 4096;

pub(crate) struct RateLimiter {
    per_sec: f64,
    burst: f64,
    state: Mutex<State>,
}

struct State {
    buckets: HashMap<IpAddr, Bucket>,
    sweep_at: usize,
}

struct Bucket {
    tokens: f64,
    last: Instant,
}

impl RateLimiter {
    /// `None` when the limit is off (`per_minute` of 0).
    pub(crate) fn new(config: RateLimitConfig) -> Option<RateLimiter> {
        (config.per_minute > 0).then(|| RateLimiter {
            per_sec: f64::from(config.per_minute) / 60.0,
            burst: f64::from(config.burst.max(1)),
            state: Mutex::new(State { buckets: HashMap::new(), sweep_at: SWEEP_AT }),
        })
    }

    /// Takes a token for `client`, or says how long until one is available.
    pub(crate) fn check(&self, client: IpAddr, now: Instant) -> Result<(), Duration> {
        let key = bucket_key(client);
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if state.buckets.len() >= state.sweep_at {
            self.sweep(&mut state, now);
        }
        let bucket = state.buckets.entry(key).or_insert(Bucket { tokens: self.burst, last: now });
        let elapsed = now.saturating_duration_since(bucket.last).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * self.per_sec).min(self.burst);
        bucket.last = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - bucket.tokens) / self.per_sec))
        }
    }

    /// Drops buckets that have refilled completely: they behave exactly like absent ones.
    fn sweep(&self, state: &mut State, now: Instant) {
        let (per_sec, burst) = (self.per_sec, self.burst);
        state.buckets.retain(|_, b| b.tokens + now.saturating_duration_since(b.last).as_secs_f64() * per_sec < burst);
        state.sweep_at = SWEEP_AT.max(state.buckets.len() * 2);
    }
}

/// IPv4 (also when mapped into IPv6) as is; IPv6 by its /64. The per-IP connection cap counts by
/// the same key.
pub(crate) fn bucket_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::from([s[0], s[1], s[2], s[3], 0, 0, 0, 0])
            }
        },
    }
}

/// Whole seconds for `Retry-After`, rounded up, at least 1.
pub(crate) fn retry_after_secs(wait: Duration) -> u64 {
    let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    secs.max(1)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn limiter(per_minute: u32, burst: u32) -> RateLimiter {
        RateLimiter::new(RateLimitConfig { per_minute, burst }).unwrap()
    }

    #[test]
    fn zero_turns_it_off() {
        assert!(RateLimiter::new(RateLimitConfig { per_minute: 0, burst: 5 }).is_none());
    }

    #[test]
    fn burst_then_refill() {
        let l = limiter(60, 3); // one token a second
        let ip: IpAddr = "10.0.0.1".parse().unwrap();
        let t = Instant::now();
        for _ in 0..3 {
            assert!(l.check(ip, t).is_ok());
        }
        let wait = l.check(ip, t).unwrap_err();
        assert_eq!(retry_after_secs(wait), 1);
        assert!(l.check(ip, t + Duration::from_millis(500)).is_err());
        assert!(l.check(ip, t + Duration::from_millis(1001)).is_ok());
        // Another client has its own bucket.
        assert!(l.check("10.0.0.2".parse().unwrap(), t).is_ok());
    }

    #[test]
    fn ipv6_is_bucketed_by_slash_64() {
        let l = limiter(60, 1);
        let t = Instant::now();
        assert!(l.check("2001:db8::1".parse().unwrap(), t).is_ok());
        assert!(l.check("2001:db8::ffff:2".parse().unwrap(), t).is_err());
        assert!(l.check("2001:db8:0:1::1".parse().unwrap(), t).is_ok());
        assert_eq!(bucket_key("::ffff:1.2.3.4".parse().unwrap()), "1.2.3.4".parse::<IpAddr>().unwrap());
    }

    #[test]
    fn full_buckets_are_swept() {
        let l = limiter(6000, 1);
        let t = Instant::now();
        for i in 0..(SWEEP_AT as u32 + 10) {
            let ip = IpAddr::from(std::net::Ipv4Addr::from(i));
            assert!(l.check(ip, t).is_ok());
        }
        // Emptied just now, none is swept; the next sweep happens at twice the size.
        let mut state = l.state.lock().unwrap();
        assert_eq!(state.buckets.len(), SWEEP_AT + 10);
        assert_eq!(state.sweep_at, SWEEP_AT * 2);
        // Five seconds later every bucket is full again and goes.
        l.sweep(&mut state, t + Duration::from_secs(5));
        assert!(state.buckets.is_empty(), "{}", state.buckets.len());
        assert_eq!(state.sweep_at, SWEEP_AT);
    }

    #[test]
    fn retry_after_rounds_up() {
        assert_eq!(retry_after_secs(Duration::from_millis(1)), 1);
        assert_eq!(retry_after_secs(Duration::from_millis(2001)), 3);
        assert_eq!(retry_after_secs(Duration::from_secs(2)), 2);
    }
}
