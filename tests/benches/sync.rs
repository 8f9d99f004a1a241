//! Sync benchmark (not a test): events per second and photo megabytes per second through the
//! whole stack — core, HTTP on loopback, server-stub on SQLite — and the bytes on the wire
//! (counted by a TCP relay between the two) against the payload bytes.
//!
//! Run: `cargo bench -p gridpatrol-tests --bench sync`.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use gridpatrol_core::api::records::{SyncOutcome, Verdict};
use gridpatrol_proto::events::EvidenceTarget;
use gridpatrol_tests::{noise_photo, worker, Phone, GRID_A};
use tokio::net::{TcpListener, TcpStream};

const ANSWERS: usize = 2000;
const PHOTOS: u64 = 20;

/// Relays loopback TCP to `target`, counting bytes each way (client→server, server→client).
async fn counting_relay(target: std::net::SocketAddr) -> (String, Arc<[AtomicU64; 2]>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let counts: Arc<[AtomicU64; 2]> = Arc::new([AtomicU64::new(0), AtomicU64::new(0)]);
    let c = counts.clone();
    tokio::spawn(async move {
        loop {
            let (mut client, _) = listener.accept().await.unwrap();
            let c = c.clone();
            tokio::spawn(async move {
                let mut server = TcpStream::connect(target).await.unwrap();
                if let Ok((up, down)) =
                    tokio::io::copy_bidirectional(&mut client, &mut server).await
                {
                    c[0].fetch_add(up, Ordering::Relaxed);
                    c[1].fetch_add(down, Ordering::Relaxed);
                }
            });
        }
    });
    (url, counts)
}

fn wire(counts: &[AtomicU64; 2]) -> (u64, u64) {
    (
        counts[0].swap(0, Ordering::Relaxed),
        counts[1].swap(0, Ordering::Relaxed),
    )
}

/// The JSON bytes of every journal event's envelope, as a push carries them.
fn envelope_bytes(phone: &Phone) -> u64 {
    let db = rusqlite::Connection::open(phone.dir.path().join("gridpatrol.db")).unwrap();
    let mut stmt = db
        .prepare(
            "SELECT event_id, device_id, device_seq, kind, payload, device_time, utc_offset_min,
                    uptime_ms, prev_hash, hash FROM events",
        )
        .unwrap();
    let rows = stmt
        .query_map([], |r| {
            Ok(gridpatrol_proto::EventEnvelope {
                event_id: r.get(0)?,
                device_id: r.get(1)?,
                device_seq: r.get::<_, i64>(2)? as u64,
                kind: r.get(3)?,
                payload: serde_json::from_str(&r.get::<_, String>(4)?).unwrap(),
                device_time: r.get(5)?,
                utc_offset_min: r.get(6)?,
                uptime_ms: r.get::<_, i64>(7)? as u64,
                prev_hash: r.get(8)?,
                hash: r.get(9)?,
            })
        })
        .unwrap();
    rows.map(|e| serde_json::to_string(&e.unwrap()).unwrap().len() as u64)
        .sum()
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let server = server_stub::spawn(server_stub::Config::memory().with_demo())
        .await
        .unwrap();
    let (relay, counts) = counting_relay(server.addr()).await;
    let phone = Phone::new();
    let code = server
        .enrollment_code(worker("bench", GRID_A))
        .await
        .unwrap();
    phone.gp.enroll(relay.clone(), code, None).await.unwrap();
    assert_eq!(
        phone.gp.sync_now().await.unwrap().outcome,
        SyncOutcome::Completed
    );
    tokio::time::sleep(Duration::from_millis(200)).await; // let the relay count the closes
    wire(&counts);

    // 1. Events: answers (one event each) in inspections of the grid's venues.
    let venues: Vec<String> = phone
        .gp
        .list_venues()
        .unwrap()
        .into_iter()
        .map(|v| v.venue_id)
        .collect();
    let mut answered = 0;
    'outer: for venue in venues.iter().cycle() {
        let inspection = phone.gp.start_inspection(venue.clone()).unwrap();
        let items = phone
            .gp
            .checklist(inspection.inspection_id.clone())
            .unwrap();
        for round in 0..3 {
            for entry in &items {
                let verdict = if round == 1 {
                    Verdict::Na
                } else {
                    Verdict::Pass
                };
                phone
                    .gp
                    .answer_item(
                        inspection.inspection_id.clone(),
                        entry.item_id.clone(),
                        verdict,
                        None,
                        false,
                    )
                    .unwrap();
                answered += 1;
                if answered >= ANSWERS {
                    break 'outer;
                }
            }
        }
        phone
            .gp
            .finish_inspection(inspection.inspection_id)
            .unwrap();
    }
    let events = phone.gp.outbox_status().unwrap().events_pending;
    let payload = envelope_bytes(&phone);
    let start = Instant::now();
    let report = phone.gp.sync_now().await.unwrap();
    let took = start.elapsed();
    assert_eq!(report.events_sent, events);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let (up, down) = wire(&counts);

    // 2. Photos: normalised evidence files (~1 MB of noise each) uploaded as blobs.
    let camera = tempfile::tempdir().unwrap();
    let inspection = phone.gp.start_inspection(venues[0].clone()).unwrap();
    let item = phone
        .gp
        .checklist(inspection.inspection_id.clone())
        .unwrap()[0]
        .item_id
        .clone();
    phone
        .gp
        .answer_item(
            inspection.inspection_id.clone(),
            item.clone(),
            Verdict::Fail,
            None,
            false,
        )
        .unwrap();
    for i in 0..PHOTOS {
        let path = camera.path().join(format!("{i}.jpg"));
        noise_photo(&path, 1600, 1200, 1000 + i);
        let target = EvidenceTarget::Answer {
            inspection_id: inspection.inspection_id.clone(),
            item_id: item.clone(),
        };
        phone
            .gp
            .attach_photo(target, path.display().to_string())
            .unwrap();
    }
    let start = Instant::now();
    let photos = phone.gp.sync_now().await.unwrap();
    let photo_time = start.elapsed();
    assert_eq!(photos.blobs_uploaded, PHOTOS);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let (photo_up, photo_down) = wire(&counts);

    let mb = photos.blob_bytes as f64 / 1e6;
    println!("\nGridPatrol sync benchmark (core → HTTP/1.1 loopback → server-stub on SQLite)");
    println!(
        "  events pushed                     {events} in {:.2} s = {:.0} events/s",
        took.as_secs_f64(),
        events as f64 / took.as_secs_f64()
    );
    println!("  event JSON (envelopes as sent)    {payload} bytes");
    println!(
        "  wire, push + pull                 {up} B up, {down} B down; up/payload = {:.2}",
        up as f64 / payload as f64
    );
    println!(
        "  photos uploaded                   {PHOTOS} files, {mb:.1} MB in {:.2} s = {:.1} MB/s",
        photo_time.as_secs_f64(),
        mb / photo_time.as_secs_f64()
    );
    println!("  wire, photo pass                  {photo_up} B up, {photo_down} B down; up/file bytes = {:.4}", photo_up as f64 / photos.blob_bytes as f64);
    println!(
        "  client-counted request bodies     events pass {} B, photo pass {} B",
        report.bytes_sent, photos.bytes_sent
    );
    server.shutdown().await;
}
