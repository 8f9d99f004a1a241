//! Where the bearer token is read and written: the app's credential store when it set one
//! (the `account.token` column then holds an empty string), else the database. Every reader of
//! the enrollment goes through [`Core::account`], so no caller knows the difference.

use std::sync::{Arc, PoisonError};

use rusqlite::params;

use super::account::{self, Account};
use crate::api::CredentialStore;
use crate::engine::Core;
use crate::error::{Error, Result};

/// What the `account.token` column holds while the token is in the app's store.
const IN_APP_STORE: &str = "";

impl Core {
    fn credential_store(&self) -> Option<Arc<dyn CredentialStore>> {
        self.credentials
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The enrollment with its token, wherever the token is kept.
    pub fn account(&self) -> Result<Option<Account>> {
        let Some(mut account) = self.store.read(account::load)? else {
            return Ok(None);
        };
        if account.token == IN_APP_STORE {
            account.token = self
                .credential_store()
                .and_then(|store| store.load_token())
                .ok_or_else(|| {
                    Error::Storage(
                        "the token is kept by the app's credential store, which did not return it"
                            .into(),
                    )
                })?;
        }
        Ok(Some(account))
    }

    /// Keeps a new enrollment's token where it belongs; returns what the database keeps.
    pub fn keep_token(&self, token: &str) -> Result<String> {
        match self.credential_store() {
            Some(store) if store.save_token(Some(token.to_owned())) => Ok(IN_APP_STORE.to_owned()),
            Some(_) => Err(Error::Storage(
                "the app's credential store refused the token".into(),
            )),
            None => Ok(token.to_owned()),
        }
    }

    /// Sets (or removes) the app's credential store. A token the database holds moves into the
    /// new store; a token already in an app store (the app setting its store again after a
    /// relaunch) stays there; removing the store moves the token back into the database.
    pub fn set_credentials(&self, store: Option<Arc<dyn CredentialStore>>) -> Result<()> {
        if let Some(account) = self.store.read(account::load)? {
            let in_app_store = account.token == IN_APP_STORE;
            let refused = || Error::Storage("the app's credential store refused the token".into());
            let kept = match (&store, in_app_store) {
                (Some(new), false) => {
                    if !new.save_token(Some(account.token.clone())) {
                        return Err(refused());
                    }
                    Some(IN_APP_STORE.to_owned())
                }
                (None, true) => {
                    let old = self.credential_store();
                    let token = old.as_ref().and_then(|s| s.load_token()).ok_or_else(|| {
                        Error::Storage(
                            "the token is in the app's credential store, which is not set".into(),
                        )
                    })?;
                    if let Some(old) = old {
                        old.save_token(None);
                    }
                    Some(token)
                }
                (Some(_), true) | (None, false) => None,
            };
            if let Some(kept) = kept {
                self.store.write(|tx| {
                    tx.execute("UPDATE account SET token = ?1 WHERE id = 1", params![kept])?;
                    Ok(())
                })?;
            }
        }
        *self
            .credentials
            .write()
            .unwrap_or_else(PoisonError::into_inner) = store;
        Ok(())
    }
}
