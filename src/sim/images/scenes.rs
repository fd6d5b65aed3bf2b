//! The three kinds of picture: outdoor (house, lawn, driveway), indoor (room) and doorstep.

use super::canvas::{Canvas, Color, Rng, mix, shade};
use super::{H, W};

pub(super) const TRIM: Color = 0xeceae2;
pub(super) const LAMP: Color = 0xffd68c;
pub(super) const GLASS: Color = 0x1c222c;
pub(super) const DAY_SKIES: [(Color, Color); 3] =
    [(0x3c78c8, 0xafd0eb), (0x6e96c3, 0xd7dee4), (0x465fa5, 0xf0b98c)];
pub(super) const LAWNS: [Color; 3] = [0x5c9640, 0x6ea046, 0x789650];
pub(super) const LEAVES: [Color; 3] = [0x346e30, 0x467828, 0x285a3c];
pub(super) const HOUSE_WALLS: [Color; 4] = [0xe1d7be, 0xbec8d2, 0xa5503c, 0xebdca0];
pub(super) const ROOFS: [Color; 3] = [0x46464b, 0x6e4632, 0x3c4b5f];
pub(super) const CAR_PAINTS: [Color; 5] = [0xb41e1e, 0x1e3c82, 0xbebec3, 0x1e1e23, 0xebebeb];
pub(super) const SKIN: [Color; 4] = [0xf1c8aa, 0xc8966e, 0x966446, 0x60402c];
pub(super) const HAIR: [Color; 4] = [0x281e19, 0x6e4628, 0xc8aa6e, 0x464646];
pub(super) const SHIRTS: [Color; 6] = [0xc83232, 0x325aaa, 0xf0be28, 0x3c8c5a, 0xe6e6e6, 0x783c8c];
pub(super) const TROUSERS: [Color; 3] = [0x32466e, 0x28282d, 0xaa966e];
pub(super) const ROOM_WALLS: [Color; 4] = [0xc8d2be, 0xe1d2b9, 0xcdcdd2, 0xafc3d7];
pub(super) const WOOD: [Color; 3] = [0xaa784b, 0x8c5f3c, 0xc8a578];
pub(super) const FABRICS: [Color; 4] = [0x5a6478, 0x82503c, 0x506e5a, 0x968c82];
pub(super) const DOORS: [Color; 5] = [0x961e23, 0x1e325a, 0x285a3c, 0x232326, 0x785032];
pub(super) const SIDINGS: [Color; 4] = [0xd7d7cd, 0xaabec8, 0xc8b496, 0x96a096];
pub(super) const BOARDS: [Color; 3] = [0xa07850, 0xb4afa5, 0x786455];
/// `place` draws what stays where it is (the camera's view), `moment` what comes and goes.
pub(super) fn draw_outdoor(c: &mut Canvas, place: &mut Rng, moment: &mut Rng) {
    let rng = place;
    let horizon = rng.range(90.0, 104.0);
    let (sky_top, sky_low) = c.day_night(rng.pick(&DAY_SKIES), (0x060a1e, 0x1e2842));
    c.gradient(0.0, horizon + 1.0, sky_top, sky_low);
    let (sun_x, sun_y) = (moment.range(24.0, W - 24.0), moment.range(16.0, horizon - 34.0));
    let (glow, disc, radius) = c.day_night((0xfff5c8, 0xfff0aa, 11.0), (0x46506e, 0xebebd7, 9.0));
    c.ellipse(sun_x, sun_y, radius * 2.4, radius * 2.4, glow, 0.3);
    c.ellipse(sun_x, sun_y, radius, radius, disc, 1.0);
    let (cloud, hills) = c.day_night((0xfafafc, 0x3c6046), (0x3c4256, 0x141e1e));
    for _ in 0..moment.pick(&[0, 1, 2, 3]) {
        let (x, y) = (moment.range(0.0, W), moment.range(14.0, horizon - 30.0));
        for puff in 0..4 {
            let (dx, lift) = (puff as f32 * 12.0 - 18.0, (puff % 2) as f32 * 5.0);
            c.ellipse(x + dx, y - lift, 15.0, 9.0, cloud, 1.0);
        }
    }
    // A line of distant trees along the horizon.
    for i in 0..15 {
        let (x, tint) = (i as f32 * 28.0 + rng.range(-8.0, 8.0), rng.range(0.85, 1.1));
        let (rx, ry) = (rng.range(16.0, 28.0), rng.range(6.0, 15.0));
        c.ellipse(x, horizon + 2.0, rx, ry, shade(hills, tint), 1.0);
    }
    let lawn = c.day_night(rng.pick(&LAWNS), 0x284628);
    c.gradient(horizon, H, mix(lawn, sky_low, 0.3), shade(lawn, 0.78));
    // Mowing stripes converge on the horizon, which gives the lawn depth.
    let stripe = shade(lawn, 1.05);
    for i in -6..7 {
        let (far, near) = (W / 2.0 + i as f32 * 30.0, W / 2.0 + i as f32 * 110.0);
        c.trapezoid((horizon + 6.0, far, far + 15.0), (H, near, near + 55.0), stripe);
    }
    let (house_x, base) = (rng.range(30.0, 150.0), horizon + rng.range(16.0, 24.0));
    draw_house(c, rng, house_x, base);
    let tree_base = base + rng.range(6.0, 40.0);
    let tree_height = ((tree_base - horizon) * 2.0 + 40.0).min(150.0);
    let tree_x = house_x + if house_x > 120.0 { -60.0 } else { 250.0 } + rng.range(-10.0, 30.0);
    draw_tree(c, rng, tree_x, tree_base, tree_height);
    if moment.chance(0.5) {
        let car_base = base + moment.range(30.0, 60.0);
        let car_x = house_x + 155.0 + (car_base - base) * 0.5;
        draw_car(c, moment, car_x, car_base, 40.0 + (car_base - base) * 0.9);
    }
    if moment.chance(0.6) {
        let (x, feet) = (moment.range(20.0, W - 20.0), moment.range(base + 20.0, H - 8.0));
        draw_person(c, moment, x, feet, (feet - horizon) * 1.2);
    }
}

