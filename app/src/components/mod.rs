//! Reusable UI pieces.

pub mod error;
pub mod labels;
pub mod lang;
pub mod layout;
pub mod nav;
