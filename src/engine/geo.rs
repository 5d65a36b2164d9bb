//! Small geodesy helpers on (lat, lon) pairs in degrees, over the `geo` crate.

use geo::{Distance, Haversine, Point};

/// Great-circle distance in kilometres between two (lat, lon) points.
pub fn distance_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    Haversine.distance(Point::new(a.1, a.0), Point::new(b.1, b.0)) / 1000.0
}