/// A house with an attached garage, from its bottom-left corner, with the paths leading to it.
pub(super) fn draw_house(c: &mut Canvas, rng: &mut Rng, left: f32, base: f32) {
    let (wall, roof) = (rng.pick(&HOUSE_WALLS), rng.pick(&ROOFS));
    let (paving, front) = (c.day_night(0xaaa59b, 0x464646), H - base);
    c.at(left, base, 1.0);
    c.trapezoid((0.0, 128.0, 182.0), (front, 108.0, 262.0), paving);
    c.trapezoid((0.0, 50.0, 68.0), (front, 36.0, 90.0), shade(paving, 1.1));
    c.rect(0.0, -50.0, 118.0, 0.0, wall);
    c.trapezoid((-84.0, 59.0, 59.0), (-48.0, -8.0, 126.0), roof);
    c.rect(118.0, -36.0, 192.0, 0.0, shade(wall, 0.9));
    c.trapezoid((-48.0, 118.0, 198.0), (-34.0, 118.0, 198.0), shade(roof, 0.9));
    for panel in 0..5 {
        let y = panel as f32 * 6.0 - 28.0;
        c.rect(128.0, y, 182.0, y + 6.0, [0xc8c8c6, 0xb4b4b2][panel % 2]);
    }
    for x in [12.0, 84.0] {
        let glass = c.day_night(0x7896aa, if rng.chance(0.6) { LAMP } else { GLASS });
        draw_window(c, x, -38.0, 22.0, 20.0, glass);
    }
    c.rect(48.0, -34.0, 70.0, 0.0, TRIM);
    c.rect(50.0, -32.0, 68.0, 0.0, shade(roof, 1.3));
}

