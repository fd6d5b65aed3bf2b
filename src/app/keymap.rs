//! Keys: what each key does, the defaults, remapping from the config file, and the help and
//! footer text generated from the same table so they never disagree with what keys do.

use std::collections::BTreeMap;
use std::fmt;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::Pane;
use crate::config::KeySpec;

/// Something a key can do. Kept apart from the commands Blink runs (see `CommandRun`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyCommand {
    Quit,
    Help,
    NextPane,
    PrevPane,
    FocusNetworks,
    FocusCameras,
    FocusPrograms,
    FocusEvents,
    Up,
    Down,
    Left,
    Right,
    Top,
    Bottom,
    PageUp,
    PageDown,
    Open,
    Back,
    Refresh,
    Filter,
    MessageLog,
    Arm,
    Disarm,
    ToggleMotion,
    Snapshot,
    RecordClip,
    ToggleProgram,
    PlayClip,
    OpenInPlayer,
    SaveClip,
    DeleteEvent,
    MarkEvent,
    MarkShown,
    MarkWatched,
    MarkAllWatched,
    UnwatchedOnly,
    Grid,
    // While a clip plays.
    PlayPause,
    SeekBack,
    SeekForward,
    FrameBack,
    FrameForward,
    NextClip,
    PrevClip,
    Faster,
    Slower,
    FullScreen,
    StopPlayback,
    Snooze,
    Settings,
    LiveView,
    Account,
}

/// Where a key applies. A key means one thing in each scope: a pane's keys may reuse another
/// pane's (Space marks events and switches programs), and while a clip plays its keys come
/// first; a global key means the same everywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    Global,
    Pane(Pane),
    Player,
}

/// Every command with its config name and a short description.
pub const COMMANDS: &[(KeyCommand, &str, &str)] = &[
    (KeyCommand::Quit, "quit", "quit"),
    (KeyCommand::Help, "help", "help"),
    (KeyCommand::NextPane, "next_pane", "next pane"),
    (KeyCommand::PrevPane, "prev_pane", "previous pane"),
    (KeyCommand::FocusNetworks, "focus_networks", "networks pane"),
    (KeyCommand::FocusCameras, "focus_cameras", "cameras pane"),
    (KeyCommand::FocusPrograms, "focus_programs", "programs pane"),
    (KeyCommand::FocusEvents, "focus_events", "events pane"),
    (KeyCommand::Up, "up", "move up"),
    (KeyCommand::Down, "down", "move down"),
    (KeyCommand::Top, "top", "first row"),
    (KeyCommand::Bottom, "bottom", "last row"),
    (KeyCommand::PageUp, "page_up", "page up"),
    (KeyCommand::PageDown, "page_down", "page down"),
    (KeyCommand::Open, "open", "details"),
    (KeyCommand::Back, "back", "close"),
    (KeyCommand::Refresh, "refresh", "refresh"),
    (KeyCommand::Filter, "filter", "filter"),
    (KeyCommand::MessageLog, "message_log", "messages"),
    (KeyCommand::Arm, "arm", "arm"),
    (KeyCommand::Disarm, "disarm", "disarm"),
    (KeyCommand::ToggleMotion, "toggle_motion", "motion on/off"),
    (KeyCommand::Snapshot, "snapshot", "snapshot"),
    (KeyCommand::RecordClip, "record_clip", "record clip"),
    (KeyCommand::ToggleProgram, "toggle_program", "enable/disable"),
    (KeyCommand::PlayClip, "play_clip", "play"),
    (KeyCommand::OpenInPlayer, "open_in_player", "external player"),
    (KeyCommand::SaveClip, "save_clip", "save"),
    (KeyCommand::DeleteEvent, "delete_event", "delete"),
    (KeyCommand::MarkEvent, "mark_event", "mark"),
    (KeyCommand::MarkShown, "mark_shown", "mark all shown"),
    (KeyCommand::MarkWatched, "mark_watched", "mark watched"),
    (KeyCommand::MarkAllWatched, "mark_all_watched", "all shown watched"),
    (KeyCommand::UnwatchedOnly, "unwatched_only", "unwatched only"),
    (KeyCommand::Grid, "grid", "thumbnails / list"),
    (KeyCommand::Left, "left", "move left (grid)"),
    (KeyCommand::Right, "right", "move right (grid)"),
    (KeyCommand::PlayPause, "play_pause", "pause/resume"),
    (KeyCommand::NextClip, "next_clip", "next event"),
    (KeyCommand::PrevClip, "prev_clip", "previous event"),
    (KeyCommand::Faster, "faster", "faster (to 4x)"),
    (KeyCommand::Slower, "slower", "slower (to 0.5x)"),
    (KeyCommand::FullScreen, "full_screen", "full screen / back"),
    (KeyCommand::SeekBack, "seek_back", "back 5 s"),
    (KeyCommand::SeekForward, "seek_forward", "forward 5 s"),
    (KeyCommand::FrameBack, "frame_back", "frame back"),
    (KeyCommand::FrameForward, "frame_forward", "frame forward"),
    (KeyCommand::StopPlayback, "stop_playback", "stop"),
    (KeyCommand::Snooze, "snooze", "snooze"),
    (KeyCommand::Settings, "settings", "camera settings"),
    (KeyCommand::LiveView, "live_view", "live view"),
    (KeyCommand::Account, "account", "account"),
];

