//! Everything that touches files or the network: reading articles in their many formats and
//! encodings, importing GeoNames dumps, reading local tile archives, writing the outputs
//! (GeoJSON, CSV, JSON Lines, KML, GeoPackage, PNG), and the optional online geocoder; and where
//! the app keeps its files.

pub mod atomic;
pub mod autosave;
pub mod dirs;
pub mod export;
pub mod geonames;
pub mod gpkg;
pub mod html;
pub mod ingest;
pub mod kml;
pub mod nominatim;
pub mod picture;
pub mod pmtiles;
pub mod store;
pub mod store_schema;
pub mod user_gazetteer;
