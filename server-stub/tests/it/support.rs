//! The client side of the tests: a server with the demo district and test controls, enrolled
//! devices that build hash-chained events with the proto types, and small HTTP helpers.

use gridpatrol_proto::events::{
    DomainEvent, EvidenceAttached, EvidenceTarget, HazardAction, HazardFound, HazardGrade,
    HazardStatus, HazardTransitioned, InspectionAnswered, InspectionFinished, InspectionStarted,
    Verdict,
};
use gridpatrol_proto::sync::{
    ChangeBody, ChangesResponse, EnrollResponse, HazardState, LedgerResponse, PushRequest,
    PushResponse, PushResult, Role,
};
use gridpatrol_proto::{EventEnvelope, GENESIS_HASH};
use reqwest::{Client, Response, StatusCode};
use serde_json::{json, Value};
use server_stub::{spawn, Account, Config, Handle};
use sha2::{Digest, Sha256};

/// Worker A's grid and a venue in it; worker B's; a venue in neither.
pub const GRID_A: &str = "劲松三区-03";
pub const VENUE_A: &str = "CY-JS-001";
pub const GRID_B: &str = "劲松二区-01";
pub const VENUE_B: &str = "CY-JS-004";
pub const VENUE_ELSEWHERE: &str = "CY-JS-003";

/// A demo server in memory with test controls.
pub async fn server() -> Handle {
    spawn(Config::memory().with_demo().with_test_controls())
        .await
        .expect("server starts")
}

pub fn worker(user_id: &str, grid: &str) -> Account {
    Account {
        user_id: user_id.into(),
        display_name: format!("测试{user_id}"),
        role: Role::Worker,
        grids: vec![grid.into()],
        street: Some("劲松街道".into()),
    }
}

pub fn supervisor(user_id: &str) -> Account {
    Account {
        user_id: user_id.into(),
        display_name: "督查员".into(),
        role: Role::Supervisor,
        grids: Vec::new(),
        street: Some("劲松街道".into()),
    }
}

/// An enrolled device keeping its own chain head, like a phone's journal.
pub struct Device {
    pub id: String,
    pub token: String,
    pub base: String,
    pub http: Client,
    seq: u64,
    head: String,
}

