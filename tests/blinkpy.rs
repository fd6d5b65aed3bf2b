//! The real blinkpy (from PyPI, in a venv under target/) against `blinktui sim`: see
//! tests/blinkpy/run.sh. Without Python 3 the script says why and this test passes.

use std::process::Command;

#[test]
fn blinkpy_runs_fully_against_the_simulator() {
    let output = Command::new("bash")
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/blinkpy/run.sh"))
        .arg(env!("CARGO_BIN_EXE_blinktui"))
        .output()
        .expect("bash runs the script");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}");
    eprintln!("{stderr}");
    assert!(output.status.success(), "blinkpy against the simulator failed:\n{stdout}\n{stderr}");
    if !stdout.starts_with("SKIP") {
        assert!(stdout.contains("blinkpy ran fully against the simulator"), "{stdout}");
    }
}
