//! Inline SVG icons (no external requests, nothing for the CSP to allow).

use leptos::prelude::*;

pub fn qr() -> impl IntoView {
    view! {
        <svg class="ip-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d="M3 3h7v7H3zM5 5v3h3V5zM14 3h7v7h-7zM16 5v3h3V5zM3 14h7v7H3zM5 16v3h3v-3zM14 14h3v3h-3zM18 18h3v3h-3zM18 14h3v2h-3zM14 19h2v2h-2z" />
        </svg>
    }
}

pub fn close() -> impl IntoView {
    view! {
        <svg class="ip-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d="M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12 19 17.6 17.6 19 12 13.4 6.4 19 5 17.6 10.6 12 5 6.4z" />
        </svg>
    }
}

pub fn torch() -> impl IntoView {
    view! {
        <svg class="ip-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d="M7 2h10v4l-3 4v12h-4V10L7 6zM11 13v3h2v-3z" />
        </svg>
    }
}

pub fn switch() -> impl IntoView {
    view! {
        <svg class="ip-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d="M9 4 7.2 6H4a2 2 0 0 0-2 2v10a2 2 0 0 0 2 2h16a2 2 0 0 0 2-2V8a2 2 0 0 0-2-2h-3.2L15 4zm3 4a5 5 0 0 1 4.9 4H19l-3 3-3-3h1.8A3 3 0 0 0 12 10a3 3 0 0 0-2 .8L8.6 9.4A5 5 0 0 1 12 8zm-4 4 3 3H9.2A3 3 0 0 0 12 17a3 3 0 0 0 2-.8l1.4 1.4A5 5 0 0 1 7.1 15H5z" />
        </svg>
    }
}

pub fn image() -> impl IntoView {
    view! {
        <svg class="ip-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d="M4 4h16a2 2 0 0 1 2 2v12a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2zm0 2v9.6l4-4 5 5 3-3 4 4V6zm11 1.5a2 2 0 1 1 0 4 2 2 0 0 1 0-4z" />
        </svg>
    }
}

pub fn paste() -> impl IntoView {
    view! {
        <svg class="ip-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d="M9 2h6a1 1 0 0 1 1 1v1h2a2 2 0 0 1 2 2v14a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2h2V3a1 1 0 0 1 1-1zm1 2v2h4V4zM6 6v14h12V6h-2v2H8V6z" />
        </svg>
    }
}

pub fn check() -> impl IntoView {
    view! {
        <svg class="ip-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d="M9.5 16.2 5.3 12l-1.4 1.4 5.6 5.6L20.1 8.4 18.7 7z" />
        </svg>
    }
}

pub fn alert() -> impl IntoView {
    view! {
        <svg class="ip-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d="M12 2 1 21h22zm-1 7h2v6h-2zm0 8h2v2h-2z" />
        </svg>
    }
}

pub fn info() -> impl IntoView {
    view! {
        <svg class="ip-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d="M12 2a10 10 0 1 1 0 20 10 10 0 0 1 0-20zm-1 8v7h2v-7zm0-3v2h2V7z" />
        </svg>
    }
}

pub fn clock() -> impl IntoView {
    view! {
        <svg class="ip-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d="M12 2a10 10 0 1 1 0 20 10 10 0 0 1 0-20zm0 2a8 8 0 1 0 0 16 8 8 0 0 0 0-16zm-1 3h2v5.4l3.5 2.1-1 1.7L11 13.6z" />
        </svg>
    }
}

pub fn camera_off() -> impl IntoView {
    view! {
        <svg class="ip-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d="M3.3 2 2 3.3 4.7 6H4a2 2 0 0 0-2 2v10a2 2 0 0 0 2 2h14.7l2 2 1.3-1.3zM9 4 7.6 5.6 20 18V8a2 2 0 0 0-2-2h-3.2L13 4zm-1.6 6.7 6 6A5 5 0 0 1 7.3 10.7z" />
        </svg>
    }
}
