// The timeout warning (WCAG 2.2.1, GOV.UK's "timeout warning" pattern).
//
// Two minutes before the idle timeout, a dialog says so, takes focus and counts
// down in a live region; "Stay signed in" posts to the server, which renews the
// session, and hides the dialog. At the timeout, the page goes to sign-in.
// Without JavaScript nothing is shown: the session still ends on the server.

export function startTimeoutWarning(root) {
  if (!root) return;
  const timeout = Number(root.dataset.timeoutSeconds) * 1000;
  const warnBefore = Math.min(Number(root.dataset.warnSeconds) * 1000, timeout / 2);
  const heading = root.querySelector("h2");
  const countdown = root.querySelector("[data-countdown]");
  const form = root.querySelector("form[data-stay]");
  let lastFocus = null;
  let timers = [];

  const clear = () => {
    timers.forEach((timer) => clearTimeout(timer) || clearInterval(timer));
    timers = [];
  };

  const say = (milliseconds) => {
    const seconds = Math.max(0, Math.round(milliseconds / 1000));
    countdown.textContent =
      seconds >= 60
        ? `${Math.ceil(seconds / 60)} minute${Math.ceil(seconds / 60) === 1 ? "" : "s"}`
        : `${seconds} second${seconds === 1 ? "" : "s"}`;
  };

  const start = () => {
    clear();
    const started = Date.now();
    timers.push(
      setTimeout(() => {
        lastFocus = document.activeElement;
        root.hidden = false;
        say(warnBefore);
        heading.focus();
        timers.push(
          setInterval(() => say(timeout - (Date.now() - started)), 15000),
        );
      }, timeout - warnBefore),
    );
    timers.push(
      setTimeout(() => {
        const next = encodeURIComponent(window.location.pathname);
        window.location.assign(`${root.dataset.signedOutUrl}?next=${next}`);
      }, timeout),
    );
  };

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const response = await fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
    });
    if (response.ok) {
      root.hidden = true;
      if (lastFocus) lastFocus.focus();
      start();
    }
  });

  start();
}
