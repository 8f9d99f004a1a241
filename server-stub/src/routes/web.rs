//! The venue code's URL for people without the app (DOMAIN.md "Resident reports", R11):
//! `GET /q/{token}` is a small zh-CN page (no external assets; works in a phone browser and
//! WeChat) to report a hazard at that venue; `POST /q/{token}/reports` takes it at once
//! (multipart: category, description, optional JPEG photo, optional phone number) and answers
//! with the report number and a private status link, or a clear failure — the page never keeps
//! a report in browser storage to send later. `GET /r/{report_id}?k=` shows the report's steps
//! (server times, no names). A forged, altered or revoked code gets an error page.
//!
//! The rate limit counts per client address (`web:<ip>`), as the web form has no device.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Multipart, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use gridpatrol_proto::reference::Venue;
use gridpatrol_proto::reports::{MyReport, ReportCategory, ReportStatus};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{AppPath, AppQuery};
use crate::auth::sha256_hex;
use crate::error::AppError;
use crate::openapi::schema;
use crate::photo::strip_jpeg_metadata;
use crate::rules::{parse_time, Rules};
use crate::state::AppState;
use crate::store::{TokenCheck, WebReport};

const PAGE: &str = include_str!("../web/report.html");
const MESSAGE: &str = include_str!("../web/message.html");
const STYLE: &str = include_str!("../web/style.css");
/// The largest photo the form takes.
pub const MAX_PHOTO: usize = 10 * 1024 * 1024;
/// The whole multipart body.
pub const MAX_FORM: usize = MAX_PHOTO + 64 * 1024;
const CSP: &str = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; \
                   connect-src 'self'; form-action 'self'; img-src 'self'; base-uri 'none'";

const CATEGORIES: [(ReportCategory, &str, &str); 8] = [
    (ReportCategory::Fire, "fire", "火灾隐患"),
    (ReportCategory::Gas, "gas", "燃气"),
    (ReportCategory::Electrical, "electrical", "电气线路"),
    (ReportCategory::EscapeRoute, "escape_route", "疏散通道堵塞"),
    (ReportCategory::EBike, "e_bike", "电动自行车违规停放充电"),
    (ReportCategory::Building, "building", "房屋建筑安全"),
    (
        ReportCategory::FloodGeological,
        "flood_geological",
        "积水、山洪、地质灾害",
    ),
    (ReportCategory::Other, "other", "其他"),
];

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

fn html(status: StatusCode, body: String) -> Response {
    (
        status,
        [
            (CONTENT_TYPE, "text/html; charset=utf-8"),
            (CACHE_CONTROL, "no-store"),
            (CONTENT_SECURITY_POLICY, CSP),
        ],
        body,
    )
        .into_response()
}

/// A page with a title and a body of (already escaped) HTML.
fn message(status: StatusCode, title: &str, body_html: &str) -> Response {
    let page = MESSAGE
        .replace("{{style}}", STYLE)
        .replace("{{title}}", &escape(title))
        .replace("{{body}}", body_html);
    html(status, page)
}

fn invalid_code(reason: &str) -> Response {
    message(
        StatusCode::NOT_FOUND,
        "二维码无效",
        &format!(
            "<p>这个二维码无法用于举报：它可能是伪造的、被改动过，或者已经作废。</p>\
             <p>请联系所在社区的网格员，或拨打 12345 反映情况。</p>\
             <p><small>原因：{}</small></p>",
            escape(reason)
        ),
    )
}

async fn venue_of(state: &AppState, token: String) -> Result<Result<Venue, String>, AppError> {
    Ok(
        match state
            .db(move |store| store.check_venue_token(&token))
            .await?
        {
            TokenCheck::Valid(venue) => Ok(*venue),
            TokenCheck::Invalid(reason) => Err(reason),
        },
    )
}

/// The report page of a venue (HTML).
#[utoipa::path(
    get,
    path = "/q/{token}",
    tag = "residents",
    params(("token" = String, Path, description = "The venue code's token")),
    responses(
        (status = 200, description = "The report form", content_type = "text/html", body = String),
        (status = 404, description = "An error page: the code is forged, altered, revoked or unknown", content_type = "text/html", body = String),
    )
)]
pub async fn web_report_form(
    State(state): State<AppState>,
    AppPath(token): AppPath<String>,
) -> Result<Response, AppError> {
    let venue = match venue_of(&state, token.clone()).await? {
        Ok(venue) => venue,
        Err(reason) => return Ok(invalid_code(&reason)),
    };
    let options: String = CATEGORIES
        .iter()
        .map(|(_, value, label)| format!("<option value=\"{value}\">{label}</option>"))
        .collect::<Vec<_>>()
        .join("\n");
    let page = PAGE
        .replace("{{style}}", STYLE)
        .replace("{{category_options}}", &options)
        .replace("{{token}}", &escape(&token))
        .replace("{{venue_name}}", &escape(&venue.name))
        .replace("{{venue_address}}", &escape(&venue.address));
    Ok(html(StatusCode::OK, page))
}

