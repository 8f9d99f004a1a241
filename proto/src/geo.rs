//! Coordinates, for both sides (the phone's proof of presence, the server's dispatch of a
//! resident's report to the nearest venue): GPS fixes are WGS-84, venue locations picked on
//! Chinese maps (AMap, Tencent) are GCJ-02, a deliberately offset datum (up to ~700 m). Every
//! stored point carries its system; distances are measured after converting both to WGS-84.
//!
//! The WGS-84 → GCJ-02 transform is the well-known published one (Krasovsky-ellipsoid
//! constants, a fixed polynomial-and-sine offset); its inverse has no closed form and is found
//! by fixed-point iteration. Outside China's bounding box the transform is the identity, as
//! the map providers treat it.

use crate::reference::{CoordSystem, GeoPoint};

/// Mean Earth radius (IUGG), metres, for the haversine distance.
const EARTH_RADIUS_M: f64 = 6_371_008.8;
/// The transform's ellipsoid: semi-major axis (Krasovsky 1940) and first eccentricity squared.
const KRASOVSKY_A: f64 = 6_378_245.0;
const KRASOVSKY_EE: f64 = 0.006_693_421_622_965_943;
/// Stop the inverse when a step moves less than this (degrees, ~1 mm).
const INVERSE_TOLERANCE_DEG: f64 = 1e-8;
const INVERSE_MAX_STEPS: usize = 30;

/// True where the GCJ-02 offset is applied (China's rough bounding box).
pub fn in_china(latitude: f64, longitude: f64) -> bool {
    (72.004..=137.8347).contains(&longitude) && (0.8293..=55.8271).contains(&latitude)
}

/// WGS-84 → GCJ-02, as `(latitude, longitude)`.
pub fn wgs84_to_gcj02(latitude: f64, longitude: f64) -> (f64, f64) {
    if !in_china(latitude, longitude) {
        return (latitude, longitude);
    }
    let (d_lat, d_lon) = offset(latitude, longitude);
    (latitude + d_lat, longitude + d_lon)
}

/// GCJ-02 → WGS-84, as `(latitude, longitude)`: the WGS-84 point whose transform is the given
/// one, to about a millimetre.
pub fn gcj02_to_wgs84(latitude: f64, longitude: f64) -> (f64, f64) {
    if !in_china(latitude, longitude) {
        return (latitude, longitude);
    }
    // The offset changes slowly with position, so w <- g - offset(w) converges in a few steps.
    let (mut lat, mut lon) = (latitude, longitude);
    for _ in 0..INVERSE_MAX_STEPS {
        let (g_lat, g_lon) = wgs84_to_gcj02(lat, lon);
        let (e_lat, e_lon) = (g_lat - latitude, g_lon - longitude);
        lat -= e_lat;
        lon -= e_lon;
        if e_lat.abs().max(e_lon.abs()) < INVERSE_TOLERANCE_DEG {
            break;
        }
    }
    (lat, lon)
}

/// The point in WGS-84, converted from the system it was recorded in.
pub fn to_wgs84(point: &GeoPoint) -> (f64, f64) {
    match point.coord_system {
        CoordSystem::Wgs84 => (point.latitude, point.longitude),
        CoordSystem::Gcj02 => gcj02_to_wgs84(point.latitude, point.longitude),
    }
}

