//! [`Ui`]: the widget's signals and the one place the checkout moves, [`Ui::dispatch`].

use super::Runtime;
use crate::checkout::{Event, Phase, WidgetEvent};
use crate::i18n::{announcement, Locale, Msg};
use crate::wallet::WalletId;
use crate::web::camera::Zoom;
use crate::web::js;
use leptos::html;
use leptos::prelude::*;
use std::rc::Rc;
use wasm_bindgen_futures::spawn_local;

/// What the camera can do right now (the controls shown).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct CameraCaps {
    pub torch: bool,
    pub zoom: Option<Zoom>,
    pub can_switch: bool,
    pub mirrored: bool,
}

/// What the confirmation sheet's inputs hold (kept out of [`Phase`] so typing does not rebuild the sheet).
#[derive(Clone, Copy)]
pub struct Form {
    pub amount: RwSignal<String>,
    pub tip: RwSignal<String>,
    /// The amount field was left once: its errors show from now on.
    pub touched: RwSignal<bool>,
    pub wallet: RwSignal<Option<WalletId>>,
}

/// The elements the widget focuses or reads.
#[derive(Clone, Copy)]
pub struct Nodes {
    pub launch: NodeRef<html::Button>,
    pub sheet: NodeRef<html::Div>,
    pub video: NodeRef<html::Video>,
    pub file: NodeRef<html::Input>,
    pub title: NodeRef<html::H2>,
}

/// Which screen the sheet shows: changes only when the phase moves to another screen, so a screen
/// is built once per visit (inputs keep their focus).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Screen {
    Camera,
    CameraError,
    Busy(Msg),
    NotPayment,
    Invalid,
    Confirm,
    Result,
}

impl Screen {
    pub fn of(p: &Phase) -> Screen {
        match p {
            Phase::Scanning { .. } => Screen::Camera,
            Phase::CameraFailed(_) => Screen::CameraError,
            Phase::ReadingPicture { .. } => Screen::Busy(Msg::ReadingImage),
            Phase::CreatingOrder(_) => Screen::Busy(Msg::CreatingOrder),
            Phase::WaitingWallet { .. } => Screen::Busy(Msg::WaitingWallet),
            Phase::ConfirmingMerchant { .. } => Screen::Busy(Msg::ConfirmingMerchant),
            Phase::NotPayment(_) => Screen::NotPayment,
            Phase::Invalid { .. } => Screen::Invalid,
            Phase::Confirming(_) => Screen::Confirm,
            Phase::Finished { .. } => Screen::Result,
        }
    }
}

/// The widget: its signals and a handle on the browser runtime. `Copy`: every view and callback
/// holds one.
#[derive(Clone, Copy)]
pub struct Ui {
    pub loc: Locale,
    runtime: StoredValue<Rc<Runtime>, LocalStorage>,
    pub open: RwSignal<bool>,
    pub phase: RwSignal<Phase>,
    pub screen: Memo<Screen>,
    /// The live region's text.
    pub announce: RwSignal<String>,
    /// A note above the picture buttons (no code in the picture, clipboard empty…).
    pub note: RwSignal<Option<Msg>>,
    /// The decoder's advice while nothing reads (move closer, hold still, more light).
    pub hint: RwSignal<Option<crate::decode::guidance::Guidance>>,
    /// The advice of the last frames and how many frames in a row gave it.
    pub hint_run: RwSignal<(Option<crate::decode::guidance::Guidance>, u32)>,
    pub caps: RwSignal<CameraCaps>,
    pub torch_on: RwSignal<bool>,
    pub form: Form,
    pub copied: RwSignal<bool>,
    pub nodes: Nodes,
}

impl Ui {
    pub(super) fn new(runtime: Rc<Runtime>) -> Ui {
        let phase = RwSignal::new(Phase::Scanning { starting: true });
        Ui {
            loc: runtime.settings.locale,
            runtime: StoredValue::new_local(runtime),
            open: RwSignal::new(false),
            phase,
            screen: Memo::new(move |_| phase.with(Screen::of)),
            announce: RwSignal::new(String::new()),
            note: RwSignal::new(None),
            hint: RwSignal::new(None),
            hint_run: RwSignal::new((None, 0)),
            caps: RwSignal::new(CameraCaps::default()),
            torch_on: RwSignal::new(false),
            form: Form {
                amount: RwSignal::new(String::new()),
                tip: RwSignal::new(String::new()),
                touched: RwSignal::new(false),
                wallet: RwSignal::new(None),
            },
            copied: RwSignal::new(false),
            nodes: Nodes { launch: NodeRef::new(), sheet: NodeRef::new(), video: NodeRef::new(), file: NodeRef::new(), title: NodeRef::new() },
        }
    }

