//! The street office's console in tests: a supervisor (or any token) talking HTTP to the server
//! the way a web console would — ledger, counts, notices, warning trails, QR codes.

use gridpatrol_proto::sync::{
    EnrollRequest, EnrollResponse, LedgerCounts, LedgerResponse, ENROLL_PATH, LEDGER_PATH,
};
use gridpatrol_proto::warnings::WarningTrail;
use reqwest::StatusCode;
use server_stub::{Account, Handle};

/// An HTTP client with one bearer token.
pub struct Console {
    client: reqwest::Client,
    base: String,
    pub token: String,
}

impl Console {
    /// Enrolls a fresh device for `account` and keeps its token.
    pub async fn enroll(server: &Handle, account: Account) -> Console {
        let code = server.enrollment_code(account).await.expect("code");
        let client = reqwest::Client::new();
        let request = EnrollRequest {
            code,
            device_id: uuid::Uuid::new_v4().to_string(),
            device_name: None,
        };
        let reply: EnrollResponse = client
            .post(server.url(ENROLL_PATH))
            .json(&request)
            .send()
            .await
            .expect("enroll request")
            .error_for_status()
            .expect("enrolled")
            .json()
            .await
            .expect("enroll reply");
        Console {
            client,
            base: server.base_url().to_owned(),
            token: reply.token,
        }
    }

    /// A console with a token obtained elsewhere (a resident's).
    pub fn with_token(server: &Handle, token: String) -> Console {
        Console {
            client: reqwest::Client::new(),
            base: server.base_url().to_owned(),
            token,
        }
    }

    /// GET `path`; the status and the body as text.
    pub async fn get(&self, path: &str) -> (StatusCode, String) {
        let (status, body) = self.bytes(path).await;
        (status, String::from_utf8_lossy(&body).into_owned())
    }

    async fn json<T: serde::de::DeserializeOwned>(&self, path: &str) -> T {
        let (status, body) = self.get(path).await;
        assert_eq!(status, StatusCode::OK, "GET {path}: {body}");
        serde_json::from_str(&body).unwrap_or_else(|e| panic!("GET {path}: {e}: {body}"))
    }

    pub async fn ledger(&self, query: &str) -> LedgerResponse {
        self.json(&format!("{LEDGER_PATH}{query}")).await
    }

    pub async fn counts(&self, group_by: &str) -> LedgerCounts {
        self.json(&format!("/v1/ledger/counts?group_by={group_by}"))
            .await
    }

    pub async fn warning_trail(&self, warning_id: &str) -> WarningTrail {
        self.json(&format!("/v1/warnings/{warning_id}")).await
    }

    /// GET returning bytes (PDF, PNG, CSV).
    pub async fn bytes(&self, path: &str) -> (StatusCode, Vec<u8>) {
        let response = self
            .client
            .get(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .send()
            .await
            .expect("GET");
        let status = response.status();
        (
            status,
            response
                .bytes()
                .await
                .map(|b| b.to_vec())
                .unwrap_or_default(),
        )
    }
}