/// What the page's script gets back.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct WebReportCreated {
    pub report_id: String,
    /// `/r/{report_id}?k=<key>`: the report's steps, for whoever holds the link.
    pub status_url: String,
    pub message: String,
}

/// The form's fields (multipart/form-data).
#[derive(ToSchema)]
#[allow(dead_code)] // documentation only
pub struct WebReportForm {
    /// One of `fire`, `gas`, `electrical`, `escape_route`, `e_bike`, `building`,
    /// `flood_geological`, `other`.
    category: String,
    description: String,
    phone: Option<String>,
    #[schema(value_type = Option<String>, format = Binary)]
    photo: Option<Vec<u8>>,
}

struct Fields {
    category: Option<ReportCategory>,
    description: String,
    phone: Option<String>,
    photo: Option<Vec<u8>>,
}

async fn read_form(mut form: Multipart) -> Result<Fields, (StatusCode, String)> {
    let bad = |m: &str| (StatusCode::BAD_REQUEST, m.to_owned());
    let mut fields = Fields {
        category: None,
        description: String::new(),
        phone: None,
        photo: None,
    };
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|_| bad("表单内容无法读取"))?
    {
        match field.name().unwrap_or_default() {
            "category" => {
                let value = field.text().await.map_err(|_| bad("隐患类别无法读取"))?;
                fields.category = CATEGORIES.iter().find(|c| c.1 == value).map(|c| c.0);
            }
            "description" => {
                fields.description = field.text().await.map_err(|_| bad("描述无法读取"))?;
            }
            "phone" => {
                let value = field.text().await.map_err(|_| bad("电话无法读取"))?;
                let value = value.trim().to_owned();
                fields.phone = (!value.is_empty()).then_some(value);
            }
            "photo" => {
                let bytes = field.bytes().await.map_err(|_| {
                    (
                        StatusCode::PAYLOAD_TOO_LARGE,
                        "照片太大（最大 10 MB）".to_owned(),
                    )
                })?;
                if !bytes.is_empty() {
                    fields.photo = Some(bytes.to_vec());
                }
            }
            _ => {}
        }
    }
    Ok(fields)
}

fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(axum::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"))
}

/// A failure as JSON (the page's script) or as a page (a browser without script).
fn failure(json: bool, status: StatusCode, code: &'static str, text: &str) -> Response {
    if json {
        AppError::new(status, code, text).into_response()
    } else {
        message(
            status,
            "提交失败",
            &format!(
                "<p class=\"error\">{}</p><p>举报没有保存。请返回上一页，稍后重试。</p>",
                escape(text)
            ),
        )
    }
}

