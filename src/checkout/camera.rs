//! Which camera to open, how its failures are named, and the square of each frame that is read.

use serde::{Deserialize, Serialize};

/// A video input as `enumerateDevices()` reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CameraDevice {
    #[serde(rename = "deviceId")]
    pub device_id: String,
    pub label: String,
}

const BACK_WORDS: &[&str] = &["back", "rear", "environment", "arrière", "arriere", "后", "後", "背面", "rück", "trasera", "traseira"];
const FRONT_WORDS: &[&str] = &["front", "user", "avant", "前", "facetime", "selfie"];
/// Lenses that are bad at reading a code held at hand distance: ultra-wide (0.5×, blurry close
/// up on many phones), telephoto (cannot focus close), depth / infrared sensors, and the iOS
/// virtual multi-lens cameras that may hop to the ultra-wide.
const AVOID_WORDS: &[&str] = &[
    "ultra", "wide", "0.5", "0,5", "grand-angle", "grand angle", "广角", "廣角", "広角", "tele", "长焦", "長焦", "望遠",
    "depth", "infrared", " ir ", "dual", "triple", "macro",
];

fn is_back(label: &str) -> bool {
    let l = label.to_lowercase();
    BACK_WORDS.iter().any(|w| l.contains(w))
}

fn is_front(label: &str) -> bool {
    let l = label.to_lowercase();
    FRONT_WORDS.iter().any(|w| l.contains(w))
}

fn avoid_score(label: &str) -> usize {
    let l = format!(" {} ", label.to_lowercase());
    AVOID_WORDS.iter().filter(|w| l.contains(*w)).count()
}

/// Pick the back camera to open when a phone has several (labels are only known once the camera
/// permission is granted): the first back camera whose label names no ultra-wide / telephoto /
/// multi-lens, else the one with the fewest such words. `None` = keep `facingMode: environment`.
pub fn preferred_camera(devices: &[CameraDevice]) -> Option<&str> {
    let back: Vec<&CameraDevice> = devices.iter().filter(|d| is_back(&d.label) && !is_front(&d.label)).collect();
    if back.len() < 2 {
        return None;
    }
    back.iter().min_by_key(|d| avoid_score(&d.label)).map(|d| d.device_id.as_str())
}

/// Whether a device label says it faces the shopper (the preview is then mirrored).
pub fn faces_user(label: &str) -> bool {
    is_front(label) && !is_back(label)
}

/// Camera start failures, from the `DOMException` name of `getUserMedia`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CameraError {
    Denied,
    NoCamera,
    InUse,
    Insecure,
    Other,
}

impl CameraError {
    /// Map a `DOMException.name`.
    pub fn from_dom_name(name: &str) -> Self {
        match name {
            "NotAllowedError" | "PermissionDeniedError" | "SecurityError" => Self::Denied,
            "NotFoundError" | "DevicesNotFoundError" | "OverconstrainedError" | "ConstraintNotSatisfiedError" => Self::NoCamera,
            "NotReadableError" | "TrackStartError" | "AbortError" => Self::InUse,
            _ => Self::Other,
        }
    }

    /// The `code` of the `interpay:error` event.
    pub fn code(self) -> &'static str {
        match self {
            Self::Denied => "camera_denied",
            Self::NoCamera => "no_camera",
            Self::InUse => "camera_in_use",
            Self::Insecure => "insecure_context",
            Self::Other => "camera_error",
        }
    }
}

/// The scan square (x, y, side) in a `w`×`h` frame: `fraction` of the shorter side, centred.
pub fn scan_square(w: u32, h: u32, fraction: f64) -> (u32, u32, u32) {
    let f = if fraction.is_finite() { fraction.clamp(0.2, 1.0) } else { 0.7 };
    let side = ((w.min(h) as f64) * f).round() as u32;
    let side = side.max(1).min(w.min(h).max(1));
    (w.saturating_sub(side) / 2, h.saturating_sub(side) / 2, side)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cams(labels: &[&str]) -> Vec<CameraDevice> {
        labels.iter().enumerate().map(|(i, l)| CameraDevice { device_id: format!("id{i}"), label: l.to_string() }).collect()
    }

    #[test]
    fn camera_choice_avoids_the_ultra_wide() {
        // iPhone Pro.
        let c = cams(&["Front Camera", "Back Ultra Wide Camera", "Back Triple Camera", "Back Dual Wide Camera", "Back Camera", "Back Telephoto Camera"]);
        assert_eq!(preferred_camera(&c), Some("id4"));
        // Android: camera2 0 is the main back camera, 2 the ultra-wide.
        let c = cams(&["camera2 1, facing front", "camera2 0, facing back", "camera2 2, facing back"]);
        assert_eq!(preferred_camera(&c), Some("id1"));
        let c = cams(&["camera2 2 (ultra wide), facing back", "camera2 0, facing back"]);
        assert_eq!(preferred_camera(&c), Some("id1"));
        // Localised iOS labels.
        let c = cams(&["后置超广角相机", "后置相机", "前置相机"]);
        assert_eq!(preferred_camera(&c), Some("id1"));
        let c = cams(&["Caméra ultra grand-angle arrière", "Caméra arrière"]);
        assert_eq!(preferred_camera(&c), Some("id1"));
        // One back camera, no labels (no permission yet), laptops: let facingMode decide.
        assert_eq!(preferred_camera(&cams(&["Front Camera", "Back Camera"])), None);
        assert_eq!(preferred_camera(&cams(&["", ""])), None);
        assert_eq!(preferred_camera(&cams(&["Integrated Webcam", "USB Camera"])), None);
        assert!(faces_user("Front Camera"));
        assert!(!faces_user("Back Camera"));
    }

    #[test]
    fn camera_errors_and_scan_square() {
        assert_eq!(CameraError::from_dom_name("NotAllowedError"), CameraError::Denied);
        assert_eq!(CameraError::from_dom_name("NotFoundError"), CameraError::NoCamera);
        assert_eq!(CameraError::from_dom_name("NotReadableError"), CameraError::InUse);
        assert_eq!(CameraError::from_dom_name("TrackStartError"), CameraError::InUse);
        assert_eq!(CameraError::from_dom_name("Weird"), CameraError::Other);
        assert_eq!(CameraError::Insecure.code(), "insecure_context");
        assert_eq!(scan_square(640, 480, 0.7), (152, 72, 336));
        assert_eq!(scan_square(480, 640, 1.0), (0, 80, 480));
        assert_eq!(scan_square(640, 480, f64::NAN), (152, 72, 336));
        assert_eq!(scan_square(0, 0, 0.7), (0, 0, 1));
    }
}
