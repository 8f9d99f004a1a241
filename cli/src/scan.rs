//! Scan-to-inspect from the command line: scan an image for venue codes, import the key set
//! codes are verified with, and (for tests and demos, until the server prints codes) make a
//! signing key and a signed venue code. The QR encoder lives here, not in the core: phones only
//! read codes.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use clap::Subcommand;
use ed25519_dalek::SigningKey;
use gridpatrol_core::api::scan_records::{ScanResult, ScanVerification};
use gridpatrol_core::{GridPatrol, GridPatrolError};
use gridpatrol_proto::sync::SigningKeyInfo;
use gridpatrol_proto::venue_token;
use serde::{Deserialize, Serialize};

use crate::output::{table, Output};

/// Exit code of `scan` when the image holds no QR code at all.
const EXIT_NO_CODE: u8 = 2;
/// Exit code of `scan` when codes were found but none is a verified venue code.
const EXIT_NONE_VERIFIED: u8 = 3;

#[derive(Subcommand)]
pub enum KeysCommand {
    /// Import a published key set: a JSON list of {key_id, public_key, revoked}.
    Import { file: PathBuf },
    /// Make a signing key (for tests and demos): writes the private key file and prints the
    /// public key set to import on devices.
    Generate {
        /// Where to write the private key ({key_id, secret_key}); never overwritten.
        #[arg(long)]
        out: PathBuf,
        #[arg(long, default_value_t = 1)]
        key_id: u32,
    },
}

#[derive(Subcommand)]
pub enum QrCommand {
    /// Sign a venue code and render it as a PNG.
    Make {
        venue_id: String,
        /// The private key file ({key_id, secret_key}), e.g. from `keys generate`.
        #[arg(long)]
        key: PathBuf,
        /// The PNG to write.
        #[arg(long)]
        out: PathBuf,
        /// The server the code's URL points at (residents scanning it land there).
        #[arg(long, default_value = "https://gp.example.cn")]
        base_url: String,
        /// Issue time, Unix seconds (default: now). Reprints after a revocation need a later one.
        #[arg(long)]
        issued_at: Option<u32>,
        /// Pixels per module.
        #[arg(long, default_value_t = 4)]
        module_px: u32,
    },
}

/// A private signing key file. Test and demo keys only: real keys stay on the server.
#[derive(Serialize, Deserialize)]
struct KeyFile {
    key_id: u32,
    /// The Ed25519 secret key, base64url (32 bytes).
    secret_key: String,
}

/// `gridpatrol scan IMAGE`: every code in the image and its verification.
pub fn scan(gp: &GridPatrol, out: &Output, image: &Path) -> Result<ExitCode, GridPatrolError> {
    let results = gp.scan_image(image.display().to_string())?;
    out.print(&results, |rs| {
        if rs.is_empty() {
            return "no QR code found".into();
        }
        table(
            &["outcome", "venue", "details", "payload"],
            rs.iter().map(row).collect(),
        )
    });
    Ok(if results.is_empty() {
        ExitCode::from(EXIT_NO_CODE)
    } else if results
        .iter()
        .any(|r| matches!(r.verification, ScanVerification::Verified { .. }))
    {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_NONE_VERIFIED)
    })
}

fn row(r: &ScanResult) -> Vec<String> {
    let outcome = serde_json::to_value(r.verification.outcome())
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    let (venue, details) = match &r.verification {
        ScanVerification::Verified {
            venue_id,
            venue_name,
            key_id,
            issued_at,
        } => (
            format!("{venue_id} {venue_name}"),
            format!("key {key_id}, issued {}", issued(*issued_at)),
        ),
        ScanVerification::VenueNotInList {
            venue_id,
            key_id,
            issued_at,
        } => (
            venue_id.clone(),
            format!("key {key_id}, issued {}", issued(*issued_at)),
        ),
        ScanVerification::NotGridpatrol => (String::new(), String::new()),
        ScanVerification::Malformed { reason } => (String::new(), reason.clone()),
        ScanVerification::UnknownKey { key_id } | ScanVerification::Forged { key_id } => {
            (String::new(), format!("key {key_id}"))
        }
        ScanVerification::Revoked {
            venue_id,
            key_id,
            key_revoked,
            ..
        } => (
            venue_id.clone(),
            if *key_revoked {
                format!("key {key_id} revoked")
            } else {
                "venue's older codes revoked".into()
            },
        ),
    };
    vec![outcome, venue, details, r.text.clone()]
}

