//! The plugin's hold on its state ([`Slot`]): the database once opened, and what it caches of
//! it. Kept apart from [`crate::state`], which reads and writes through it, so that the plugin
//! holds it without depending on the commands that use it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};

use lectern_core::library::Library;
use lectern_state::{GuildSettings, Scope, State};

/// The plugin's database, once opened, and the libraries of servers that see some talks only.
#[derive(Default)]
pub(crate) struct Slot {
    pub(crate) db: RwLock<Option<State>>,
    /// Why there is none, when opening failed.
    pub(crate) error: RwLock<Option<String>>,
    /// Per library loaded (its address) and scope, the library of that scope.
    pub(crate) scoped: Mutex<(usize, HashMap<Scope, Arc<Library>>)>,
    /// Each server's settings as last read or written here, for what cannot wait for the
    /// database (autocomplete, button presses). Another process's change is seen at the
    /// server's next command here.
    pub(crate) known: Mutex<HashMap<u64, GuildSettings>>,
    /// `state.gaps_retention_days` and `state.leave_grace_days`.
    pub(crate) retention: RwLock<(u32, u32)>,
}
