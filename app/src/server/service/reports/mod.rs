//! Reports for security administrators. `monthly`: the monthly audit report of seed 000
//! section 3 (its figures and CSV; the page, the PDF, the compliance report and the
//! monthly delivery are still to come).

pub mod csv;
pub mod monthly;
