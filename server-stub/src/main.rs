//! `server-stub`: runs the reference sync server. The first line on stdout is
//! `listening on http://ADDR`; with `--seed-demo` the demo enrollment codes follow, one per
//! line (`enroll <role> <user_id> <name> <grids or street> <code>`), then the URL one demo
//! venue's QR code carries (`venue <venue_id> <url>`: open it in a browser to report a hazard).
//! Stops on SIGTERM or Ctrl-C.

use std::io::{IsTerminal, Write};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use server_stub::{spawn, Config, Storage};

/// The demo venue whose code URL is printed at start (a small eatery in grid 劲松三区-03).
const DEMO_VENUE: &str = "CY-JS-001";

#[derive(Parser)]
#[command(version, about = "The GridPatrol reference sync server")]
struct Args {
    /// Data directory (SQLite database and blobs).
    #[arg(
        long,
        default_value = "./gridpatrol-server-data",
        conflicts_with = "memory"
    )]
    data: PathBuf,
    /// Keep everything in memory (tests); nothing survives a restart.
    #[arg(long)]
    memory: bool,
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:8700")]
    listen: SocketAddr,
    /// Base URL printed into venue QR codes (default: http://<listen address>).
    #[arg(long)]
    public_url: Option<String>,
    /// Seed the demo district (朝阳区 劲松街道) and print fresh enrollment codes.
    #[arg(long)]
    seed_demo: bool,
    /// Mount /v1/test/* (fault injection, counters, clock). Never on a reachable server.
    #[arg(long)]
    test_controls: bool,
    /// A CJK font file for the printable QR sheet (default: a Debian font path).
    #[arg(long)]
    font: Option<PathBuf>,
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let args = Args::parse();
    let config = Config {
        listen: args.listen,
        storage: if args.memory {
            Storage::Memory
        } else {
            Storage::Dir(args.data)
        },
        public_url: args.public_url,
        test_controls: args.test_controls,
        seed_demo: args.seed_demo,
        font: args.font,
        ..Config::default()
    };
    let server = match spawn(config).await {
        Ok(server) => server,
        Err(e) => {
            eprintln!("server-stub: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "listening on {}", server.base_url());
    for code in server.demo_codes() {
        let role = serde_json::to_value(code.role).unwrap_or_default();
        let _ = writeln!(
            out,
            "enroll {} {} {} {} {}",
            role.as_str().unwrap_or("?"),
            code.user_id,
            code.display_name,
            code.covers,
            code.code
        );
    }
    if args.seed_demo {
        match server_stub::routes::venues::signed_url(server.state(), DEMO_VENUE).await {
            Ok(url) => {
                let _ = writeln!(out, "venue {DEMO_VENUE} {url}");
            }
            Err(e) => eprintln!(
                "server-stub: cannot sign the demo venue's code: {}",
                e.message
            ),
        }
    }
    let _ = out.flush();
    drop(out);
    wait_for_signal().await;
    tracing::info!("shutting down");
    server.shutdown().await;
    ExitCode::SUCCESS
}

async fn wait_for_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(term) => term,
                Err(_) => {
                    let _ = ctrl_c.await;
                    return;
                }
            };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}
