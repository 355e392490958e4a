// The demo pages' shared behaviour: the locale and theme switcher, and the shop's session. A shop does the same in
// its own page code: fetch a fresh short-lived token from its backend and hand it to the elements.
const root = document.documentElement;
const RTL = ['ar', 'he'];
const ELEMENTS = 'vc-consent-panel, vc-profile-card, vc-unsubscribe';
const params = new URLSearchParams(location.search);

function applyLocale(lang) {
  root.lang = lang;
  root.dir = RTL.includes(lang) ? 'rtl' : 'ltr';
  const select = document.querySelector('[data-demo-locale]');
  if (select) select.value = lang;
}

function applyTheme(theme) {
  root.dataset.theme = theme;
  for (const element of document.querySelectorAll(ELEMENTS)) element.setAttribute('theme', theme);
  const select = document.querySelector('[data-demo-theme]');
  if (select) select.value = theme;
}

// A language or theme given in the address is the visitor's choice too: it stays for the next page, such as the one a
// form answers with.
if (params.has('lang')) localStorage.setItem('demo-locale', params.get('lang'));
if (params.has('theme')) localStorage.setItem('demo-theme', params.get('theme'));
applyLocale(params.get('lang') ?? localStorage.getItem('demo-locale') ?? 'en');
applyTheme(params.get('theme') ?? localStorage.getItem('demo-theme') ?? 'auto');

document.querySelector('[data-demo-locale]')?.addEventListener('change', (event) => {
  localStorage.setItem('demo-locale', event.target.value);
  applyLocale(event.target.value);
});
document.querySelector('[data-demo-theme]')?.addEventListener('change', (event) => {
  localStorage.setItem('demo-theme', event.target.value);
  applyTheme(event.target.value);
});

let refreshTimer;

async function loadSession() {
  clearTimeout(refreshTimer);
  let session = { signed_in: false };
  try {
    const response = await fetch('/api/session', { headers: { accept: 'application/json' } });
    session = await response.json();
  } catch {
    // The shop backend is down: the page stays in its signed-out state.
  }
  for (const element of document.querySelectorAll('[data-signed-in]')) element.hidden = !session.signed_in;
  for (const element of document.querySelectorAll('[data-signed-out]')) element.hidden = Boolean(session.signed_in);
  const who = document.querySelector('[data-demo-who]');
  if (who) who.replaceChildren(...(session.signed_in ? signedInAs(session.customer.name) : []));
  if (session.signed_in) {
    for (const element of document.querySelectorAll('[data-session]')) element.sessionToken = session.token;
    // Hand over a fresh token a minute before this one expires.
    refreshTimer = setTimeout(loadSession, Math.max(10, session.expires_in - 60) * 1000);
  }
  document.dispatchEvent(new CustomEvent('demo-session', { detail: session }));
}

function signedInAs(name) {
  const form = document.createElement('form');
  form.method = 'post';
  form.action = '/logout';
  const text = document.createElement('span');
  text.textContent = `Signed in as ${name}`;
  const button = document.createElement('button');
  button.type = 'submit';
  button.textContent = 'Sign out';
  form.append(text, ' ', button);
  return [form];
}

// The worker said the token expired (a laptop woke up, say): fetch a new one and the elements carry on.
document.addEventListener('vc-session-expired', () => void loadSession());
void loadSession();