/// Send a report from the venue page, at once (multipart form).
#[utoipa::path(
    post,
    path = "/q/{token}/reports",
    tag = "residents",
    params(("token" = String, Path, description = "The venue code's token")),
    request_body(content = WebReportForm, content_type = "multipart/form-data"),
    responses(
        (status = 200, description = "Taken: the report number and its status link (JSON with `Accept: application/json`, else a page)", content(
            (WebReportCreated = "application/json"), (String = "text/html"))),
        (status = 400, description = "`invalid_form`: a field is missing or wrong", content(
            (schema::ErrorBody = "application/json"), (String = "text/html"))),
        (status = 404, description = "`invalid_code`: the venue code is not valid", content(
            (schema::ErrorBody = "application/json"), (String = "text/html"))),
        (status = 413, description = "`payload_too_large`: the photo is over 10 MB", content(
            (schema::ErrorBody = "application/json"), (String = "text/html"))),
        (status = 429, description = "`rate_limited`: too many reports from this address in an hour", content(
            (schema::ErrorBody = "application/json"), (String = "text/html"))),
        (status = "default", description = "Any other error", body = schema::ErrorBody),
    )
)]
pub async fn web_report_create(
    State(state): State<AppState>,
    AppPath(token): AppPath<String>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    form: Multipart,
) -> Result<Response, AppError> {
    let json = wants_json(&headers);
    let venue = match venue_of(&state, token).await? {
        Ok(venue) => venue,
        Err(reason) => {
            let text = format!("二维码无效（{reason}）");
            return Ok(failure(json, StatusCode::NOT_FOUND, "invalid_code", &text));
        }
    };
    let fields = match read_form(form).await {
        Ok(fields) => fields,
        Err((status, text)) => return Ok(failure(json, status, "invalid_form", &text)),
    };
    let invalid = |text: &str| Ok(failure(json, StatusCode::BAD_REQUEST, "invalid_form", text));
    let Some(category) = fields.category else {
        return invalid("请选择隐患类别");
    };
    let description = fields.description.trim().to_owned();
    if description.is_empty() || description.chars().count() > 2000 {
        return invalid("请填写情况描述（最多 2000 字）");
    }
    if let Some(phone) = &fields.phone {
        if phone.len() > 20
            || !phone
                .chars()
                .all(|c| c.is_ascii_digit() || "+- ".contains(c))
        {
            return invalid("联系电话格式不正确");
        }
    }
    let mut photos = Vec::new();
    if let Some(bytes) = fields.photo {
        if bytes.len() > MAX_PHOTO {
            return Ok(failure(
                json,
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                "照片太大（最大 10 MB）",
            ));
        }
        let Some(clean) = strip_jpeg_metadata(&bytes) else {
            return invalid("照片须为 JPEG 格式（手机相机拍摄的照片即可）");
        };
        let sha = crate::auth::sha256_hex_bytes(&clean);
        let length = clean.len() as u64;
        // The same lock as a phone's PATCH of this blob: `put` must not interleave with it.
        let _upload = state.uploads.lock(&sha).await;
        let stored = state.blob_io(move |blobs| blobs.put(&clean)).await?;
        let (name, now) = (stored.clone(), state.clock.now());
        state
            .db(move |store| store.blob_completed(&name, length, now))
            .await?;
        photos.push(stored);
    }
    let key = URL_SAFE_NO_PAD.encode(rand::random::<[u8; 18]>());
    let address = peer.map_or_else(|| "unknown".to_owned(), |p| p.0 .0.ip().to_string());
    let report = WebReport {
        report_id: uuid::Uuid::now_v7().to_string(),
        venue_id: venue.venue_id,
        category,
        description,
        phone: fields.phone,
        photos,
        rate_key: format!("web:{address}"),
        secret_hash: sha256_hex(&key),
    };
    let now = state.clock.now();
    let taken = {
        let report = report.clone();
        state
            .db(move |store| store.web_report(&report, now))
            .await?
    };
    if let Err(refused) = taken {
        return Ok(failure(
            json,
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            &refused.0,
        ));
    }
    let status_url = format!("/r/{}?k={key}", report.report_id);
    let created = WebReportCreated {
        report_id: report.report_id.clone(),
        status_url: status_url.clone(),
        message: "举报已提交，已派发到所在网格".into(),
    };
    if json {
        return Ok(Json(created).into_response());
    }
    Ok(message(
        StatusCode::OK,
        "举报已提交",
        &format!(
            "<p>举报编号：<strong>{}</strong></p><p><a href=\"{}\">查看处理进度</a>（请保存此链接）</p>",
            escape(&report.report_id),
            escape(&status_url)
        ),
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatusQuery {
    /// The key from the status link.
    pub k: Option<String>,
}

fn step_label(status: ReportStatus) -> &'static str {
    match status {
        ReportStatus::Received => "已收到",
        ReportStatus::Dispatched => "已派发到网格",
        ReportStatus::HazardOpened => "网格员已现场核查，确认为隐患，正在整改",
        ReportStatus::NoHazard => "网格员已现场核查，未发现隐患",
        ReportStatus::HazardClosed => "隐患已整改并复查销号",
        ReportStatus::Refused => "未受理",
    }
}

fn status_page(report: &MyReport) -> Response {
    let rules = Rules::default();
    let steps: String = report
        .steps
        .iter()
        .map(|step| {
            let at = parse_time(&step.at).map_or_else(|| step.at.clone(), |t| rules.local_text(t));
            let note = step
                .note
                .as_deref()
                .map(|n| format!("<br><small>{}</small>", escape(n)))
                .unwrap_or_default();
            format!(
                "<li>{} <small>{}</small>{note}</li>",
                step_label(step.status),
                escape(&at)
            )
        })
        .collect();
    message(
        StatusCode::OK,
        "举报处理进度",
        &format!(
            "<p>举报编号：<strong>{}</strong></p><p>当前状态：<strong>{}</strong></p><ol>{steps}</ol>",
            escape(&report.report_id),
            step_label(report.status)
        ),
    )
}

/// A report's steps, for whoever holds its status link (HTML).
#[utoipa::path(
    get,
    path = "/r/{report_id}",
    tag = "residents",
    params(("report_id" = String, Path, description = "The report number"), StatusQuery),
    responses(
        (status = 200, description = "The report's steps", content_type = "text/html", body = String),
        (status = 404, description = "No such report, or the key does not match", content_type = "text/html", body = String),
    )
)]
pub async fn web_report_status(
    State(state): State<AppState>,
    AppPath(report_id): AppPath<String>,
    AppQuery(query): AppQuery<StatusQuery>,
) -> Result<Response, AppError> {
    let hash = sha256_hex(query.k.as_deref().unwrap_or_default());
    let found = state
        .db(move |store| store.report_status(&report_id, &hash))
        .await?;
    Ok(match found {
        Some(report) => status_page(&report),
        None => message(
            StatusCode::NOT_FOUND,
            "找不到这条举报",
            "<p>链接不完整或已失效。请使用提交举报后页面给出的完整链接。</p>",
        ),
    })
}
