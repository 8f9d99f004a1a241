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

    /// Stops syncing and cancels the pass in flight; what it finished is kept.
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
