//! Reusable UI pieces.

pub mod error;
pub mod labels;
pub mod lang;
pub mod layout;
pub mod live;
pub mod nav;
pub mod quota;
