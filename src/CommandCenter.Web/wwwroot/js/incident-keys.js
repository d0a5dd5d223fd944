// Keyboard shortcuts of the incident page (/incidents/{id}): a key presses the button that carries it in
// data-cc-shortcut (v verify, r reject, d dispatch, a accept, f feedback, c check, e escalate, o reopen; Escape closes
// the open form). Keys typed into a field, or with Ctrl/Alt/Meta, are left alone. A module, so the CSP needs no inline script.
let handler = null;

function onKey(e) {
    if (e.ctrlKey || e.altKey || e.metaKey || e.repeat) return;
    const t = e.target;
    const typing = t && (t.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(t.tagName));
    const key = e.key === "Escape" ? "escape" : (e.key || "").toLowerCase();
    if (typing && key !== "escape") return;
    if (!/^[a-z]$/.test(key) && key !== "escape") return;
    const button = document.querySelector(`[data-cc-shortcut="${key}"]:not([disabled])`);
    if (!button) return;
    e.preventDefault();
    button.click();
}

export function bind() {
    if (handler) return;
    handler = onKey;
    document.addEventListener("keydown", handler);
}

export function unbind() {
    if (!handler) return;
    document.removeEventListener("keydown", handler);
    handler = null;
}