const DEFAULTS: &[(KeyCommand, &[&str])] = &[
    (KeyCommand::Quit, &["q", "ctrl-c"]),
    (KeyCommand::Help, &["?"]),
    (KeyCommand::NextPane, &["tab"]),
    (KeyCommand::PrevPane, &["shift-tab"]),
    (KeyCommand::FocusNetworks, &["1"]),
    (KeyCommand::FocusCameras, &["2"]),
    (KeyCommand::FocusPrograms, &["3"]),
    (KeyCommand::FocusEvents, &["4"]),
    (KeyCommand::Up, &["k", "up"]),
    (KeyCommand::Down, &["j", "down"]),
    (KeyCommand::Left, &["h", "left"]),
    (KeyCommand::Right, &["l", "right"]),
    (KeyCommand::Top, &["g", "home"]),
    (KeyCommand::Bottom, &["G", "end"]),
    (KeyCommand::PageUp, &["pageup", "ctrl-u"]),
    (KeyCommand::PageDown, &["pagedown", "ctrl-d"]),
    (KeyCommand::Open, &["enter"]),
    (KeyCommand::Back, &["esc"]),
    (KeyCommand::Refresh, &["r"]),
    (KeyCommand::Filter, &["/"]),
    (KeyCommand::MessageLog, &["L"]),
    (KeyCommand::Arm, &["a"]),
    (KeyCommand::Disarm, &["d"]),
    (KeyCommand::ToggleMotion, &["m"]),
    (KeyCommand::Snapshot, &["s"]),
    (KeyCommand::RecordClip, &["c"]),
    (KeyCommand::ToggleProgram, &["e", "space"]),
    (KeyCommand::PlayClip, &["o"]),
    (KeyCommand::OpenInPlayer, &["O"]),
    (KeyCommand::SaveClip, &["S"]),
    (KeyCommand::DeleteEvent, &["x"]),
    (KeyCommand::MarkEvent, &["space"]),
    (KeyCommand::MarkShown, &["*"]),
    (KeyCommand::MarkWatched, &["w"]),
    (KeyCommand::MarkAllWatched, &["W"]),
    (KeyCommand::UnwatchedOnly, &["u"]),
    (KeyCommand::Grid, &["t"]),
    (KeyCommand::PlayPause, &["space"]),
    (KeyCommand::SeekBack, &["left"]),
    (KeyCommand::SeekForward, &["right"]),
    (KeyCommand::FrameBack, &[","]),
    (KeyCommand::FrameForward, &["."]),
    (KeyCommand::NextClip, &["j", "down", "n"]),
    (KeyCommand::PrevClip, &["k", "up", "p"]),
    (KeyCommand::Faster, &["]"]),
    (KeyCommand::Slower, &["["]),
    (KeyCommand::FullScreen, &["f"]),
    (KeyCommand::StopPlayback, &["esc", "q"]),
    (KeyCommand::Snooze, &["z"]),
    (KeyCommand::Settings, &["e"]),
    (KeyCommand::LiveView, &["v"]),
    (KeyCommand::Account, &["A"]),
];

