//! Everything that touches files: reading articles in their many formats and encodings,
//! importing GeoNames dumps, and writing the extraction outputs.

pub mod export;
pub mod geonames;
pub mod html;
pub mod ingest;
