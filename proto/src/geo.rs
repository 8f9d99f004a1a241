//! Distances between points recorded in different map datums, for the server's dispatch of a
//! resident's report to the nearest venue: GPS gives WGS-84, venues picked on Chinese maps are
//! GCJ-02 (offset by up to ~700 m). Points are brought to WGS-84 before measuring.
//!
//! The GCJ-02 offset is the published polynomial-and-sine formula on the Krasovsky ellipsoid;
//! its inverse is found by iterating the forward transform. Outside China the offset is zero.

use crate::reference::{CoordSystem, GeoPoint};

const EARTH_RADIUS_M: f64 = 6_371_008.8;
const KRASOVSKY_A: f64 = 6_378_245.0;
const KRASOVSKY_EE: f64 = 0.006_693_421_622_965_943;

fn inside_china(lat: f64, lon: f64) -> bool {
    (0.8293..=55.8271).contains(&lat) && (72.004..=137.8347).contains(&lon)
}

/// The offset polynomial's two terms (metres on the formula's scale) at `(x, y)` = degrees
/// east of 105° E and north of 35° N.
fn offset_terms(x: f64, y: f64) -> (f64, f64) {
    use std::f64::consts::PI;
    let ripple = |a: f64, b: f64| (a.sin() * 20.0 + b.sin() * 40.0) * 2.0 / 3.0;
    let common = ((6.0 * PI * x).sin() * 20.0 + (2.0 * PI * x).sin() * 20.0) * 2.0 / 3.0;
    let north = -100.0
        + 2.0 * x
        + 3.0 * y
        + 0.2 * y * y
        + 0.1 * x * y
        + 0.2 * x.abs().sqrt()
        + common
        + ripple(PI * y, PI * y / 3.0)
        + ((PI * y / 12.0).sin() * 160.0 + (PI * y / 30.0).sin() * 320.0) * 2.0 / 3.0;
    let east = 300.0
        + x
        + 2.0 * y
        + 0.1 * x * x
        + 0.1 * x * y
        + 0.1 * x.abs().sqrt()
        + common
        + ripple(PI * x, PI * x / 3.0)
        + ((PI * x / 12.0).sin() * 150.0 + (PI * x / 30.0).sin() * 300.0) * 2.0 / 3.0;
    (north, east)
}

/// WGS-84 → GCJ-02, `(lat, lon)` in degrees.
pub fn to_gcj02(lat: f64, lon: f64) -> (f64, f64) {
    if !inside_china(lat, lon) {
        return (lat, lon);
    }
    let (north, east) = offset_terms(lon - 105.0, lat - 35.0);
    let phi = lat.to_radians();
    let w = 1.0 - KRASOVSKY_EE * phi.sin() * phi.sin();
    let meridian = KRASOVSKY_A * (1.0 - KRASOVSKY_EE) / (w * w.sqrt());
    let parallel = KRASOVSKY_A / w.sqrt() * phi.cos();
    let degrees = 180.0 / std::f64::consts::PI;
    (
        lat + north * degrees / meridian,
        lon + east * degrees / parallel,
    )
}

/// GCJ-02 → WGS-84, to about a millimetre.
pub fn from_gcj02(lat: f64, lon: f64) -> (f64, f64) {
    if !inside_china(lat, lon) {
        return (lat, lon);
    }
    let mut guess = (lat, lon);
    for _ in 0..30 {
        let (g_lat, g_lon) = to_gcj02(guess.0, guess.1);
        let (d_lat, d_lon) = (g_lat - lat, g_lon - lon);
        guess = (guess.0 - d_lat, guess.1 - d_lon);
        if d_lat.abs() < 1e-9 && d_lon.abs() < 1e-9 {
            break;
        }
    }
    guess
}

/// The point in WGS-84 degrees.
pub fn wgs84(point: &GeoPoint) -> (f64, f64) {
    match point.coord_system {
        CoordSystem::Wgs84 => (point.latitude, point.longitude),
        CoordSystem::Gcj02 => from_gcj02(point.latitude, point.longitude),
    }
}

/// Metres between two points, each in its own datum (haversine on WGS-84).
pub fn metres_between(a: &GeoPoint, b: &GeoPoint) -> f64 {
    let ((lat1, lon1), (lat2, lon2)) = (wgs84(a), wgs84(b));
    let half_dlat = (lat2 - lat1).to_radians() / 2.0;
    let half_dlon = (lon2 - lon1).to_radians() / 2.0;
    let h = half_dlat.sin().powi(2)
        + lat1.to_radians().cos() * lat2.to_radians().cos() * half_dlon.sin().powi(2);
    2.0 * EARTH_RADIUS_M * h.sqrt().min(1.0).asin()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(latitude: f64, longitude: f64, coord_system: CoordSystem) -> GeoPoint {
        GeoPoint {
            latitude,
            longitude,
            coord_system,
        }
    }

    #[test]
    fn the_transform_matches_a_published_beijing_point() {
        // The eviltransform test suite's Beijing pair (WGS-84 → GCJ-02).
        let (lat, lon) = to_gcj02(39.911954, 116.377817);
        assert!((lat - 39.91334545536069).abs() < 1e-9, "{lat}");
        assert!((lon - 116.38404722455657).abs() < 1e-9, "{lon}");
        let (back_lat, back_lon) = from_gcj02(lat, lon);
        assert!((back_lat - 39.911954).abs() < 1e-8 && (back_lon - 116.377817).abs() < 1e-8);
    }

    #[test]
    fn the_same_place_in_two_datums_is_zero_metres_apart() {
        let wgs = point(39.88, 116.46, CoordSystem::Wgs84);
        let (g_lat, g_lon) = to_gcj02(39.88, 116.46);
        let gcj = point(g_lat, g_lon, CoordSystem::Gcj02);
        assert!(metres_between(&wgs, &gcj) < 0.01);
        // Read naively as the same datum, they are hundreds of metres apart.
        let naive = point(g_lat, g_lon, CoordSystem::Wgs84);
        assert!((300.0..800.0).contains(&metres_between(&wgs, &naive)));
    }

    #[test]
    fn outside_china_nothing_moves() {
        assert_eq!(to_gcj02(48.85, 2.35), (48.85, 2.35));
        assert_eq!(from_gcj02(48.85, 2.35), (48.85, 2.35));
    }
}