impl KeyCommand {
    pub fn name(self) -> &'static str {
        COMMANDS.iter().find(|(c, _, _)| *c == self).map_or("?", |(_, name, _)| name)
    }

    pub fn description(self) -> &'static str {
        COMMANDS.iter().find(|(c, _, _)| *c == self).map_or("?", |(_, _, text)| text)
    }

    /// Sends something to Blink (refused in read-only mode).
    pub fn changes_blink(self) -> bool {
        matches!(
            self,
            Self::Arm
                | Self::Disarm
                | Self::ToggleMotion
                | Self::Snapshot
                | Self::RecordClip
                | Self::ToggleProgram
                | Self::DeleteEvent
                | Self::MarkWatched
                | Self::MarkAllWatched
                | Self::Snooze
        )
    }

    /// The pane a pane-specific command belongs to; `None` for global commands.
    pub fn pane(self) -> Option<Pane> {
        match self {
            Self::Arm | Self::Disarm => Some(Pane::Networks),
            Self::ToggleMotion | Self::Snapshot | Self::RecordClip | Self::Settings | Self::LiveView => {
                Some(Pane::Cameras)
            }
            Self::ToggleProgram => Some(Pane::Programs),
            Self::PlayClip
            | Self::OpenInPlayer
            | Self::SaveClip
            | Self::DeleteEvent
            | Self::MarkEvent
            | Self::MarkShown
            | Self::MarkWatched
            | Self::MarkAllWatched
            | Self::UnwatchedOnly
            | Self::Grid
            | Self::Left
            | Self::Right => Some(Pane::Events),
            _ => None,
        }
    }

    pub fn scope(self) -> Scope {
        match (self, self.pane()) {
            (
                Self::PlayPause
                | Self::SeekBack
                | Self::SeekForward
                | Self::FrameBack
                | Self::FrameForward
                | Self::NextClip
                | Self::PrevClip
                | Self::Faster
                | Self::Slower
                | Self::FullScreen
                | Self::StopPlayback,
                _,
            ) => Scope::Player,
            (_, Some(pane)) => Scope::Pane(pane),
            (_, None) => Scope::Global,
        }
    }
}

/// Whether one key in both scopes would be ambiguous: the same scope, or a pane's and the
/// global one (the player's keys come first and may reuse any).
fn scopes_clash(a: Scope, b: Scope) -> bool {
    a == b || matches!((a, b), (Scope::Global, Scope::Pane(_)) | (Scope::Pane(_), Scope::Global))
}

/// A key as written in the config: `a`, `G`, `ctrl-c`, `shift-tab`, `enter`, `f5`, `space`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyChord {
    code: ChordCode,
    ctrl: bool,
    alt: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum ChordCode {
    Char(char),
    Named(&'static str),
    F(u8),
}

const NAMED: &[(&str, KeyCode)] = &[
    ("enter", KeyCode::Enter),
    ("esc", KeyCode::Esc),
    ("tab", KeyCode::Tab),
    ("shift-tab", KeyCode::BackTab),
    ("backspace", KeyCode::Backspace),
    ("delete", KeyCode::Delete),
    ("insert", KeyCode::Insert),
    ("up", KeyCode::Up),
    ("down", KeyCode::Down),
    ("left", KeyCode::Left),
    ("right", KeyCode::Right),
    ("home", KeyCode::Home),
    ("end", KeyCode::End),
    ("pageup", KeyCode::PageUp),
    ("pagedown", KeyCode::PageDown),
];

impl KeyChord {
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut rest = text.trim();
        let (mut ctrl, mut alt) = (false, false);
        loop {
            let lower = rest.to_ascii_lowercase();
            if let Some(tail) = lower.strip_prefix("ctrl-").or_else(|| lower.strip_prefix("c-")) {
                rest = &rest[rest.len() - tail.len()..];
                ctrl = true;
            } else if let Some(tail) = lower.strip_prefix("alt-").or_else(|| lower.strip_prefix("m-")) {
                rest = &rest[rest.len() - tail.len()..];
                alt = true;
            } else {
                break;
            }
        }
        let lower = rest.to_ascii_lowercase();
        let code = if lower == "space" {
            ChordCode::Char(' ')
        } else if let Some((name, _)) = NAMED.iter().find(|(name, _)| {
            *name == lower
                || (*name == "pageup" && lower == "pgup")
                || (*name == "pagedown" && lower == "pgdn")
        }) {
            ChordCode::Named(name)
        } else if let Some(n) =
            lower.strip_prefix('f').and_then(|n| n.parse::<u8>().ok()).filter(|n| (1..=24).contains(n))
        {
            ChordCode::F(n)
        } else {
            let mut chars = rest.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) if !c.is_control() => {
                    ChordCode::Char(if ctrl { c.to_ascii_lowercase() } else { c })
                }
                _ => {
                    return Err(format!(
                        "unknown key {text:?} (examples: a, G, ctrl-c, shift-tab, enter, space, f5)"
                    ));
                }
            }
        };
        Ok(Self { code, ctrl, alt })
    }

    pub fn from_event(event: &KeyEvent) -> Option<Self> {
        if event.kind == KeyEventKind::Release {
            return None;
        }
        let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
        let alt = event.modifiers.contains(KeyModifiers::ALT);
        let code = match event.code {
            KeyCode::Char(c) => ChordCode::Char(if ctrl { c.to_ascii_lowercase() } else { c }),
            KeyCode::F(n) => ChordCode::F(n),
            other => ChordCode::Named(NAMED.iter().find(|(_, code)| *code == other)?.0),
        };
        Some(Self { code, ctrl, alt })
    }
}