/// A window with trim and glazing bars, in the current local frame.
pub(super) fn draw_window(c: &mut Canvas, x: f32, y: f32, width: f32, height: f32, glass: Color) {
    let (mid_x, mid_y) = (x + width / 2.0, y + height / 2.0);
    c.rect(x - 3.0, y - 3.0, x + width + 3.0, y + height + 3.0, TRIM);
    c.rect(x, y, x + width, y + height, glass);
    c.rect(x, mid_y, x + width, y + height, shade(glass, 0.9));
    c.rect(mid_x - 1.0, y, mid_x + 1.0, y + height, TRIM);
    c.rect(x, mid_y - 1.0, x + width, mid_y + 1.0, TRIM);
}

pub(super) fn draw_tree(c: &mut Canvas, rng: &mut Rng, x: f32, base: f32, height: f32) {
    let leaves = rng.pick(&LEAVES);
    c.at(x, base, height / 100.0);
    c.ellipse(10.0, 0.0, 35.0, 6.0, 0, 0.25);
    c.rect(-5.0, -55.0, 5.0, 0.0, 0x5a3e28);
    for _ in 0..6 {
        let (dx, dy) = (rng.range(-22.0, 22.0), rng.range(-14.0, 12.0));
        c.ellipse(dx, dy - 68.0, 24.0, 20.0, leaves, 1.0);
    }
    // Sunlit clumps on the upper left.
    for _ in 0..4 {
        let (dx, dy) = (rng.range(-20.0, 5.0), rng.range(-22.0, 0.0));
        c.ellipse(dx, dy - 70.0, 12.0, 10.0, shade(leaves, 1.2), 1.0);
    }
}

/// A car seen from behind, from the middle of its bottom edge.
pub(super) fn draw_car(c: &mut Canvas, rng: &mut Rng, x: f32, base: f32, width: f32) {
    let (paint, lights) = (rng.pick(&CAR_PAINTS), c.day_night(0xc81e1e, 0xff503c));
    c.at(x, base, width / 100.0);
    c.ellipse(0.0, -4.0, 55.0, 7.0, 0, 0.4);
    c.trapezoid((-56.0, -30.0, 30.0), (-35.0, -40.0, 40.0), paint);
    c.trapezoid((-53.0, -27.0, 27.0), (-36.0, -35.0, 35.0), GLASS);
    c.rect(-50.0, -36.0, 50.0, -8.0, paint);
    c.rect(-50.0, -13.0, 50.0, -8.0, shade(paint, 0.7));
    c.rect(-12.0, -24.0, 12.0, -16.0, TRIM);
    for side in [-1.0, 1.0] {
        c.rect(side * 40.0 - 7.0, -8.0, side * 40.0 + 7.0, 0.0, 0x141414);
        c.rect(side * 36.0 - 10.0, -32.0, side * 36.0 + 10.0, -25.0, lights);
    }
}

/// A standing visitor, from between their feet; `height` in canvas pixels.
pub(super) fn draw_person(c: &mut Canvas, rng: &mut Rng, x: f32, feet: f32, height: f32) {
    let (skin, hair) = (rng.pick(&SKIN), rng.pick(&HAIR));
    let (shirt, trousers) = (rng.pick(&SHIRTS), rng.pick(&TROUSERS));
    c.at(x, feet, height / 100.0);
    c.ellipse(0.0, 0.0, 16.0, 3.5, 0, 0.3);
    for side in [-1.0, 1.0] {
        let (leg, arm) = (side * 5.5, side * 16.0);
        c.rect(leg - 4.5, -44.0, leg + 4.5, -2.0, trousers);
        c.rect(leg - 5.0, -3.0, leg + 5.0, 0.0, 0x1e1e1e);
        c.rect(arm - 3.5, -79.0, arm + 3.5, -44.0, shade(shirt, 0.85));
        c.ellipse(arm, -42.0, 3.5, 4.0, skin, 1.0);
    }
    c.trapezoid((-80.0, -14.0, 14.0), (-42.0, -11.0, 11.0), shirt);
    c.ellipse(0.0, -78.0, 14.0, 5.0, shirt, 1.0);
    c.rect(-3.0, -86.0, 3.0, -80.0, shade(skin, 0.9));
    c.ellipse(0.0, -93.0, 8.0, 9.5, skin, 1.0);
    c.ellipse(0.0, -98.0, 8.5, 5.5, hair, 1.0);
}

