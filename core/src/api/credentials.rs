//! Where the bearer token lives. By default the core keeps it in its database (app-private
//! storage); an app that wants it in the platform's secret store (the iOS Keychain, this device
//! only; Android's Keystore-backed storage) implements [`CredentialStore`] and sets it.

use std::sync::Arc;

use super::gridpatrol::GridPatrol;
use super::GridPatrolError;

/// The app's secret store for the one bearer token this installation holds. Called on a core
/// thread, never on the UI thread's behalf.
#[uniffi::export(with_foreign)]
pub trait CredentialStore: Send + Sync {
    /// The stored token, or none.
    fn load_token(&self) -> Option<String>;
    /// Stores the token (`None`: deletes it). Returns false when the platform refused.
    fn save_token(&self, token: Option<String>) -> bool;
}

#[uniffi::export]
impl GridPatrol {
    /// Keeps the bearer token in the app's secret store from now on (`None`: back in the
    /// database). A token the database already holds moves there at once; if the store refuses
    /// it, it stays where it was and this fails with `Storage`.
    pub fn set_credential_store(
        &self,
        store: Option<Arc<dyn CredentialStore>>,
    ) -> Result<(), GridPatrolError> {
        Ok(self.engine()?.core.set_credentials(store)?)
    }
}
