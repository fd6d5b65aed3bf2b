//! A state directory on a small tmpfs (the tests run as root, in CI too), to fill up or make
//! read-only as a real disk would be. Where mounting is refused, each test says so loudly and
//! falls back to a narrower fault.

use std::path::PathBuf;

/// A state directory on a 64 KiB tmpfs that the test can fill, or, where mounting is refused,
/// an ordinary directory where the session saves of process `pid` fail (said loudly: that
/// fault is narrower than a full disk).
pub struct SmallDisk {
    pub dir: PathBuf,
    pub mounted: bool,
}

impl SmallDisk {
    pub fn new(dir: PathBuf) -> Self {
        std::fs::create_dir_all(&dir).expect("mount point");
        let mount = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=64k,mode=0700", "tmpfs"])
            .arg(&dir)
            .output();
        let mounted = match mount {
            Ok(output) if output.status.success() => true,
            Ok(output) => {
                eprintln!(
                    "WARNING: cannot mount a tmpfs ({}); failing session saves stand in for a full disk",
                    String::from_utf8_lossy(&output.stderr).trim()
                );
                false
            }
            Err(err) => {
                eprintln!(
                    "WARNING: cannot run mount ({err}); failing session saves stand in for a full disk"
                );
                false
            }
        };
        Self { dir, mounted }
    }

    /// Fills the disk (or breaks the saves of process `pid`).
    pub fn fill(&self, pid: u32) {
        if self.mounted {
            use std::io::Write;
            let mut filler = std::fs::File::create(self.dir.join("filler")).expect("filler");
            while filler.write_all(&[0; 4096]).is_ok() {}
            let _ = filler.write_all(&[0; 1]);
        } else {
            // A directory where the process writes its new session: every save fails.
            std::fs::create_dir(self.dir.join(format!(".session.json.{pid}.tmp"))).expect("in the way");
        }
    }

    pub fn free(&self, pid: u32) {
        let _ = std::fs::remove_file(self.dir.join("filler"));
        let _ = std::fs::remove_dir(self.dir.join(format!(".session.json.{pid}.tmp")));
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        if self.mounted {
            let _ = std::process::Command::new("umount").arg("-l").arg(&self.dir).status();
        }
    }
}

impl SmallDisk {
    /// Copies the session and the hardware id from `state`.
    pub fn copy_state_from(&self, state: &std::path::Path) {
        for name in ["session.json", "hardware_id"] {
            std::fs::copy(state.join(name), self.dir.join(name)).expect("copy the state");
        }
    }

    /// Makes the mounted file system read-only; false (said loudly) where it is not mounted.
    pub fn read_only(&self) -> bool {
        if !self.mounted {
            eprintln!("WARNING: no tmpfs mounted; the state directory cannot be made read-only");
            return false;
        }
        let remount = std::process::Command::new("mount")
            .args(["-o", "remount,ro"])
            .arg(&self.dir)
            .status()
            .is_ok_and(|status| status.success());
        if !remount {
            eprintln!("WARNING: cannot remount the tmpfs read-only");
        }
        remount
    }
}
