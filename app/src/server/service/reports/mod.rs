//! Reports for security administrators. `monthly`: the monthly audit report of seed 000
//! section 3 (its figures and charts); `csv` and `pdf`: the same report as files;
//! `delivery`: the monthly report mailed to the security administrators on the first day
//! of the next month.

pub mod csv;
pub mod delivery;
pub mod monthly;
pub mod pdf;