/// Someone walking past, seen from the side, from between their feet; `stride` is the phase of
/// their step in turns, so consecutive frames swing the legs and arms.
pub(super) fn draw_walker(c: &mut Canvas, rng: &mut Rng, x: f32, feet: f32, height: f32, stride: f32) {
    let (skin, hair) = (rng.pick(&SKIN), rng.pick(&HAIR));
    let (shirt, trousers) = (rng.pick(&SHIRTS), rng.pick(&TROUSERS));
    let swing = (stride * std::f32::consts::TAU).sin();
    c.at(x, feet - swing.abs() * 1.5, height / 100.0);
    c.ellipse(0.0, 1.5, 14.0, 3.0, 0, 0.3);
    // Far leg and arm first, darker; then the near ones over the body.
    for (side, tone) in [(-1.0, 0.75), (1.0, 1.0)] {
        let step = side * swing * 9.0;
        c.trapezoid((-44.0, -4.5, 4.5), (-2.0, step - 4.5, step + 4.5), shade(trousers, tone));
        c.rect(step - 5.0, -3.0, step + 7.0, 0.0, 0x1e1e1e);
        if side < 0.0 {
            c.trapezoid((-78.0, -3.5, 3.5), (-46.0, -step - 3.5, -step + 3.5), shade(shirt, 0.7));
        }
    }
    c.trapezoid((-80.0, -11.0, 11.0), (-42.0, -9.0, 9.0), shirt);
    let arm = -swing * 8.0;
    c.trapezoid((-78.0, -3.5, 3.5), (-46.0, arm - 3.5, arm + 3.5), shade(shirt, 0.9));
    c.ellipse(arm, -44.0, 3.5, 4.0, skin, 1.0);
    c.rect(-3.0, -86.0, 3.0, -80.0, shade(skin, 0.9));
    c.ellipse(1.5, -93.0, 8.0, 9.5, skin, 1.0);
    c.ellipse(-1.0, -98.0, 8.5, 5.5, hair, 1.0);
}

pub(super) fn draw_indoor(c: &mut Canvas, place: &mut Rng, moment: &mut Rng) {
    let rng = place;
    let (wall, wood, fabric) = (rng.pick(&ROOM_WALLS), rng.pick(&WOOD), rng.pick(&FABRICS));
    let (left, right) = (rng.range(50.0, 90.0), rng.range(294.0, 334.0));
    let floor = rng.range(128.0, 142.0);
    c.rect(0.0, 0.0, W, H, shade(wall, 0.82));
    c.trapezoid((0.0, 0.0, W), (24.0, left, right), shade(wall, 1.12));
    c.rect(left, 24.0, right, floor, wall);
    c.trapezoid((floor, left, right), (H, 0.0, W), wood);
    // Floorboards converge on the back wall.
    let gap = shade(wood, 0.8);
    for board in 0..=12 {
        let t = board as f32 / 12.0;
        let (back, front) = (left + (right - left) * t, (W + 120.0) * t - 60.0);
        c.trapezoid((floor, back, back + 0.6), (H, front, front + 1.5), gap);
    }
    c.rect(left, floor - 4.0, right, floor, TRIM);
    // Window with curtains on one side of the back wall, a framed picture on the other.
    let (window_x, art_x) = rng.pick(&[(left + 16.0, right - 70.0), (right - 86.0, left + 26.0)]);
    c.rect(window_x - 14.0, 32.0, window_x + 84.0, 106.0, shade(fabric, 1.2));
    draw_window(c, window_x, 40.0, 70.0, 52.0, c.day_night(0x96c3eb, 0x141a30));
    c.at(art_x, 44.0, 1.0);
    c.rect(0.0, 0.0, 40.0, 30.0, 0x3c2d23);
    c.rect(3.0, 3.0, 37.0, 27.0, rng.pick(&SHIRTS));
    c.trapezoid((12.0, 26.0, 26.0), (27.0, 14.0, 37.0), 0x467850);
    c.at(0.0, 0.0, 1.0);
    c.ellipse(W / 2.0, floor + 48.0, 120.0, 26.0, shade(fabric, 0.7), 1.0);
    let sofa_x = rng.range(left + 10.0, right - 150.0);
    draw_furniture(c, rng, sofa_x, floor);
    if moment.chance(0.5) {
        let (x, feet) = (moment.range(30.0, W - 30.0), moment.range(floor + 30.0, H - 6.0));
        draw_person(c, moment, x, feet, (feet - floor) * 1.5 + 70.0);
    }
}