impl fmt::Display for KeyChord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("ctrl-")?;
        }
        if self.alt {
            f.write_str("alt-")?;
        }
        match self.code {
            ChordCode::Char(' ') => f.write_str("space"),
            ChordCode::Char(c) => write!(f, "{c}"),
            ChordCode::Named(name) => f.write_str(name),
            ChordCode::F(n) => write!(f, "f{n}"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: BTreeMap<(Scope, KeyChord), KeyCommand>,
    /// Each command's keys in the order they were written, for labels.
    keys: BTreeMap<KeyCommand, Vec<KeyChord>>,
}

impl Default for Keymap {
    fn default() -> Self {
        Self::from_config(&BTreeMap::new())
            .unwrap_or_else(|_| Self { bindings: BTreeMap::new(), keys: BTreeMap::new() })
    }
}

impl Keymap {
    /// The defaults with the config's `[keys]` applied: a command named there gets exactly the
    /// keys listed (its default keys are dropped), and takes them from any default that had
    /// them; a key the config gives twice in one layer is an error.
    pub fn from_config(overrides: &BTreeMap<String, KeySpec>) -> Result<Self, String> {
        let mut table: BTreeMap<KeyCommand, Vec<KeyChord>> = BTreeMap::new();
        for (command, keys) in DEFAULTS {
            let chords = keys.iter().map(|k| KeyChord::parse(k)).collect::<Result<Vec<_>, _>>()?;
            table.insert(*command, chords);
        }
        for (name, spec) in overrides {
            let Some((command, _, _)) = COMMANDS.iter().find(|(_, n, _)| n == name) else {
                let known: Vec<&str> = COMMANDS.iter().map(|(_, n, _)| *n).collect();
                return Err(format!("[keys] has unknown action {name:?}; actions are: {}", known.join(", ")));
            };
            let chords = spec.keys().into_iter().map(KeyChord::parse).collect::<Result<Vec<_>, _>>()?;
            table.insert(*command, chords);
        }
        // A key the config gives one command leaves the defaults that would clash with it: a
        // config written before a default was added keeps working.
        let written: Vec<(KeyCommand, KeyChord)> = overrides
            .keys()
            .filter_map(|name| COMMANDS.iter().find(|(_, n, _)| n == name).map(|(c, _, _)| *c))
            .flat_map(|command| table[&command].iter().map(move |chord| (command, *chord)))
            .collect();
        for (command, chords) in table.iter_mut() {
            if overrides.contains_key(command.name()) {
                continue;
            }
            chords.retain(|chord| {
                !written
                    .iter()
                    .any(|(mine, taken)| taken == chord && scopes_clash(mine.scope(), command.scope()))
            });
        }
        let mut bindings: BTreeMap<(Scope, KeyChord), KeyCommand> = BTreeMap::new();
        let clash = |chord: KeyChord, a: KeyCommand, b: KeyCommand| {
            format!("[keys]: {chord} is bound to both {} and {}", a.name(), b.name())
        };
        for (command, chords) in &table {
            let command = *command;
            for chord in chords.iter().copied() {
                if let Some(previous) = bindings.insert((command.scope(), chord), command)
                    && previous != command
                {
                    return Err(clash(chord, previous, command));
                }
            }
        }
        // A pane's key that is also a global key would hide the global one in that pane.
        for ((scope, chord), command) in &bindings {
            if let (Scope::Pane(_), Some(global)) = (scope, bindings.get(&(Scope::Global, *chord))) {
                return Err(clash(*chord, *global, *command));
            }
        }
        Ok(Self { bindings, keys: table })
    }

    /// What a key does in `pane` (the player's keys first while a clip plays).
    pub fn command_for(&self, event: &KeyEvent, pane: Pane, playing: bool) -> Option<KeyCommand> {
        let chord = KeyChord::from_event(event)?;
        let player = playing.then(|| self.bindings.get(&(Scope::Player, chord))).flatten();
        player
            .or_else(|| self.bindings.get(&(Scope::Pane(pane), chord)))
            .or_else(|| self.bindings.get(&(Scope::Global, chord)))
            .copied()
    }

    /// What a key does in some other pane, for "works in the events pane".
    pub fn command_elsewhere(&self, event: &KeyEvent) -> Option<KeyCommand> {
        let chord = KeyChord::from_event(event)?;
        Pane::ALL.iter().find_map(|pane| self.bindings.get(&(Scope::Pane(*pane), chord))).copied()
    }

    pub fn keys_for(&self, command: KeyCommand) -> Vec<KeyChord> {
        self.keys.get(&command).cloned().unwrap_or_default()
    }

    /// The first key of a command, for footers and messages.
    pub fn key_label(&self, command: KeyCommand) -> String {
        self.keys_for(command).first().map_or_else(|| "unbound".to_owned(), ToString::to_string)
    }

    /// Help rows: keys and description for every command, grouped: global first, then per
    /// pane, then the player's.
    pub fn help_rows(&self) -> Vec<(HelpGroup, String, &'static str)> {
        let mut rows: Vec<_> = COMMANDS
            .iter()
            .map(|(command, _, text)| {
                let keys: Vec<String> = self.keys_for(*command).iter().map(ToString::to_string).collect();
                let group = match command.scope() {
                    Scope::Player => HelpGroup::Player,
                    Scope::Pane(pane) => HelpGroup::Pane(pane),
                    Scope::Global => HelpGroup::Everywhere,
                };
                (group, keys.join(" "), *text)
            })
            .collect();
        rows.sort_by_key(|(group, _, _)| *group);
        rows
    }
}

impl Keymap {
    /// How many lines each of the help screen's two columns has: global keys on the left,
    /// the panes' and the player's on the right, a title per section and a blank line between.
    pub fn help_column_lines(&self) -> [usize; 2] {
        let mut lines = [0, 0];
        let mut section = None;
        for (group, _, _) in self.help_rows() {
            let column = &mut lines[usize::from(group != HelpGroup::Everywhere)];
            if section != Some(group) {
                section = Some(group);
                *column += if *column == 0 { 1 } else { 2 };
                if group == HelpGroup::Player {
                    *column += PLAYER_NOTE_LINES;
                }
            }
            *column += 1;
        }
        lines
    }
}

/// Lines under the player's title in help, on what happens at a clip's end (autoplay).
pub const PLAYER_NOTE_LINES: usize = 2;

/// A section of the help screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum HelpGroup {
    Everywhere,
    Pane(Pane),
    Player,
}

