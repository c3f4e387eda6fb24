//! `--write-timeout-s`: a connection whose client stops taking the response is closed.
//!
//! The clock runs only while a write is waiting for room in the socket, and restarts each time the
//! socket takes more bytes, like nginx's `send_timeout`: a slow client that keeps reading is never cut
//! off because the whole response takes long, only one that takes nothing for the whole timeout.

use std::fmt;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::{Instant, Sleep};

/// The error a write ends with when the client took nothing for the whole timeout; it is the
/// `io::Error`'s inner error, so that the connection's end can be told from other I/O errors.
#[derive(Debug)]
pub(crate) struct WriteTimedOut;

impl fmt::Display for WriteTimedOut {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the client took no bytes of the response within the write timeout")
    }
}

impl std::error::Error for WriteTimedOut {}

/// True when `error`, or an error it was caused by, is a [`WriteTimedOut`].
pub(crate) fn is_write_timeout(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut next = Some(error);
    while let Some(error) = next {
        let timed_out = error
            .downcast_ref::<io::Error>()
            .and_then(io::Error::get_ref)
            .is_some_and(|inner| inner.is::<WriteTimedOut>());
        if timed_out {
            return true;
        }
        next = error.source();
    }
    false
}

/// A stream whose writes fail with [`WriteTimedOut`] once one has waited `timeout` for room without
/// the socket taking a byte. Reads pass straight through.
pub(crate) struct WriteTimeout<S> {
    inner: S,
    timeout: Duration,
    /// Made on the first write that has to wait (most connections never do), then reused.
    clock: Option<Pin<Box<Sleep>>>,
    /// Whether `clock` runs for the write now waiting, i.e. no write has completed since it was set.
    running: bool,
}

impl<S> WriteTimeout<S> {
    pub(crate) fn new(inner: S, timeout: Duration) -> WriteTimeout<S> {
        WriteTimeout { inner, timeout, clock: None, running: false }
    }

    /// The stream inside.
    pub(crate) fn get_ref(&self) -> &S {
        &self.inner
    }

    /// How long a write may wait for room.
    pub(crate) fn timeout(&self) -> Duration {
        self.timeout
    }

    /// After the inner write answered `Pending`: starts the clock if it is not running, and fails
    /// once it has run out. The clock's waker is registered, so the connection is polled again then.
    fn wait_for_room<T>(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<T>> {
        let deadline = Instant::now() + self.timeout;
        let clock = self.clock.get_or_insert_with(|| Box::pin(tokio::time::sleep_until(deadline)));
        if !self.running {
            clock.as_mut().reset(deadline);
            self.running = true;
        }
        match clock.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(io::Error::new(io::ErrorKind::TimedOut, WriteTimedOut))),
            Poll::Pending => Poll::Pending,
        }
    }

    /// The inner write's answer, through the clock: progress (or an error) stops it.
    fn through_clock(&mut self, cx: &mut Context<'_>, polled: Poll<io::Result<usize>>) -> Poll<io::Result<usize>> {
        match polled {
            Poll::Pending => self.wait_for_room(cx),
            ready => {
                self.running = false;
                ready
            }
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for WriteTimeout<S> {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for WriteTimeout<S> {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.inner).poll_write(cx, buf);
        this.through_clock(cx, polled)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.inner).poll_write_vectored(cx, bufs);
        this.through_clock(cx, polled)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    const TIMEOUT: Duration = Duration::from_secs(10);

    /// A pipe with a 16-byte buffer: the writer waits once it holds 16 unread bytes.
    fn pipe() -> (WriteTimeout<tokio::io::DuplexStream>, tokio::io::DuplexStream) {
        let (ours, theirs) = tokio::io::duplex(16);
        (WriteTimeout::new(ours, TIMEOUT), theirs)
    }

    #[tokio::test(start_paused = true)]
    async fn a_reader_that_takes_nothing_fails_the_write_after_the_timeout() {
        let (mut writer, _reader) = pipe();
        let started = Instant::now();
        let err = writer.write_all(&[0; 64]).await.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::TimedOut);
        assert!(is_write_timeout(&err));
        // The paused clock jumps straight to the deadline: exactly the timeout, counted from the wait.
        assert_eq!(started.elapsed(), TIMEOUT);
    }

    #[tokio::test(start_paused = true)]
    async fn a_reader_that_keeps_taking_bytes_is_never_cut_off() {
        let (mut writer, mut reader) = pipe();
        let started = Instant::now();
        let reading = tokio::spawn(async move {
            let mut buf = [0u8; 8];
            let mut total = 0;
            // 8 bytes every 60% of the timeout: the whole write takes far longer than the timeout.
            while total < 256 {
                tokio::time::sleep(TIMEOUT * 6 / 10).await;
                total += reader.read(&mut buf).await.unwrap();
            }
            total
        });
        writer.write_all(&[0; 256]).await.unwrap();
        assert_eq!(reading.await.unwrap(), 256);
        assert!(started.elapsed() > TIMEOUT * 10, "{:?}", started.elapsed());
    }

    #[tokio::test(start_paused = true)]
    async fn the_clock_restarts_for_each_wait() {
        let (mut writer, mut reader) = pipe();
        writer.write_all(&[0; 16]).await.unwrap();
        // Nearly a whole timeout spent waiting, then room: the next wait gets a whole timeout again.
        let drain = tokio::spawn(async move {
            tokio::time::sleep(TIMEOUT - Duration::from_secs(1)).await;
            let mut buf = [0u8; 16];
            reader.read_exact(&mut buf).await.unwrap();
            reader
        });
        writer.write_all(&[0; 16]).await.unwrap();
        let _reader = drain.await.unwrap();
        let waited = Instant::now();
        let err = writer.write_all(&[0; 1]).await.unwrap_err();
        assert!(is_write_timeout(&err));
        assert_eq!(waited.elapsed(), TIMEOUT);
    }

    #[test]
    fn other_errors_are_not_write_timeouts() {
        assert!(!is_write_timeout(&io::Error::new(io::ErrorKind::TimedOut, "connect timed out")));
        assert!(!is_write_timeout(&io::Error::from(io::ErrorKind::BrokenPipe)));
    }
}
