// Unattended wall screen: reconnect by itself, and reload when the server has restarted (the old circuit
// is gone) or the circuit crashed, but only once the server answers /health/live again, so the browser
// never lands on an error page. A watchdog reloads if the clock stops ticking for 90 s.
(() => {
  const sleep = ms => new Promise(r => setTimeout(r, ms));
  const banner = () => document.getElementById('cc-offline');
  let down = false, looping = false, reloading = false;

  function showOffline(on) {
    document.documentElement.classList.toggle('cc-is-offline', on);
    const b = banner();
    if (b) b.style.display = on ? 'flex' : 'none';
  }

  async function reloadWhenHealthy() {
    if (reloading) return;
    reloading = true;
    showOffline(true);
    for (;;) {
      try {
        const r = await fetch('/health/ready', { cache: 'no-store' });
        if (r.ok) { location.reload(); return; }
      } catch { /* server still down */ }
      await sleep(3000);
    }
  }

  async function reconnectLoop() {
    if (looping) return;
    looping = true;
    try {
      for (let i = 0; down; i++) {
        await sleep(Math.min(1000 * 2 ** i, 10000));
        if (!down) return;
        try {
          if (await Blazor.reconnect()) return;   // the same circuit is back
          return reloadWhenHealthy();              // false: the server no longer knows the circuit
        } catch { /* unreachable: keep trying */ }
        if (i >= 30) return reloadWhenHealthy();
      }
    } finally {
      looping = false;
    }
  }

  Blazor.start({
    circuit: {
      reconnectionHandler: {
        onConnectionDown: () => { down = true; showOffline(true); reconnectLoop(); },
        onConnectionUp: () => { down = false; showOffline(false); }
      }
    }
  });

  // A crashed circuit does not report a lost connection: watch the error UI.
  setInterval(() => {
    const e = document.getElementById('blazor-error-ui');
    if (e && getComputedStyle(e).display !== 'none') reloadWhenHealthy();
  }, 5000);

  // Watchdog: the server ticks the clock every second. If it stalls for 10 s although Blazor reported no
  // lost connection (e.g. the circuit never started because the server went away during the first
  // connect), show the banner and reload as soon as the server is ready again.
  let lastTick = Date.now(), lastText = '', stalled = false;
  setInterval(() => {
    const clock = document.querySelector('[data-cc-clock]');
    if (!clock) return;
    const text = clock.textContent;
    if (text !== lastText) {
      lastText = text; lastTick = Date.now();
      if (stalled) { stalled = false; if (!down) showOffline(false); }
      return;
    }
    if (!down && !stalled && Date.now() - lastTick > 10000) { stalled = true; reloadWhenHealthy(); }
  }, 2000);
})();
