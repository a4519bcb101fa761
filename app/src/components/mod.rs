//! Reusable UI pieces.

pub mod alert_labels;
pub mod approval_route;
pub mod async_view;
pub mod bell;
pub mod chart;
pub mod data_table;
pub mod dialog;
pub mod error;
pub mod filter_form;
pub mod labels;
pub mod lang;
pub mod layout;
pub mod live;
pub mod nav;
pub mod query;
pub mod quota;
pub mod title;
