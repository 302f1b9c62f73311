//! Projective transform between two quadrilaterals (ZXing's PerspectiveTransform), used to map
//! module centres of the QR grid to image pixels.

#[derive(Debug, Clone, Copy)]
pub struct Perspective {
    a11: f64,
    a12: f64,
    a13: f64,
    a21: f64,
    a22: f64,
    a23: f64,
    a31: f64,
    a32: f64,
    a33: f64,
}

impl Perspective {
    /// The transform taking the source quadrilateral `src` onto `dst` (points in order).
    pub fn quad_to_quad(src: [(f64, f64); 4], dst: [(f64, f64); 4]) -> Option<Self> {
        let q2s = Self::square_to_quad(src)?.adjoint();
        let s2q = Self::square_to_quad(dst)?;
        let t = s2q.times(&q2s);
        t.is_finite().then_some(t)
    }

    fn is_finite(&self) -> bool {
        [self.a11, self.a12, self.a13, self.a21, self.a22, self.a23, self.a31, self.a32, self.a33]
            .iter()
            .all(|v| v.is_finite())
    }

    fn square_to_quad(p: [(f64, f64); 4]) -> Option<Self> {
        let [(x0, y0), (x1, y1), (x2, y2), (x3, y3)] = p;
        let dx3 = x0 - x1 + x2 - x3;
        let dy3 = y0 - y1 + y2 - y3;
        if dx3 == 0.0 && dy3 == 0.0 {
            return Some(Self {
                a11: x1 - x0,
                a21: x2 - x1,
                a31: x0,
                a12: y1 - y0,
                a22: y2 - y1,
                a32: y0,
                a13: 0.0,
                a23: 0.0,
                a33: 1.0,
            });
        }
        let dx1 = x1 - x2;
        let dx2 = x3 - x2;
        let dy1 = y1 - y2;
        let dy2 = y3 - y2;
        let denominator = dx1 * dy2 - dx2 * dy1;
        if denominator.abs() < 1e-12 {
            return None;
        }
        let a13 = (dx3 * dy2 - dx2 * dy3) / denominator;
        let a23 = (dx1 * dy3 - dx3 * dy1) / denominator;
        Some(Self {
            a11: x1 - x0 + a13 * x1,
            a21: x3 - x0 + a23 * x3,
            a31: x0,
            a12: y1 - y0 + a13 * y1,
            a22: y3 - y0 + a23 * y3,
            a32: y0,
            a13,
            a23,
            a33: 1.0,
        })
    }

    fn adjoint(&self) -> Self {
        Self {
            a11: self.a22 * self.a33 - self.a23 * self.a32,
            a21: self.a23 * self.a31 - self.a21 * self.a33,
            a31: self.a21 * self.a32 - self.a22 * self.a31,
            a12: self.a13 * self.a32 - self.a12 * self.a33,
            a22: self.a11 * self.a33 - self.a13 * self.a31,
            a32: self.a12 * self.a31 - self.a11 * self.a32,
            a13: self.a12 * self.a23 - self.a13 * self.a22,
            a23: self.a13 * self.a21 - self.a11 * self.a23,
            a33: self.a11 * self.a22 - self.a12 * self.a21,
        }
    }

    fn times(&self, o: &Self) -> Self {
        Self {
            a11: self.a11 * o.a11 + self.a21 * o.a12 + self.a31 * o.a13,
            a21: self.a11 * o.a21 + self.a21 * o.a22 + self.a31 * o.a23,
            a31: self.a11 * o.a31 + self.a21 * o.a32 + self.a31 * o.a33,
            a12: self.a12 * o.a11 + self.a22 * o.a12 + self.a32 * o.a13,
            a22: self.a12 * o.a21 + self.a22 * o.a22 + self.a32 * o.a23,
            a32: self.a12 * o.a31 + self.a22 * o.a32 + self.a32 * o.a33,
            a13: self.a13 * o.a11 + self.a23 * o.a12 + self.a33 * o.a13,
            a23: self.a13 * o.a21 + self.a23 * o.a22 + self.a33 * o.a23,
            a33: self.a13 * o.a31 + self.a23 * o.a32 + self.a33 * o.a33,
        }
    }

    /// Maps one point; `None` when it falls at infinity.
    #[inline]
    pub fn map(&self, x: f64, y: f64) -> Option<(f64, f64)> {
        let d = self.a13 * x + self.a23 * y + self.a33;
        if d.abs() < 1e-12 {
            return None;
        }
        let px = (self.a11 * x + self.a21 * y + self.a31) / d;
        let py = (self.a12 * x + self.a22 * y + self.a32) / d;
        (px.is_finite() && py.is_finite()).then_some((px, py))
    }
}