/// Sofa against the back wall, coffee table in front, floor lamp beside; the lamp is lit at night.
pub(super) fn draw_furniture(c: &mut Canvas, rng: &mut Rng, sofa_x: f32, floor: f32) {
    let (sofa, wood) = (rng.pick(&FABRICS), rng.pick(&WOOD));
    c.at(sofa_x + 70.0, floor, 1.0);
    c.rect(-66.0, 26.0, 66.0, 30.0, 0x322823);
    c.rect(-70.0, -30.0, 70.0, 22.0, shade(sofa, 0.9));
    c.rect(-70.0, 8.0, 70.0, 26.0, sofa);
    let (seam, arm) = (shade(sofa, 0.7), shade(sofa, 1.1));
    for side in [-1.0, 1.0] {
        c.rect(side * 23.0 - 1.0, -26.0, side * 23.0 + 1.0, 20.0, seam);
        c.rect(side * 70.0 - 8.0, -14.0, side * 70.0 + 8.0, 26.0, arm);
    }
    c.at(W / 2.0, floor + 50.0, 1.0);
    c.rect(-52.0, 8.0, 52.0, 28.0, shade(wood, 0.55));
    c.rect(-46.0, 10.0, 46.0, 28.0, shade(wood, 0.3));
    c.trapezoid((0.0, -50.0, 50.0), (10.0, -58.0, 58.0), shade(wood, 0.75));
    let lamp_x = sofa_x + if sofa_x > 120.0 { -24.0 } else { 168.0 };
    c.at(lamp_x, floor, 1.0);
    c.rect(-1.5, -40.0, 1.5, 24.0, 0x282828);
    c.ellipse(0.0, 24.0, 9.0, 3.0, 0x282828, 1.0);
    draw_glow(c, 0.0, -48.0, 44.0);
    let lampshade = c.day_night(0xebe1c8, LAMP);
    c.trapezoid((-60.0, -8.0, 8.0), (-40.0, -14.0, 14.0), lampshade);
}