    pub(super) fn runtime(self) -> Rc<Runtime> {
        self.runtime.get_value()
    }

    pub fn t(self, m: Msg) -> &'static str {
        self.loc.t(m)
    }

    pub fn money(self, amount: &str, currency: &str, minor_units: u8) -> String {
        js::format_money(self.loc.tag(), amount, currency, minor_units)
    }

    /// Move the checkout: the transition, its side effects (the camera off outside the camera
    /// screen, the sheet shown for a result), its `interpay:*` event, its announcement and focus.
    /// `false` when the event means nothing in this phase (nothing happens).
    pub fn dispatch(self, event: Event) -> bool {
        let current = self.phase.get_untracked();
        let Some(next) = current.next(event.clone()) else { return false };
        let runtime = self.runtime();
        if !next.wants_camera() {
            runtime.stop_camera_after_paint();
            self.torch_on.set(false);
        }
        if let Phase::Confirming(c) = &next {
            self.form.amount.set(String::new());
            self.form.tip.set(String::new());
            self.form.touched.set(false);
            self.form.wallet.set(c.default_wallet());
        }
        if matches!(next, Phase::NotPayment(_)) {
            self.copied.set(false);
        }
        if let Phase::Finished { outcome, .. } = &next {
            // A result that arrives after the shopper closed the sheet is still shown: they must
            // know whether they paid.
            self.open.set(true);
            if *outcome != crate::wallet::Outcome::Pending {
                self.forget_stored();
            }
        }
        let moved_screen = Screen::of(&current) != Screen::of(&next);
        let said = announcement(self.loc, &event, &next);
        let emitted = WidgetEvent::for_transition(&event, &next, self.loc);
        self.phase.set(next);
        if let Some(e) = emitted {
            runtime.emit(e);
        }
        if let Some(text) = said {
            self.say(text);
        }
        if moved_screen {
            self.focus_title_soon();
        }
        true
    }

    /// Announce `text` in the live region (cleared first so the same text is read again).
    pub fn say(self, text: String) {
        self.announce.set(String::new());
        spawn_local(async move {
            js::sleep(50).await;
            self.announce.set(text);
        });
    }

    /// Show `m` above the picture buttons and announce it.
    pub fn notify(self, m: Msg) {
        self.note.set(Some(m));
        self.say(self.t(m).into());
    }

    pub fn focus_title_soon(self) {
        spawn_local(async move {
            js::next_frame().await;
            if let Some(h) = self.nodes.title.get_untracked() {
                let _ = h.focus();
            }
        });
    }

    pub fn open_sheet(self) {
        if self.open.get_untracked() {
            return;
        }
        self.open.set(true);
        self.note.set(None);
        // A payment still running is shown as it is; otherwise scanning starts.
        if !self.phase.with_untracked(Phase::is_paying) {
            self.start_camera(None);
        }
        self.focus_title_soon();
    }

    pub fn close_sheet(self) {
        self.runtime().stop_camera();
        self.torch_on.set(false);
        self.open.set(false);
        if let Some(b) = self.nodes.launch.get_untracked() {
            let _ = b.focus();
        }
    }

    /// A tap outside the sheet closes it, unless the shopper is waiting for something.
    pub fn backdrop(self) {
        if !self.phase.with_untracked(Phase::is_busy) {
            self.close_sheet();
        }
    }

    pub fn scan_again(self) {
        self.note.set(None);
        self.start_camera(None);
    }

    pub fn copy_text(self, text: String) {
        spawn_local(async move {
            let Some(w) = js::window() else { return };
            let clip = js::get(&w.navigator(), "clipboard");
            if js::call_async(&clip, "writeText", &[text.into()]).await.is_ok() {
                self.copied.set(true);
                self.say(self.t(Msg::Copied).into());
            }
        });
    }
}
