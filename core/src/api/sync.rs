//! The sync part of `GridPatrol`: enrollment, sync passes, connectivity, pausing, and the
//! wedged items of the outbox screen.

use super::gridpatrol::GridPatrol;
use super::records::{AccountRecord, OutboxItemKind, SyncReport, WedgedItem};
use super::GridPatrolError;
use crate::error::Error;

type Result<T> = std::result::Result<T, GridPatrolError>;

#[uniffi::export]
impl GridPatrol {
    /// Enrolls this device with a server using the code from the street office. Keeps the
    /// unsent queue. Fails with `Network` (unreachable) or `Rejected` (unknown code).
    pub async fn enroll(
        &self,
        server_url: String,
        code: String,
        device_name: Option<String>,
    ) -> Result<AccountRecord> {
        let pending = self
            .engine()?
            .sync()
            .enroll(server_url, code, device_name)?;
        Ok(pending
            .await
            .map_err(|e| Error::Network(format!("enrollment was cancelled: {e}")))??)
    }

    /// The enrollment, or none before the first.
    pub fn account(&self) -> Result<Option<AccountRecord>> {
        Ok(self.engine()?.account()?)
    }

    /// Runs a sync pass now: evidence, then events, then changes. Network trouble is not an
    /// error: it is the report's `outcome`, and the queue retries with back-off. Dropping the
    /// returned future does not stop the pass; `pause` does.
    pub async fn sync_now(&self) -> Result<SyncReport> {
        let pending = self.engine()?.sync().sync_now()?;
        Ok(pending
            .await
            .map_err(|e| Error::Network(format!("sync was cancelled: {e}")))??)
    }

    /// Tells the core whether the device has a network; while online, new work is sent in the
    /// background and changes are pulled every few minutes.
    pub fn set_online(&self, online: bool) -> Result<()> {
        self.engine()?.sync().set_online(online);
        Ok(())
    }

    /// While the app is in the foreground: holds the server's live warning stream open so a
    /// warning (new, or escalated to this user) reaches `on_warning` within seconds rather than
    /// at the next sync; reconnects with back-off when the network drops. Returns when
    /// `pause_sync` or `shutdown` stops it (at once while sync is paused), or with `Rejected`
    /// when the server refuses the device, `InvalidInput` when it is not enrolled or a
    /// resident's. Dropping the returned future does not stop it; `pause_sync` does.
    pub async fn watch_warnings(&self) -> Result<()> {
        let pending = self.engine()?.sync().watch_warnings()?;
        match pending.await {
            Ok(result) => Ok(result?),
            // The runtime stopped under it: `shutdown`.
            Err(join) if join.is_cancelled() => Ok(()),
            Err(join) => Err(Error::Network(format!("the warning watcher failed: {join}")).into()),
        }
    }

    /// Stops syncing and cancels the pass in flight (what it finished is kept), and the warning
    /// watcher.
    pub fn pause_sync(&self) -> Result<()> {
        self.engine()?.sync().pause();
        Ok(())
    }

    /// Lets syncing run again after `pause_sync`.
    pub fn resume_sync(&self) -> Result<()> {
        self.engine()?.sync().resume();
        Ok(())
    }

    /// Items the server would not take, with reasons.
    pub fn wedged_items(&self) -> Result<Vec<WedgedItem>> {
        Ok(self.engine()?.sync().wedged()?)
    }

    /// Queues a wedged item again, due now.
    pub fn retry_wedged(&self, kind: OutboxItemKind, id: String) -> Result<()> {
        Ok(self.engine()?.sync().retry(kind, &id)?)
    }

    /// Drops a wedged evidence upload (the server keeps its record as evidence-pending).
    /// Events cannot be discarded (`Conflict`): every later event depends on them.
    pub fn discard_wedged(&self, kind: OutboxItemKind, id: String) -> Result<()> {
        Ok(self.engine()?.sync().discard(kind, &id)?)
    }
}