pub(super) fn draw_doorstep(c: &mut Canvas, place: &mut Rng, moment: &mut Rng) {
    let rng = place;
    let (siding, boards, door) = (rng.pick(&SIDINGS), rng.pick(&BOARDS), rng.pick(&DOORS));
    c.rect(0.0, 0.0, W, 140.0, siding);
    for board in 0..16 {
        let y = board as f32 * 9.0 + 4.0;
        c.rect(0.0, y, W, y + 1.0, shade(siding, 0.82));
    }
    c.rect(0.0, 140.0, W, 172.0, boards);
    c.rect(0.0, 172.0, W, H, c.day_night(0x5a7846, 0x1e2d1e));
    // The rest is placed relative to the door's bottom-left corner on the porch floor.
    c.at(rng.range(140.0, 220.0), 140.0, 1.0);
    c.rect(-8.0, -122.0, 80.0, 0.0, TRIM);
    c.rect(0.0, -114.0, 72.0, 0.0, door);
    for (x, y) in [(8.0, -92.0), (40.0, -92.0), (8.0, -46.0), (40.0, -46.0)] {
        c.rect(x, y, x + 24.0, y + 38.0, shade(door, 0.8));
        c.rect(x + 2.0, y + 2.0, x + 22.0, y + 36.0, shade(door, 1.08));
    }
    draw_window(c, 10.0, -108.0, 52.0, 10.0, c.day_night(0x8caabe, LAMP));
    c.ellipse(62.0, -50.0, 3.5, 3.5, 0xd2aa3c, 1.0);
    draw_glow(c, -26.0, -80.0, 48.0);
    c.rect(-33.0, -92.0, -19.0, -70.0, 0x1e1e1e);
    c.rect(-31.0, -89.0, -21.0, -72.0, c.day_night(0xe6dcb4, 0xffffff));
    c.trapezoid((6.0, -4.0, 76.0), (24.0, -12.0, 84.0), 0x5a4632);
    // Steps widen towards the camera; a hedge lines the porch on either side of them.
    for step in 0..3 {
        let (y, half) = (32.0 + step as f32 * 15.0, 60.0 + step as f32 * 12.0);
        c.rect(36.0 - half, y, 36.0 + half, y + 4.0, shade(boards, 1.1));
        c.rect(36.0 - half, y + 4.0, 36.0 + half, y + 15.0, shade(boards, 0.6));
    }
    for bush in (-12..12).filter(|bush: &i32| bush.abs() > 4) {
        let (x, leaves) = (36.0 + bush as f32 * 22.0, shade(0x3c6e37, rng.range(0.8, 1.15)));
        c.ellipse(x, 42.0, 16.0, 14.0, leaves, 1.0);
    }
    let plant_left = rng.chance(0.5);
    let (plant_x, box_x) = if plant_left { (-56.0, 96.0) } else { (128.0, -76.0) };
    draw_pot_plant(c, rng, plant_x);
    if moment.chance(0.5) {
        c.rect(box_x, -2.0, box_x + 40.0, 26.0, 0xb48c5a);
        c.rect(box_x, -2.0, box_x + 40.0, 4.0, 0xc8a06e);
        c.rect(box_x + 17.0, -2.0, box_x + 23.0, 26.0, 0xdcc8a0);
    }
    if moment.chance(0.6) {
        let (x, feet) = (moment.range(40.0, W - 40.0), moment.range(170.0, 200.0));
        let height = moment.range(150.0, 175.0);
        draw_person(c, moment, x, feet, height);
    }
}

/// Light spilling from a lamp at night, centred on local (x, y); nothing by day.
pub(super) fn draw_glow(c: &mut Canvas, x: f32, y: f32, radius: f32) {
    if c.infrared {
        c.ellipse(x, y, radius, radius * 0.9, LAMP, 0.12);
        c.ellipse(x, y, radius * 0.6, radius * 0.55, LAMP, 0.15);
    }
}

/// A potted shrub standing on the porch at local x, in the current local frame.
pub(super) fn draw_pot_plant(c: &mut Canvas, rng: &mut Rng, x: f32) {
    c.trapezoid((-14.0, x - 14.0, x + 14.0), (14.0, x - 10.0, x + 10.0), 0xaa5a3c);
    for (dx, dy) in [(-10.0, -24.0), (10.0, -24.0), (0.0, -34.0), (-4.0, -18.0)] {
        c.ellipse(x + dx, dy, 11.0, 10.0, shade(0x3c783c, rng.range(0.8, 1.2)), 1.0);
    }
}