fn issued(unix: u32) -> String {
    chrono::DateTime::from_timestamp(i64::from(unix), 0)
        .map(|t| t.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// `gridpatrol keys ...`
pub fn keys(gp: &GridPatrol, out: &Output, command: KeysCommand) -> Result<(), GridPatrolError> {
    match command {
        KeysCommand::Import { file } => {
            let n = gp.import_signing_keys_file(file.display().to_string())?;
            out.print(&serde_json::json!({"imported": n}), |_| {
                format!("imported {n} signing keys")
            });
        }
        KeysCommand::Generate { out: path, key_id } => {
            let secret: [u8; 32] = rand::random();
            let key = SigningKey::from_bytes(&secret);
            let file = KeyFile {
                key_id,
                secret_key: URL_SAFE_NO_PAD.encode(secret),
            };
            write_new(&path, &serde_json::to_string_pretty(&file).expect("JSON"))?;
            let public = vec![SigningKeyInfo {
                key_id,
                public_key: venue_token::encode_public_key(&key.verifying_key()),
                revoked: false,
            }];
            // the key set goes to stdout either way: it is what `keys import` reads
            println!(
                "{}",
                serde_json::to_string_pretty(&public).expect("records serialise")
            );
            if !out.json {
                eprintln!("private key {key_id} written to {}", path.display());
            }
        }
    }
    Ok(())
}

/// `gridpatrol qr make ...`
pub fn qr(out: &Output, command: QrCommand) -> Result<(), GridPatrolError> {
    let QrCommand::Make {
        venue_id,
        key,
        out: path,
        base_url,
        issued_at,
        module_px,
    } = command;
    let invalid = |reason: String| GridPatrolError::InvalidInput { reason };
    let text = std::fs::read_to_string(&key)
        .map_err(|e| invalid(format!("cannot read key file {}: {e}", key.display())))?;
    let file: KeyFile = serde_json::from_str(&text).map_err(|e| {
        invalid(format!(
            "{} is not a key file {{key_id, secret_key}}: {e}",
            key.display()
        ))
    })?;
    let secret: [u8; 32] = URL_SAFE_NO_PAD
        .decode(file.secret_key.trim())
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| invalid("secret_key is not 32 base64url bytes".into()))?;
    let issued_at = issued_at.unwrap_or_else(|| chrono::Utc::now().timestamp() as u32);
    let token = venue_token::sign(
        &SigningKey::from_bytes(&secret),
        file.key_id,
        &venue_id,
        issued_at,
    )
    .map_err(|e| invalid(e.to_string()))?;
    let url = venue_token::url(&base_url, &token);
    // level M, as the server prints them: survives a scuffed or partly covered sticker
    let code = qrcode::QrCode::with_error_correction_level(&url, qrcode::EcLevel::M)
        .map_err(|e| invalid(format!("the URL does not fit in a QR code: {e}")))?;
    let module_px = module_px.clamp(1, 64);
    let image = code
        .render::<image::Luma<u8>>()
        .module_dimensions(module_px, module_px)
        .build();
    image
        .save(&path)
        .map_err(|e| invalid(format!("cannot write {}: {e}", path.display())))?;
    out.print(
        &serde_json::json!({"url": url, "token": token, "venue_id": venue_id,
                            "key_id": file.key_id, "issued_at": issued_at,
                            "file": path.display().to_string()}),
        |_| format!("{url}\nwritten to {}", path.display()),
    );
    Ok(())
}

/// Writes a new private file (mode 0600 on Unix); an existing file is never replaced.
fn write_new(path: &Path, text: &str) -> Result<(), GridPatrolError> {
    use std::io::Write;
    let write = || -> std::io::Result<()> {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(path)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()
    };
    write().map_err(|e| GridPatrolError::InvalidInput {
        reason: format!("cannot create {}: {e}", path.display()),
    })
}
