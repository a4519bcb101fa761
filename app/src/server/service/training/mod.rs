//! Training (SPEC "Training"): the question bank, graded attempts, certificates, the
//! export gate's question ("is this user certified now?"), and where people stand.

pub mod bank;
pub mod certificates;
pub mod quiz;
pub mod status;
