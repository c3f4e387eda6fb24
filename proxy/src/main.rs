//! `pave-proxy`: see the crate documentation and proxy/README.md.

#![deny(missing_docs)]

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use pave_proxy::{shutdown_signal, Cli, LogSink, Server};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let api_key = std::env::var("PAVE_API_KEY").ok();
    let config = match cli.into_config(api_key) {
        Ok(config) => config,
        Err(e) => {
            eprintln!("pave-proxy: {e}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("pave-proxy: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let quiet = matches!(config.log, LogSink::Quiet);
    runtime.block_on(async {
        let server = match Server::start(config).await {
            Ok(server) => server,
            Err(e) => {
                eprintln!("pave-proxy: {e}");
                return ExitCode::from(2);
            }
        };
        // Tests and `npm start` wait for exactly this line on stdout.
        let mut stdout = std::io::stdout().lock();
        let _ = writeln!(stdout, "pave-proxy listening on http://{}", server.local_addr());
        let _ = stdout.flush();
        drop(stdout);

        shutdown_signal().await;
        if !quiet {
            eprintln!("pave-proxy: shutting down, finishing requests in flight");
        }
        match server.shutdown().await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("pave-proxy: {e}");
                ExitCode::FAILURE
            }
        }
    })
}
