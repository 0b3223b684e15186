//! The user interface (browser only).
