// The two HTML documents: the shell the page's script fills, and the login form.

const head = (title: string, extra = "") =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="color-scheme" content="light dark"><title>${title}</title><link rel="icon" href="data:,"><link rel="stylesheet" href="/assets/app.css">${extra}</head>`;

/** JSON safe inside a <script> element: no "</script>" or "<!--" can end it early. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, "\\u003c");

/**
 * The page: drawn by /assets/app.js from the JSON API. The task list comes
 * with it (data, not code: the CSP allows no inline script), so the first
 * screen needs no second round trip.
 */
export function pageShell(initialStatus: unknown): string {
  return `${head("cloudsync", '<link rel="modulepreload" href="/assets/app.js">')}<body><div id="app"><p class="loading" role="status">Loading…</p></div><script type="application/json" id="initial-status">${scriptJson(initialStatus)}</script><noscript>The dashboard needs JavaScript; the same is in cloudsync status, history and logs.</noscript><script type="module" src="/assets/app.js"></script></body></html>`;
}

const escape = (text: string) => text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);

/** The login form: the token once, then a cookie (HttpOnly, SameSite=Strict). */
export function loginPage(problem: string | null): string {
  return `${head("cloudsync — log in")}<body><main class="login"><h1>cloudsync</h1><form method="post" action="/login"><label for="token">Token</label><input id="token" name="token" type="password" autocomplete="current-password" required autofocus>${
    problem ? `<p class="problem" role="alert">${escape(problem)}</p>` : ""
  }<button type="submit">Log in</button></form><p class="hint">The token is settings.web.token of the configuration.</p></main></body></html>`;
}
