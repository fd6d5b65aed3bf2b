//! Encodes of pictures for the terminal, coalesced per picture. A resize storm asks for many
//! sizes in quick succession and only the newest matters: per picture one encode runs and at
//! most one size waits (the newest asked for, replacing any older waiting one); what comes back
//! for a size nobody wants any more is dropped.

use std::collections::HashMap;

/// An area in cells.
pub type Cells = (u16, u16);

#[derive(Debug, Default)]
pub struct Encodes {
    jobs: HashMap<String, Job>,
    started: u64,
}

#[derive(Debug, Clone, Copy)]
struct Job {
    running: Cells,
    waiting: Option<Cells>,
}

/// What to do with an encode that came back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Finished {
    /// Its size is still the newest asked for: keep the result.
    pub keep: bool,
    /// Start encoding this size now.
    pub next: Option<Cells>,
}

impl Encodes {
    /// Asks for `key` at `size`: true when its encode is to start now, false when it waits
    /// for the one running (or is that one).
    pub fn request(&mut self, key: &str, size: Cells) -> bool {
        match self.jobs.get_mut(key) {
            Some(job) => {
                job.waiting = (job.running != size).then_some(size);
                false
            }
            None => {
                self.jobs.insert(key.to_owned(), Job { running: size, waiting: None });
                self.started += 1;
                true
            }
        }
    }

    /// The encode of `key` at `size` came back.
    pub fn finish(&mut self, key: &str, size: Cells) -> Finished {
        let stale = Finished { keep: false, next: None };
        // Not asked for (forgotten since), or from an older job of the same picture.
        let Some(job) = self.jobs.get_mut(key) else { return stale };
        if job.running != size {
            return stale;
        }
        match job.waiting.take() {
            Some(next) => {
                job.running = next;
                self.started += 1;
                Finished { keep: false, next: Some(next) }
            }
            None => {
                self.jobs.remove(key);
                Finished { keep: true, next: None }
            }
        }
    }

    /// Encodes running now (one per picture at most).
    pub fn running(&self) -> usize {
        self.jobs.len()
    }

    /// Whether `key` at `size` is running or waiting to.
    pub fn wants(&self, key: &str, size: Cells) -> bool {
        self.jobs.get(key).is_some_and(|job| job.waiting.unwrap_or(job.running) == size)
    }

    /// The size being encoded for `key`, and the one waiting, if any.
    pub fn job(&self, key: &str) -> Option<(Cells, Option<Cells>)> {
        self.jobs.get(key).map(|job| (job.running, job.waiting))
    }

    /// How many encodes were started, ever (what a resize storm costs).
    pub fn started(&self) -> u64 {
        self.started
    }

    pub fn busy(&self) -> bool {
        !self.jobs.is_empty()
    }

    /// Forgets the job of `key`: what it brings back is dropped.
    pub fn forget(&mut self, key: &str) {
        self.jobs.remove(key);
    }

    /// Forgets every job: whatever they bring back is dropped.
    pub fn clear(&mut self) {
        self.jobs.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_resize_storm_runs_one_encode_and_keeps_only_the_newest_waiting() {
        let mut encodes = Encodes::default();
        assert!(encodes.request("/a", (40, 12)));
        for width in 41..60 {
            assert!(!encodes.request("/a", (width, 12)), "one encode in flight per picture");
        }
        assert_eq!(encodes.job("/a"), Some(((40, 12), Some((59, 12)))));
        assert!(!encodes.wants("/a", (41, 12)), "older waiting sizes are dropped");
        // The first comes back superseded: dropped, and the newest starts.
        assert_eq!(encodes.finish("/a", (40, 12)), Finished { keep: false, next: Some((59, 12)) });
        assert_eq!(encodes.finish("/a", (59, 12)), Finished { keep: true, next: None });
        assert_eq!(encodes.started(), 2);
        assert!(!encodes.busy());
    }

    #[test]
    fn asking_again_for_the_running_size_cancels_the_waiting_one() {
        let mut encodes = Encodes::default();
        encodes.request("/a", (40, 12));
        encodes.request("/a", (20, 6));
        encodes.request("/a", (40, 12));
        assert_eq!(encodes.finish("/a", (40, 12)), Finished { keep: true, next: None });
        assert_eq!(encodes.started(), 1);
    }

    #[test]
    fn pictures_are_coalesced_apart() {
        let mut encodes = Encodes::default();
        assert!(encodes.request("/a", (40, 12)));
        assert!(encodes.request("/b", (40, 12)));
        assert!(encodes.wants("/b", (40, 12)) && !encodes.wants("/b", (20, 6)));
    }

    #[test]
    fn results_of_forgotten_or_older_jobs_are_dropped() {
        let mut encodes = Encodes::default();
        encodes.request("/a", (40, 12));
        encodes.clear();
        assert_eq!(encodes.finish("/a", (40, 12)), Finished { keep: false, next: None });
        encodes.request("/a", (20, 6));
        assert_eq!(encodes.finish("/a", (40, 12)), Finished { keep: false, next: None });
        assert!(encodes.wants("/a", (20, 6)), "the current job goes on");
    }
}
