//! Astronomy needed by the lunar calendar, written from Jean Meeus, *Astronomical Algorithms*
//! (2nd ed.): true new moons (ch. 49), the Sun's apparent longitude (ch. 25, low-accuracy
//! method, about 0.01°) and ΔT (the Espenak–Meeus polynomials). Everything works in Julian
//! days; conversion to civil dates at UTC+7 happens here too so the lunar module only sees
//! day numbers.

use std::f64::consts::PI;

/// Offset of Vietnam's civil time (UTC+7) in days.
const VN_OFFSET_DAYS: f64 = 7.0 / 24.0;

/// Difference between a Julian day number and chrono's `num_days_from_ce`.
pub(crate) const JDN_CE_OFFSET: i32 = 1_721_425;

fn sin_deg(x: f64) -> f64 {
    (x * PI / 180.0).sin()
}

/// ΔT = TT − UT in seconds for a decimal year (Espenak & Meeus, valid 1860–2150).
pub(crate) fn delta_t_seconds(y: f64) -> f64 {
    if y < 1900.0 {
        let t = y - 1860.0;
        7.62 + 0.5737 * t - 0.251754 * t.powi(2) + 0.01680668 * t.powi(3) - 0.0004473624 * t.powi(4)
            + t.powi(5) / 233_174.0
    } else if y < 1920.0 {
        let t = y - 1900.0;
        -2.79 + 1.494119 * t - 0.0598939 * t.powi(2) + 0.0061966 * t.powi(3) - 0.000197 * t.powi(4)
    } else if y < 1941.0 {
        let t = y - 1920.0;
        21.20 + 0.84493 * t - 0.076100 * t.powi(2) + 0.0020936 * t.powi(3)
    } else if y < 1961.0 {
        let t = y - 1950.0;
        29.07 + 0.407 * t - t.powi(2) / 233.0 + t.powi(3) / 2547.0
    } else if y < 1986.0 {
        let t = y - 1975.0;
        45.45 + 1.067 * t - t.powi(2) / 260.0 - t.powi(3) / 718.0
    } else if y < 2005.0 {
        let t = y - 2000.0;
        63.86 + 0.3345 * t - 0.060374 * t.powi(2)
            + 0.0017275 * t.powi(3)
            + 0.000651814 * t.powi(4)
            + 0.00002373599 * t.powi(5)
    } else if y < 2050.0 {
        let t = y - 2000.0;
        62.92 + 0.32217 * t + 0.005589 * t.powi(2)
    } else {
        let u = (y - 1820.0) / 100.0;
        -20.0 + 32.0 * u * u - 0.5628 * (2150.0 - y)
    }
}

fn decimal_year(jd: f64) -> f64 {
    2000.0 + (jd - 2451545.0) / 365.25
}

