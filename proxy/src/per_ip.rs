//! `--max-connections-per-ip`: connections open per client address, counted on the socket's peer
//! (IPv6 by its /64, as the rate limit does), so one address cannot take every slot of
//! `--max-connections`.
//!
//! Past the cap a new connection is closed as soon as it is accepted, without an answer: a 503 would
//! need the request read first (closing a socket with unread request bytes resets the connection,
//! and the client may then lose the 503 before reading it), and reading it means holding the
//! connection, the very thing the cap is there to stop. Browsers open at most 6 connections to a
//! host, so the default of 64 only stops a crowd behind one address or a client hoarding connections.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::rate_limit::bucket_key;

/// Open connections per address. Entries exist only while their count is above 0, so the map never
/// holds more than `--max-connections` entries.
pub(crate) struct PeerCounts {
    cap: usize,
    open: Mutex<HashMap<IpAddr, usize>>,
}

impl PeerCounts {
    pub(crate) fn new(cap: usize) -> Arc<PeerCounts> {
        Arc::new(PeerCounts { cap, open: Mutex::new(HashMap::new()) })
    }

    /// The cap: connections per address served at once.
    pub(crate) fn cap(&self) -> usize {
        self.cap
    }

    /// Counts one more connection from `peer`, until the returned slot is dropped; `None` when the
    /// address already has `cap` open.
    pub(crate) fn try_acquire(self: &Arc<Self>, peer: IpAddr) -> Option<PeerSlot> {
        let key = bucket_key(peer);
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        let count = open.entry(key).or_insert(0);
        if *count >= self.cap {
            return None;
        }
        *count += 1;
        Some(PeerSlot { counts: self.clone(), key })
    }

    #[cfg(test)]
    fn open(&self, peer: IpAddr) -> usize {
        self.open.lock().unwrap_or_else(|e| e.into_inner()).get(&bucket_key(peer)).copied().unwrap_or(0)
    }
}

/// One connection counted against its address; dropping it (when the connection closes) frees it.
pub(crate) struct PeerSlot {
    counts: Arc<PeerCounts>,
    key: IpAddr,
}

impl Drop for PeerSlot {
    fn drop(&mut self) {
        let mut open = self.counts.open.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(count) = open.get_mut(&self.key) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                open.remove(&self.key);
            }
        }
    }
}

/// At most one log line about refused connections per this long: a client hammering the cap must
/// not flood the log.
pub(crate) const REFUSAL_LOG_INTERVAL: Duration = Duration::from_secs(10);

/// Which refusals get a log line: the first, then one per [`REFUSAL_LOG_INTERVAL`] carrying the
/// count of those not logged in between.
#[derive(Default)]
pub(crate) struct RefusalLog {
    last_line: Option<Instant>,
    unlogged: u64,
}

impl RefusalLog {
    /// Notes a refused connection from `peer`; returns the line to log, if one is due.
    pub(crate) fn refused(&mut self, peer: IpAddr, cap: usize, now: Instant) -> Option<String> {
        if self.last_line.is_some_and(|last| now.saturating_duration_since(last) < REFUSAL_LOG_INTERVAL) {
            self.unlogged += 1;
            return None;
        }
        let mut line = format!("refused a connection from {peer}: it has {cap} open (--max-connections-per-ip)");
        if self.unlogged > 0 {
            line.push_str(&format!("; {} more refused since the last such line", self.unlogged));
        }
        self.last_line = Some(now);
        self.unlogged = 0;
        Some(line)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn each_address_gets_the_cap_and_a_closed_connection_frees_its_slot() {
        let counts = PeerCounts::new(2);
        let a = ip("203.0.113.7");
        let first = counts.try_acquire(a).unwrap();
        let second = counts.try_acquire(a).unwrap();
        assert!(counts.try_acquire(a).is_none(), "the third from one address");
        // Another address has its own count.
        let other = counts.try_acquire(ip("203.0.113.8")).unwrap();
        assert_eq!((counts.open(a), counts.open(ip("203.0.113.8"))), (2, 1));

        drop(first);
        assert_eq!(counts.open(a), 1);
        let third = counts.try_acquire(a).unwrap();
        assert!(counts.try_acquire(a).is_none());
        drop((second, third, other));
        assert!(counts.open.lock().unwrap().is_empty(), "no entry outlives its connections");
    }

    #[test]
    fn ipv6_counts_by_slash_64_and_mapped_ipv4_as_ipv4() {
        let counts = PeerCounts::new(1);
        let _v6 = counts.try_acquire(ip("2001:db8::1")).unwrap();
        assert!(counts.try_acquire(ip("2001:db8::ffff:2")).is_none(), "same /64");
        assert!(counts.try_acquire(ip("2001:db8:0:1::1")).is_some(), "another /64");
        let _v4 = counts.try_acquire(ip("192.0.2.1")).unwrap();
        assert!(counts.try_acquire(ip("::ffff:192.0.2.1")).is_none(), "the same IPv4 address");
    }

    #[test]
    fn refusals_are_logged_once_per_interval_with_the_count_in_between() {
        let mut log = RefusalLog::default();
        let t = Instant::now();
        let first = log.refused(ip("192.0.2.1"), 64, t).unwrap();
        assert!(first.contains("192.0.2.1") && first.contains("64 open") && first.contains("--max-connections-per-ip"));
        assert!(!first.contains("more refused"), "{first}");
        for i in 1..=3 {
            assert!(log.refused(ip("192.0.2.1"), 64, t + Duration::from_secs(i)).is_none());
        }
        let next = log.refused(ip("192.0.2.9"), 64, t + REFUSAL_LOG_INTERVAL).unwrap();
        assert!(next.contains("192.0.2.9") && next.ends_with("; 3 more refused since the last such line"), "{next}");
        assert!(log.refused(ip("192.0.2.9"), 64, t + REFUSAL_LOG_INTERVAL).is_none());
    }
}