impl Device {
    /// Enrolls a fresh device for `account` (a new code each time).
    pub async fn enroll(server: &Handle, account: Account) -> Device {
        let code = server.enrollment_code(account).await.unwrap();
        let id = format!("dev-{}", uuid::Uuid::new_v4());
        let http = Client::new();
        let response = http
            .post(server.url("/v1/enroll"))
            .json(&json!({"code": code, "device_id": id, "device_name": "测试手机"}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let enrolled: EnrollResponse = response.json().await.unwrap();
        Device {
            id,
            token: enrolled.token,
            base: server.base_url().to_owned(),
            http,
            seq: 0,
            head: GENESIS_HASH.to_owned(),
        }
    }

    /// The next event of this device's chain.
    pub fn event(&mut self, event: DomainEvent) -> EventEnvelope {
        let (kind, payload) = event.into_parts().unwrap();
        self.seq += 1;
        let envelope = EventEnvelope {
            event_id: uuid::Uuid::now_v7().to_string(),
            device_id: self.id.clone(),
            device_seq: self.seq,
            kind,
            payload,
            device_time: "2026-11-28T02:00:00.000Z".into(),
            utc_offset_min: 480,
            uptime_ms: self.seq * 1000,
            prev_hash: self.head.clone(),
            hash: String::new(),
        }
        .seal()
        .unwrap();
        self.head = envelope.hash.clone();
        envelope
    }

    /// Pushes `events` as this device; returns the status and the JSON body.
    pub async fn push(&self, events: &[EventEnvelope]) -> (StatusCode, Value) {
        self.push_as(&self.id, events).await
    }

    /// Pushes with a chosen request `device_id`.
    pub async fn push_as(&self, device_id: &str, events: &[EventEnvelope]) -> (StatusCode, Value) {
        let body = PushRequest {
            device_id: device_id.into(),
            events: events.to_vec(),
        };
        let response = self
            .http
            .post(format!("{}/v1/events", self.base))
            .bearer_auth(&self.token)
            .json(&body)
            .send()
            .await
            .unwrap();
        json_of(response).await
    }

    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        let response = self
            .http
            .get(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .send()
            .await
            .unwrap();
        json_of(response).await
    }

    pub async fn get_bytes(&self, path: &str) -> (StatusCode, Vec<u8>) {
        let response = self
            .http
            .get(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .send()
            .await
            .unwrap();
        let status = response.status();
        (status, response.bytes().await.unwrap().to_vec())
    }

    /// An inspection of `venue` with one failed item (R01, suspected major) and its finish:
    /// started, answered, finished (three events).
    pub fn failed_inspection(&mut self, venue: &str) -> (Vec<EventEnvelope>, String, String) {
        let inspection_id = uuid::Uuid::now_v7().to_string();
        let hazard_id = uuid::Uuid::now_v7().to_string();
        let events = vec![
            self.event(DomainEvent::InspectionStarted(InspectionStarted {
                inspection_id: inspection_id.clone(),
                venue_id: venue.into(),
                template_id: "default".into(),
                template_version: 1,
                items: vec!["E01".into(), "R01".into()],
            })),
            self.event(DomainEvent::InspectionAnswered(InspectionAnswered {
                inspection_id: inspection_id.clone(),
                item_id: "R01".into(),
                verdict: Verdict::Fail,
                note: Some("后门锁闭".into()),
                suspected_major: true,
            })),
            self.event(DomainEvent::InspectionFinished(InspectionFinished {
                inspection_id: inspection_id.clone(),
                hazards: vec![HazardFound {
                    hazard_id: hazard_id.clone(),
                    item_id: "R01".into(),
                    area: "escape_routes".into(),
                    grade: HazardGrade::SuspectedMajor,
                    note: Some("后门锁闭".into()),
                }],
            })),
        ];
        (events, inspection_id, hazard_id)
    }

    /// `evidence.attached` of `sha256` to the hazard.
    pub fn attach(&mut self, sha256: &str, hazard_id: &str) -> EventEnvelope {
        self.event(DomainEvent::EvidenceAttached(EvidenceAttached {
            sha256: sha256.into(),
            target: EvidenceTarget::Hazard {
                hazard_id: hazard_id.into(),
            },
        }))
    }
}

pub async fn json_of(response: Response) -> (StatusCode, Value) {
    let status = response.status();
    let text = response.text().await.unwrap();
    let value = serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text}"));
    (status, value)
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// `count` bytes that are not all alike (a stand-in for a JPEG).
pub fn photo_bytes(count: usize) -> Vec<u8> {
    (0..count).map(|i| (i * 7 + i / 251) as u8).collect()
}

/// Asserts the error shape and returns the code.
pub fn error_code(body: &Value) -> &str {
    assert!(body["message"].is_string(), "no message in {body}");
    body["code"]
        .as_str()
        .unwrap_or_else(|| panic!("no code in {body}"))
}

impl Device {
    /// An inspection of `venue` failing `item` (in `area`) as a hazard of `grade`: started,
    /// answered, finished. Returns the events and the hazard id.
    pub fn hazard_at(
        &mut self,
        venue: &str,
        item: &str,
        area: &str,
        grade: HazardGrade,
    ) -> (Vec<EventEnvelope>, String) {
        let inspection_id = uuid::Uuid::now_v7().to_string();
        let hazard_id = uuid::Uuid::now_v7().to_string();
        let events = vec![
            self.event(DomainEvent::InspectionStarted(InspectionStarted {
                inspection_id: inspection_id.clone(),
                venue_id: venue.into(),
                template_id: "default".into(),
                template_version: 1,
                items: vec![item.into()],
            })),
            self.event(DomainEvent::InspectionAnswered(InspectionAnswered {
                inspection_id: inspection_id.clone(),
                item_id: item.into(),
                verdict: Verdict::Fail,
                note: Some("现场发现".into()),
                suspected_major: grade == HazardGrade::SuspectedMajor,
            })),
            self.event(DomainEvent::InspectionFinished(InspectionFinished {
                inspection_id,
                hazards: vec![HazardFound {
                    hazard_id: hazard_id.clone(),
                    item_id: item.into(),
                    area: area.into(),
                    grade,
                    note: Some("现场发现".into()),
                }],
            })),
        ];
        (events, hazard_id)
    }

    /// A `hazard.transitioned` event.
    pub fn transition(
        &mut self,
        hazard_id: &str,
        action: HazardAction,
        expected: HazardStatus,
    ) -> EventEnvelope {
        self.event(DomainEvent::HazardTransitioned(HazardTransitioned {
            hazard_id: hazard_id.into(),
            action,
            expected_status: expected,
            note: None,
        }))
    }

    /// Pushes events that must all be taken; returns their results.
    pub async fn push_ok(&self, events: &[EventEnvelope]) -> Vec<PushResult> {
        let (status, body) = self.push(events).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let response: PushResponse = serde_json::from_value(body).unwrap();
        response.results
    }

    /// Builds, pushes and returns the result of one transition.
    pub async fn act(
        &mut self,
        hazard_id: &str,
        action: HazardAction,
        expected: HazardStatus,
    ) -> PushResult {
        let event = self.transition(hazard_id, action, expected);
        self.push_ok(&[event]).await.remove(0)
    }

    /// The ledger with a query string (e.g. `?grid=…`).
    pub async fn ledger(&self, query: &str) -> Vec<HazardState> {
        let (status, body) = self.get(&format!("/v1/ledger{query}")).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        serde_json::from_value::<LedgerResponse>(body)
            .unwrap()
            .hazards
    }

    /// One hazard as the ledger shows it to this device.
    pub async fn hazard(&self, hazard_id: &str) -> HazardState {
        self.ledger("")
            .await
            .into_iter()
            .find(|h| h.hazard_id == hazard_id)
            .unwrap_or_else(|| panic!("hazard {hazard_id} not in the ledger"))
    }

    /// Every change visible to this device from the start.
    pub async fn changes(&self) -> Vec<ChangeBody> {
        let mut cursor = 0;
        let mut out = Vec::new();
        loop {
            let (status, body) = self
                .get(&format!("/v1/changes?since={cursor}&limit=1000"))
                .await;
            assert_eq!(status, StatusCode::OK, "{body}");
            let page: ChangesResponse = serde_json::from_value(body).unwrap();
            cursor = page.next_cursor;
            out.extend(page.changes.into_iter().map(|c| c.body));
            if !page.more {
                return out;
            }
        }
    }

    /// A resident device registered with `POST /v1/residents`.
    pub async fn resident(server: &Handle, phone: Option<&str>) -> Device {
        let id = format!("res-{}", uuid::Uuid::new_v4());
        let http = Client::new();
        let response = http
            .post(server.url("/v1/residents"))
            .json(&json!({"device_id": id, "phone": phone}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let enrolled: EnrollResponse = response.json().await.unwrap();
        assert_eq!(enrolled.role, Role::Resident);
        Device {
            id,
            token: enrolled.token,
            base: server.base_url().to_owned(),
            http,
            seq: 0,
            head: GENESIS_HASH.to_owned(),
        }
    }
}

/// A photo hash for transitions (the blob need not exist: the step is evidence-pending).
pub fn photo(n: u8) -> Vec<String> {
    vec![hex::encode([n; 32])]
}