/// Great-circle distance in metres between two WGS-84 points (haversine; at the scale of a
/// venue visit the error against the ellipsoid is well under a metre).
pub fn distance_m(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (lat1, lat2) = (a.0.to_radians(), b.0.to_radians());
    let (d_lat, d_lon) = ((b.0 - a.0).to_radians(), (b.1 - a.1).to_radians());
    let h = (d_lat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (d_lon / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_M * h.sqrt().min(1.0).asin()
}

/// Metres between two points, each in the system it was recorded in.
pub fn metres_between(a: &GeoPoint, b: &GeoPoint) -> f64 {
    distance_m(to_wgs84(a), to_wgs84(b))
}

/// The GCJ-02 offset (degrees of latitude, longitude) at a WGS-84 point.
fn offset(latitude: f64, longitude: f64) -> (f64, f64) {
    use std::f64::consts::PI;
    let (x, y) = (longitude - 105.0, latitude - 35.0);
    let wave = (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    let mut d_lat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * x.abs().sqrt();
    d_lat += wave;
    d_lat += (20.0 * (y * PI).sin() + 40.0 * (y / 3.0 * PI).sin()) * 2.0 / 3.0;
    d_lat += (160.0 * (y / 12.0 * PI).sin() + 320.0 * (y * PI / 30.0).sin()) * 2.0 / 3.0;
    let mut d_lon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * x.abs().sqrt();
    d_lon += wave;
    d_lon += (20.0 * (x * PI).sin() + 40.0 * (x / 3.0 * PI).sin()) * 2.0 / 3.0;
    d_lon += (150.0 * (x / 12.0 * PI).sin() + 300.0 * (x / 30.0 * PI).sin()) * 2.0 / 3.0;
    // metres of the offset polynomial -> degrees on the Krasovsky ellipsoid at this latitude
    let rad_lat = latitude.to_radians();
    let magic = 1.0 - KRASOVSKY_EE * rad_lat.sin().powi(2);
    let sqrt_magic = magic.sqrt();
    let lat_deg =
        d_lat * 180.0 / ((KRASOVSKY_A * (1.0 - KRASOVSKY_EE)) / (magic * sqrt_magic) * PI);
    let lon_deg = d_lon * 180.0 / (KRASOVSKY_A / sqrt_magic * rad_lat.cos() * PI);
    (lat_deg, lon_deg)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// WGS-84 → GCJ-02 reference pairs `(wgs lat, wgs lon, gcj lat, gcj lon)`: the test vectors
    /// of the open-source eviltransform library (googollee/eviltransform, its Python and PHP
    /// test suites: Shanghai, Shenzhen, Beijing), to the last printed digit.
    const EVILTRANSFORM: [(f64, f64, f64, f64); 3] = [
        (31.1774276, 121.5272106, 31.17530398364597, 121.531541859215),
        (22.543847, 113.912316, 22.540796131694766, 113.9171764808363),
        (39.911954, 116.377817, 39.91334545536069, 116.38404722455657),
    ];

    #[test]
    fn forward_transform_matches_published_test_vectors() {
        for (w_lat, w_lon, g_lat, g_lon) in EVILTRANSFORM {
            let (lat, lon) = wgs84_to_gcj02(w_lat, w_lon);
            assert!((lat - g_lat).abs() < 1e-9, "{w_lat}: {lat} vs {g_lat}");
            assert!((lon - g_lon).abs() < 1e-9, "{w_lon}: {lon} vs {g_lon}");
        }
    }

    #[test]
    fn forward_transform_matches_other_published_points() {
        // geoChina (R package, caijun/geoChina) documents Beijing railway station as
        // WGS-84 (39.90105, 116.42079) = GCJ-02 (39.90245, 116.42703), five decimals.
        let (lat, lon) = wgs84_to_gcj02(39.90105, 116.42079);
        assert!((lat - 39.90245).abs() < 1e-5 && (lon - 116.42703).abs() < 1e-5);
    }

    #[test]
    fn inverse_recovers_the_wgs84_point_to_a_millimetre() {
        for (w_lat, w_lon, g_lat, g_lon) in EVILTRANSFORM {
            let (lat, lon) = gcj02_to_wgs84(g_lat, g_lon);
            assert!(
                distance_m((lat, lon), (w_lat, w_lon)) < 0.001,
                "{lat},{lon}"
            );
        }
    }

    #[test]
    fn the_offset_in_beijing_is_hundreds_of_metres() {
        let wgs = (39.911954, 116.377817);
        let d = distance_m(wgs, wgs84_to_gcj02(wgs.0, wgs.1));
        assert!((400.0..700.0).contains(&d), "{d} m");
    }

    #[test]
    fn outside_china_is_the_identity() {
        for (lat, lon) in [
            (48.8566, 2.3522),
            (-33.8688, 151.2093),
            (0.0, 0.0),
            (60.0, 100.0),
        ] {
            assert_eq!(wgs84_to_gcj02(lat, lon), (lat, lon));
            assert_eq!(gcj02_to_wgs84(lat, lon), (lat, lon));
        }
    }

    #[test]
    fn haversine_matches_known_distances() {
        // one degree of latitude is ~111.2 km on the mean sphere
        let d = distance_m((39.0, 116.0), (40.0, 116.0));
        assert!((d - 111_195.0).abs() < 1.0, "{d}");
        assert_eq!(distance_m((39.9, 116.4), (39.9, 116.4)), 0.0);
        // 0.01 degree of longitude at 40 degrees north: 111,195 m * cos(40°) / 100 = 851.8 m
        let d = distance_m((40.0, 116.0), (40.0, 116.01));
        assert!((d - 851.8).abs() < 0.5, "{d}");
    }

    #[test]
    fn a_stored_point_is_converted_by_its_system() {
        let gcj = GeoPoint {
            latitude: 39.91334545536069,
            longitude: 116.38404722455657,
            coord_system: CoordSystem::Gcj02,
        };
        let wgs = to_wgs84(&gcj);
        assert!(distance_m(wgs, (39.911954, 116.377817)) < 0.001);
        let plain = GeoPoint {
            coord_system: CoordSystem::Wgs84,
            ..gcj
        };
        assert_eq!(to_wgs84(&plain), (plain.latitude, plain.longitude));
    }

    #[test]
    fn the_same_place_in_two_datums_is_zero_metres_apart() {
        let point = |latitude, longitude, coord_system| GeoPoint {
            latitude,
            longitude,
            coord_system,
        };
        let wgs = point(39.88, 116.46, CoordSystem::Wgs84);
        let (g_lat, g_lon) = wgs84_to_gcj02(39.88, 116.46);
        assert!(metres_between(&wgs, &point(g_lat, g_lon, CoordSystem::Gcj02)) < 0.01);
        // Read naively as the same datum, they are hundreds of metres apart.
        assert!((300.0..800.0).contains(&metres_between(
            &wgs,
            &point(g_lat, g_lon, CoordSystem::Wgs84)
        )));
    }
}
