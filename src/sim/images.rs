//! Placeholder until the renderer lands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SceneKind {
    Outdoor,
    Indoor,
    Doorstep,
}
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scene {
    pub kind: SceneKind,
    pub title: String,
    pub caption: String,
    pub seed: u64,
    pub night: bool,
}
pub const WIDTH: u32 = 384;
pub const HEIGHT: u32 = 216;
pub fn render_jpeg(scene: &Scene) -> Vec<u8> {
    let img = image::RgbImage::from_fn(WIDTH, HEIGHT, |x, y| {
        image::Rgb([
            (x as u64 ^ scene.seed) as u8,
            y as u8,
            if scene.night { 0 } else { 200 },
        ])
    });
    let mut out = Vec::new();
    let _ = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 80).encode_image(&img);
    out
}
