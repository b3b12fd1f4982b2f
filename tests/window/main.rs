//! The window, driven headlessly with egui_kittest against a real staging server on
//! 127.0.0.1: staging, copying, Stage again, scope, fonts, notifications, the execution limit
//! and an operator's day.
//!
//! One test binary for the subject; each file is a module, so helpers of the same name stay apart.

#[path = "../support/mod.rs"]
mod support;
#[path = "../window_support/mod.rs"]
mod window_support;

mod banners;
mod connect_wait;
mod copy;
mod execution_limit;
mod fonts;
mod keyboard;
mod layout;
mod list;
mod notifications;
mod operator_day;
mod restage;
mod resume_notice;
mod scope;
mod settings_view;
mod window;
