//! The operator's language: the catalogue is whole in English, German, French, Spanish and
//! Japanese, the window's layout holds with the longest (German) texts, and the command
//! line speaks the system's language.
//!
//! Its own binary: the language is process-wide, and these tests change it.

#[path = "../support/mod.rs"]
mod support;
#[path = "../window_support/mod.rs"]
mod window_support;

mod catalogue;
mod cli;
mod core_texts;
mod layout;
mod settings;

/// The language is process-wide: tests that set it (or open a window, which sets it from
/// its Settings) hold this, so that they run one at a time.
pub fn one_language_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    static LANGUAGE: std::sync::Mutex<()> = std::sync::Mutex::new(());
    LANGUAGE
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