/// Julian Ephemeris Day of the true new moon with lunation number `k` (k = 0 is the new
/// moon of 2000-01-06), Meeus ch. 49.
pub(crate) fn new_moon_jde(k: f64) -> f64 {
    let t = k / 1236.85;
    let (t2, t3, t4) = (t * t, t * t * t, t * t * t * t);
    let jde =
        2451550.09766 + 29.530588861 * k + 0.00015437 * t2 - 0.000000150 * t3 + 0.00000000073 * t4;
    let e = 1.0 - 0.002516 * t - 0.0000074 * t2;
    let m = 2.5534 + 29.10535670 * k - 0.0000014 * t2 - 0.00000011 * t3;
    let mp = 201.5643 + 385.81693528 * k + 0.0107582 * t2 + 0.00001238 * t3 - 0.000000058 * t4;
    let f = 160.7108 + 390.67050284 * k - 0.0016118 * t2 - 0.00000227 * t3 + 0.000000011 * t4;
    let om = 124.7746 - 1.56375588 * k + 0.0020672 * t2 + 0.00000215 * t3;

    // Periodic terms for the new moon (Meeus table 49.A, first column).
    let periodic = -0.40720 * sin_deg(mp)
        + 0.17241 * e * sin_deg(m)
        + 0.01608 * sin_deg(2.0 * mp)
        + 0.01039 * sin_deg(2.0 * f)
        + 0.00739 * e * sin_deg(mp - m)
        - 0.00514 * e * sin_deg(mp + m)
        + 0.00208 * e * e * sin_deg(2.0 * m)
        - 0.00111 * sin_deg(mp - 2.0 * f)
        - 0.00057 * sin_deg(mp + 2.0 * f)
        + 0.00056 * e * sin_deg(2.0 * mp + m)
        - 0.00042 * sin_deg(3.0 * mp)
        + 0.00042 * e * sin_deg(m + 2.0 * f)
        + 0.00038 * e * sin_deg(m - 2.0 * f)
        - 0.00024 * e * sin_deg(2.0 * mp - m)
        - 0.00017 * sin_deg(om)
        - 0.00007 * sin_deg(mp + 2.0 * m)
        + 0.00004 * sin_deg(2.0 * mp - 2.0 * f)
        + 0.00004 * sin_deg(3.0 * m)
        + 0.00003 * sin_deg(mp + m - 2.0 * f)
        + 0.00003 * sin_deg(2.0 * mp + 2.0 * f)
        - 0.00003 * sin_deg(mp + m + 2.0 * f)
        + 0.00003 * sin_deg(mp - m + 2.0 * f)
        - 0.00002 * sin_deg(mp - m - 2.0 * f)
        - 0.00002 * sin_deg(3.0 * mp + m)
        + 0.00002 * sin_deg(4.0 * mp);

    // Additional corrections from the planetary arguments A1..A14.
    const PLANETARY: [(f64, f64, f64); 14] = [
        (299.77, 0.107408, 0.000325),
        (251.88, 0.016321, 0.000165),
        (251.83, 26.651886, 0.000164),
        (349.42, 36.412478, 0.000126),
        (84.66, 18.206239, 0.000110),
        (141.74, 53.303771, 0.000062),
        (207.14, 2.453732, 0.000060),
        (154.84, 7.306860, 0.000056),
        (34.52, 27.261239, 0.000047),
        (207.19, 0.121824, 0.000042),
        (291.34, 1.844379, 0.000040),
        (161.72, 24.198154, 0.000037),
        (239.56, 25.513099, 0.000035),
        (331.55, 3.592518, 0.000023),
    ];
    let planetary: f64 = PLANETARY
        .iter()
        .enumerate()
        .map(|(i, &(a0, ak, coef))| {
            // Only A1 has a T² term.
            let arg = if i == 0 {
                a0 + ak * k - 0.009173 * t2
            } else {
                a0 + ak * k
            };
            coef * sin_deg(arg)
        })
        .sum();

    jde + periodic + planetary
}

/// Julian day (UT) of the true new moon with lunation number `k`.
pub(crate) fn new_moon_ut(k: i64) -> f64 {
    let jde = new_moon_jde(k as f64);
    jde - delta_t_seconds(decimal_year(jde)) / 86_400.0
}

/// The Sun's apparent geocentric longitude in degrees `[0, 360)` at a Julian Ephemeris Day
/// (Meeus ch. 25, low-accuracy method with the nutation/aberration correction).
pub(crate) fn solar_longitude(jde: f64) -> f64 {
    let t = (jde - 2451545.0) / 36525.0;
    let l0 = 280.46646 + 36000.76983 * t + 0.0003032 * t * t;
    let m = 357.52911 + 35999.05029 * t - 0.0001537 * t * t;
    let c = (1.914602 - 0.004817 * t - 0.000014 * t * t) * sin_deg(m)
        + (0.019993 - 0.000101 * t) * sin_deg(2.0 * m)
        + 0.000289 * sin_deg(3.0 * m);
    let omega = 125.04 - 1934.136 * t;
    let apparent = l0 + c - 0.00569 - 0.00478 * sin_deg(omega);
    apparent.rem_euclid(360.0)
}

/// Julian day number of the civil date (at UTC+7) on which the instant `jd_ut` falls.
pub(crate) fn local_jdn(jd_ut: f64) -> i32 {
    (jd_ut + 0.5 + VN_OFFSET_DAYS).floor() as i32
}

/// The Sun's apparent longitude at local (UTC+7) midnight starting the day `jdn`.
pub(crate) fn solar_longitude_at_local_midnight(jdn: i32) -> f64 {
    let jd_ut = f64::from(jdn) - 0.5 - VN_OFFSET_DAYS;
    solar_longitude(jd_ut + delta_t_seconds(decimal_year(jd_ut)) / 86_400.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meeus_example_49a_new_moon_of_february_1977_matches() {
        // Meeus example 49.a: k = -283, JDE = 2443192.65118.
        let jde = new_moon_jde(-283.0);
        assert!((jde - 2443192.65118).abs() < 0.0001, "{jde}");
    }

    #[test]
    fn meeus_example_25a_solar_longitude_matches() {
        // Meeus example 25.a: 1992 October 13.0 TD, apparent λ = 199.90895° (low accuracy).
        let lambda = solar_longitude(2448908.5);
        assert!((lambda - 199.90895).abs() < 0.001, "{lambda}");
    }

    #[test]
    fn delta_t_is_about_64_seconds_in_2000() {
        assert!((delta_t_seconds(2000.0) - 63.86).abs() < 0.01);
    }
}
