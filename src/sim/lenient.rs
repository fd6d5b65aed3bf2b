//! Rules the simulator keeps strictly by default, because the evidence says Blink keeps them,
//! and which `blinktui sim --lenient` relaxes so that clients that break them today (blinkpy
//! 0.25.9, and Home Assistant with it) can still be tested against the simulator. Each rule
//! relaxes exactly one check; everything else stays as strict as Blink.

/// One rule that `--lenient` can relax.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LenientRule {
    /// The relay accepts 64 zero bytes where the auth header carries the `liveview_token`
    /// (blinkpy sends zeros; blinkpy PR #1309 reports that Blink's relay rejects that).
    LiveviewToken,
    /// The refresh grant accepts `client_id=android` for a token minted for `ios`, with the
    /// `hardware_id` in a header when the form has none (blinkpy's in-session refresh; Blink
    /// answers it with "client is not authorized", blink-api.md §1.5).
    RefreshClientId,
    /// A USB clip may be requested, fetched or deleted under a manifest id the stick issued
    /// earlier, not only under the newest (blinkpy keeps clips under the manifest that listed
    /// them; Blink answers 700 "Media not found", blink-api.md §2.9).
    UsbPreviousManifest,
}

impl LenientRule {
    pub const ALL: [LenientRule; 3] =
        [LenientRule::LiveviewToken, LenientRule::RefreshClientId, LenientRule::UsbPreviousManifest];
}

/// Which rules are relaxed. The default relaxes none.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Leniency {
    pub liveview_token: bool,
    pub refresh_client_id: bool,
    pub usb_previous_manifest: bool,
}

impl Leniency {
    /// Every rule relaxed.
    pub fn all() -> Self {
        Self::only(&LenientRule::ALL)
    }

    /// The rules given relaxed, the others kept.
    pub fn only(rules: &[LenientRule]) -> Self {
        Self {
            liveview_token: rules.contains(&LenientRule::LiveviewToken),
            refresh_client_id: rules.contains(&LenientRule::RefreshClientId),
            usb_previous_manifest: rules.contains(&LenientRule::UsbPreviousManifest),
        }
    }

    pub fn is_strict(&self) -> bool {
        *self == Self::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_rule_relaxes_only_itself() {
        assert!(Leniency::default().is_strict());
        assert_eq!(
            Leniency::only(&[LenientRule::RefreshClientId]),
            Leniency { refresh_client_id: true, ..Leniency::default() }
        );
        assert_eq!(
            Leniency::all(),
            Leniency { liveview_token: true, refresh_client_id: true, usb_previous_manifest: true }
        );
    }
}