impl HelpGroup {
    pub fn title(self) -> &'static str {
        match self {
            Self::Everywhere => "Everywhere",
            Self::Pane(pane) => pane.title(),
            Self::Player => "Playing a clip",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_readme_names_every_action_for_the_keys_table() {
        let readme = include_str!("../../README.md");
        let listed: String = readme
            .lines()
            .skip_while(|line| !line.starts_with("# actions:"))
            .take_while(|line| line.starts_with('#'))
            .collect::<Vec<_>>()
            .join(" ");
        let words: Vec<&str> = listed.split(|c: char| !(c.is_ascii_lowercase() || c == '_')).collect();
        let missing: Vec<&str> =
            COMMANDS.iter().map(|(_, name, _)| *name).filter(|name| !words.contains(name)).collect();
        assert!(missing.is_empty(), "README's [keys] comment misses {missing:?}");
    }

    fn key(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    /// What a key does with the networks pane focused and nothing playing.
    fn main(keymap: &Keymap, event: KeyEvent) -> Option<KeyCommand> {
        keymap.command_for(&event, Pane::Networks, false)
    }

    #[test]
    fn defaults_cover_the_documented_keys() {
        let keymap = Keymap::default();
        let cases = [
            (key(KeyCode::Char('q'), KeyModifiers::NONE), KeyCommand::Quit),
            (key(KeyCode::Char('c'), KeyModifiers::CONTROL), KeyCommand::Quit),
            (key(KeyCode::BackTab, KeyModifiers::SHIFT), KeyCommand::PrevPane),
            (key(KeyCode::Char('G'), KeyModifiers::SHIFT), KeyCommand::Bottom),
            (key(KeyCode::Char('a'), KeyModifiers::NONE), KeyCommand::Arm),
            (key(KeyCode::Down, KeyModifiers::NONE), KeyCommand::Down),
            (key(KeyCode::Char('4'), KeyModifiers::NONE), KeyCommand::FocusEvents),
            (key(KeyCode::Char('z'), KeyModifiers::NONE), KeyCommand::Snooze),
        ];
        for (event, command) in cases {
            assert_eq!(main(&keymap, event), Some(command), "{event:?}");
        }
        assert_eq!(main(&keymap, key(KeyCode::Char('v'), KeyModifiers::NONE)), None);
        let e = key(KeyCode::Char('e'), KeyModifiers::NONE);
        assert_eq!(keymap.command_for(&e, Pane::Cameras, false), Some(KeyCommand::Settings));
        let capital_s = key(KeyCode::Char('S'), KeyModifiers::SHIFT);
        assert_eq!(keymap.command_for(&capital_s, Pane::Events, false), Some(KeyCommand::SaveClip));
    }

    #[test]
    fn a_pane_key_means_one_thing_in_that_pane_and_is_found_from_elsewhere() {
        let keymap = Keymap::default();
        let space = key(KeyCode::Char(' '), KeyModifiers::NONE);
        assert_eq!(keymap.command_for(&space, Pane::Programs, false), Some(KeyCommand::ToggleProgram));
        assert_eq!(keymap.command_for(&space, Pane::Events, false), Some(KeyCommand::MarkEvent));
        assert_eq!(keymap.command_for(&space, Pane::Networks, false), None);
        let x = key(KeyCode::Char('x'), KeyModifiers::NONE);
        assert_eq!(keymap.command_for(&x, Pane::Networks, false), None);
        assert_eq!(keymap.command_elsewhere(&x), Some(KeyCommand::DeleteEvent));
    }

    #[test]
    fn config_replaces_a_commands_keys() {
        let overrides = BTreeMap::from([
            ("arm".to_owned(), KeySpec::One("ctrl-a".into())),
            ("quit".to_owned(), KeySpec::Many(vec!["ctrl-q".into(), "f10".into()])),
        ]);
        let keymap = Keymap::from_config(&overrides).expect("valid");
        assert_eq!(main(&keymap, key(KeyCode::Char('a'), KeyModifiers::CONTROL)), Some(KeyCommand::Arm));
        assert_eq!(main(&keymap, key(KeyCode::Char('a'), KeyModifiers::NONE)), None);
        assert_eq!(main(&keymap, key(KeyCode::Char('q'), KeyModifiers::CONTROL)), Some(KeyCommand::Quit));
        assert_eq!(main(&keymap, key(KeyCode::F(10), KeyModifiers::NONE)), Some(KeyCommand::Quit));
        assert_eq!(keymap.key_label(KeyCommand::Arm), "ctrl-a");
        assert_eq!(keymap.key_label(KeyCommand::Quit), "ctrl-q", "labels follow the written order");
        assert_eq!(Keymap::default().key_label(KeyCommand::Quit), "q");
    }

    #[test]
    fn bad_key_config_is_explained() {
        let unknown = BTreeMap::from([("launch".to_owned(), KeySpec::One("l".into()))]);
        assert!(Keymap::from_config(&unknown).expect_err("unknown").contains("unknown action \"launch\""));
        let one = |key: &str| KeySpec::One(key.into());
        let clash = BTreeMap::from([("arm".to_owned(), one("x")), ("disarm".to_owned(), one("x"))]);
        assert!(Keymap::from_config(&clash).expect_err("clash").contains("bound to both"));
        let player_clash =
            BTreeMap::from([("seek_back".to_owned(), one("y")), ("frame_forward".to_owned(), one("y"))]);
        assert!(Keymap::from_config(&player_clash).expect_err("clash").contains("bound to both"));
        let hides_a_global =
            BTreeMap::from([("mark_event".to_owned(), one("v")), ("refresh".to_owned(), one("v"))]);
        assert!(Keymap::from_config(&hides_a_global).expect_err("clash").contains("refresh"));
        let junk = BTreeMap::from([("arm".to_owned(), KeySpec::One("hyper-x".into()))]);
        assert!(Keymap::from_config(&junk).expect_err("junk").contains("unknown key"));
    }

    /// A config written before a default key was added keeps working: its keys win, and the
    /// default that would clash gives that key up (keeping its others, or showing as unbound).
    #[test]
    fn a_key_the_config_gives_wins_over_a_default_that_clashes() {
        let overrides = BTreeMap::from([
            ("prev_pane".to_owned(), KeySpec::One("h".into())),
            ("next_pane".to_owned(), KeySpec::Many(vec!["tab".into(), "l".into()])),
            ("refresh".to_owned(), KeySpec::One("t".into())),
            ("arm".to_owned(), KeySpec::One("d".into())),
        ]);
        let keymap = Keymap::from_config(&overrides).expect("valid");
        let events = |code| keymap.command_for(&key(code, KeyModifiers::NONE), Pane::Events, false);
        assert_eq!(events(KeyCode::Char('h')), Some(KeyCommand::PrevPane));
        assert_eq!(events(KeyCode::Char('l')), Some(KeyCommand::NextPane));
        assert_eq!(events(KeyCode::Char('t')), Some(KeyCommand::Refresh));
        assert_eq!(events(KeyCode::Left), Some(KeyCommand::Left), "the default keeps its other keys");
        assert_eq!(keymap.key_label(KeyCommand::Grid), "unbound");
        assert_eq!(main(&keymap, key(KeyCode::Char('d'), KeyModifiers::NONE)), Some(KeyCommand::Arm));
        assert_eq!(keymap.key_label(KeyCommand::Disarm), "unbound");
    }

    #[test]
    fn chords_print_as_they_are_written() {
        for text in ["a", "G", "ctrl-c", "shift-tab", "enter", "space", "f5", "pageup", "?"] {
            assert_eq!(KeyChord::parse(text).expect(text).to_string(), text);
        }
        assert_eq!(KeyChord::parse("PgDn").expect("alias").to_string(), "pagedown");
    }

    #[test]
    fn the_player_keys_come_first_while_playing_and_fall_back() {
        let keymap = Keymap::default();
        let playing = |event| keymap.command_for(&event, Pane::Events, true);
        assert_eq!(playing(key(KeyCode::Char(' '), KeyModifiers::NONE)), Some(KeyCommand::PlayPause));
        assert_eq!(playing(key(KeyCode::Char('q'), KeyModifiers::NONE)), Some(KeyCommand::StopPlayback));
        let ctrl_c = key(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(playing(ctrl_c), Some(KeyCommand::Quit), "falls back to the other keys");
        assert_eq!(playing(key(KeyCode::Left, KeyModifiers::NONE)), Some(KeyCommand::SeekBack));
        assert_eq!(playing(key(KeyCode::Char('S'), KeyModifiers::SHIFT)), Some(KeyCommand::SaveClip));
        let (j, n) =
            (key(KeyCode::Char('j'), KeyModifiers::NONE), key(KeyCode::Char('n'), KeyModifiers::NONE));
        assert_eq!((playing(j), playing(n)), (Some(KeyCommand::NextClip), Some(KeyCommand::NextClip)));
        assert_eq!(
            keymap.command_for(&j, Pane::Events, false),
            Some(KeyCommand::Down),
            "j moves when nothing plays"
        );
        assert_eq!(playing(key(KeyCode::Char(']'), KeyModifiers::NONE)), Some(KeyCommand::Faster));
        assert_eq!(playing(key(KeyCode::Char('f'), KeyModifiers::NONE)), Some(KeyCommand::FullScreen));
    }

    #[test]
    fn help_lists_every_command_once() {
        let rows = Keymap::default().help_rows();
        assert_eq!(rows.len(), COMMANDS.len());
        assert!(rows.iter().all(|(_, keys, _)| !keys.is_empty()));
    }
}
