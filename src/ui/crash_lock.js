// After a crash no Rust code runs (release builds abort on a panic), so this timer, armed by
// the panic hook, does what auto-lock would have done: once the page has gone unused for the
// auto-lock time it takes everything off the page and reloads it, so the WebAssembly memory
// holding records goes too. Served as a file beside the app's own, so the page's
// Content-Security-Policy (scripts from its own site only) still holds.

// The page's last key press, click or wheel turn, kept here because after a crash nothing in
// the app can keep it.
let lastActivity = Date.now();
for (const type of ['keydown', 'pointerdown', 'wheel']) {
  addEventListener(type, () => { lastActivity = Date.now(); }, { capture: true, passive: true });
}

// A page that crashes again as soon as it has reloaded must not reload for ever.
const RELOADED_AT = 'senco-desk:crash-reloaded-at';
const RELOAD_AT_MOST_EVERY_MS = 60000;

let armed = false;

/**
 * Arms the lock once: after `idleMs` without use (0: at once), or as soon as another tab of
 * the desk is locked (`lockMessage` on the BroadcastChannel `lockChannel`).
 */
export function lockAfterCrash(idleMs, lockChannel, lockMessage) {
  if (armed) return;
  armed = true;
  let locked = false;
  const lock = () => {
    if (locked) return;
    locked = true;
    clearPage();
    reloadUnlessJustReloaded();
  };
  try {
    new BroadcastChannel(lockChannel).onmessage = (event) => {
      if (event.data === lockMessage) lock();
    };
  } catch {
    // No BroadcastChannel: the timer alone locks this tab.
  }
  const check = () => {
    const left = lastActivity + idleMs - Date.now();
    if (idleMs > 0 && left > 0) {
      setTimeout(check, left);
      return;
    }
    lock();
  };
  check();
}

function clearPage() {
  document.title = 'Senco Desk is locked';
  const main = document.createElement('main');
  main.className = 'crash-locked';
  const heading = document.createElement('h1');
  heading.tabIndex = -1;
  heading.textContent = 'Senco Desk is locked';
  const why = document.createElement('p');
  why.textContent =
    'Senco Desk stopped because of a problem, so it has cleared the screen and locked. ' +
    'Everything saved before the problem is safe.';
  const again = document.createElement('p');
  const link = document.createElement('a');
  link.href = location.href;
  // A target keeps the app's router (which may be broken now) from taking over the click.
  link.target = '_self';
  link.textContent = 'Reload Senco Desk and unlock';
  again.append(link);
  main.append(heading, why, again);
  document.body.replaceChildren(main);
  heading.focus();
}

function reloadUnlessJustReloaded() {
  try {
    const last = Number(sessionStorage.getItem(RELOADED_AT));
    if (Date.now() - last < RELOAD_AT_MOST_EVERY_MS) return;
    sessionStorage.setItem(RELOADED_AT, String(Date.now()));
  } catch {
    // No session storage: a reload loop could not be noticed, so leave the link to press.
    return;
  }
  location.reload();
}
