//! The street office's side of the demo: a supervisor device that prints venue codes and reads
//! the ledger over the server's HTTP API, as a web console would.

use std::path::Path;

use gridpatrol_proto::sync::{
    EnrollRequest, EnrollResponse, LedgerResponse, ENROLL_PATH, LEDGER_PATH,
};
use server_stub::Handle;

use super::Result;

pub struct Office {
    client: reqwest::Client,
    base: String,
    token: String,
}

impl Office {
    /// Enrolls a supervisor device of the demo street with a fresh code.
    pub async fn enroll(server: &Handle) -> Result<Office> {
        let code = server
            .enrollment_code(server_stub::seed::demo_supervisor())
            .await?;
        let client = reqwest::Client::new();
        let request = EnrollRequest {
            code,
            device_id: uuid::Uuid::new_v4().to_string(),
            device_name: Some("street office".into()),
        };
        let reply: EnrollResponse = client
            .post(server.url(ENROLL_PATH))
            .json(&request)
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        Ok(Office {
            client,
            base: server.base_url().to_owned(),
            token: reply.token,
        })
    }

    async fn get(&self, path: &str) -> Result<reqwest::Response> {
        Ok(self
            .client
            .get(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .send()
            .await?
            .error_for_status()?)
    }

    /// Saves a venue's signed QR code as PNG.
    pub async fn venue_qr(&self, venue_id: &str, to: &Path) -> Result<()> {
        std::fs::write(
            to,
            self.get(&format!("/v1/venues/{venue_id}/qr.png"))
                .await?
                .bytes()
                .await?,
        )?;
        Ok(())
    }

    /// Saves a grid's printable sheet of codes (needs a CJK font on the machine).
    pub async fn grid_sheet(&self, grid: &str, to: &Path) -> Result<()> {
        let mut url = reqwest::Url::parse(&self.base)?;
        url.path_segments_mut()
            .map_err(|_| "the server URL cannot take a path")?
            .extend(["v1", "grids", grid, "qr-sheet.png"]);
        let sheet = self
            .client
            .get(url)
            .bearer_auth(&self.token)
            .send()
            .await?
            .error_for_status();
        match sheet {
            Ok(response) => std::fs::write(to, response.bytes().await?)?,
            Err(err) => println!("  (no printable sheet: {err})"),
        }
        Ok(())
    }

    /// Saves what `path` answers (a PDF notice, the CSV ledger) to `to`.
    pub async fn save(&self, path: &str, to: &Path) -> Result<()> {
        std::fs::write(to, self.get(path).await?.bytes().await?)?;
        Ok(())
    }

    /// A warning's receipt trail.
    pub async fn warning_trail(
        &self,
        warning_id: &str,
    ) -> Result<gridpatrol_proto::warnings::WarningTrail> {
        Ok(self
            .get(&format!("/v1/warnings/{warning_id}"))
            .await?
            .json()
            .await?)
    }

    /// The hazards of the street.
    pub async fn ledger(&self) -> Result<LedgerResponse> {
        Ok(self.get(LEDGER_PATH).await?.json().await?)
    }
}
