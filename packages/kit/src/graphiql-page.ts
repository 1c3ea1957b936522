// The script and styles of the GraphiQL page (router and subgraphs) around @graphql-yoga/render-graphiql's
// bundle: the sign-in bar (a token from the `login` mutation, set on every request GraphiQL
// sends and renewed before it expires) and the start of GraphiQL. Plain DOM, so that the
// bundle's own plugins (the explorer) stay as they are: passing `plugins` would replace them.

/** Runs in the browser before the bundle (Monaco reads MonacoEnvironment when it starts),
 * and starts GraphiQL once the bundle has run. Reads its options from the JSON script
 * `#graphiql-options`. */
export const PAGE_SCRIPT = String.raw`(() => {
  'use strict';
  const options = JSON.parse(document.getElementById('graphiql-options').textContent);
  const { graphiql, signIn, workers } = options;
  self.MonacoEnvironment = { globalAPI: false, getWorkerUrl: (moduleId, label) => workers[label] };
  const endpoint = new URL(graphiql.endpoint, location.href);
  const STORAGE_KEY = 'supergraph:graphiql:session';
  /** How long before its expiry a token is renewed. */
  const RENEW_BEFORE_MS = 60_000;
  const bar = document.getElementById('sign-in');
  let session = null;
  let credentials = null;
  let renewTimer;
  try {
    session = JSON.parse(sessionStorage.getItem(STORAGE_KEY) || 'null');
  } catch {}

  const valid = () => session && Date.parse(session.expiresAt) > Date.now();
  const authorization = () => (valid() ? 'Bearer ' + session.token : undefined);

  // Every HTTP request GraphiQL sends to the router (queries, introspection) carries the
  // token, unless the Headers tab sets its own Authorization.
  const pageFetch = window.fetch.bind(window);
  window.fetch = (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input), location.href);
    const value = authorization();
    if (!value || url.origin !== endpoint.origin || !url.pathname.startsWith(endpoint.pathname)) {
      return pageFetch(input, init);
    }
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    if (!headers.has('authorization')) headers.set('authorization', value);
    return pageFetch(input, { ...init, headers });
  };

  async function login(email, password) {
    const response = await pageFetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({
        query: 'mutation GraphiQLSignIn($input: LoginInput!) { login(input: $input) { token expiresAt user { email } } }',
        variables: { input: { email, password } },
      }),
    });
    const body = await response.json();
    const payload = body.data && body.data.login;
    if (!payload) throw new Error((body.errors && body.errors[0] && body.errors[0].message) || 'sign-in failed');
    session = { token: payload.token, expiresAt: payload.expiresAt, email: payload.user.email };
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  }

  // The security subgraph's API has no refresh token: a token is renewed by logging in
  // again with the credentials of this page's sign-in (kept in memory only, never stored).
  function scheduleRenewal() {
    clearTimeout(renewTimer);
    if (!valid()) return;
    // Without credentials (a reloaded page) the bar asks to sign in again once it expired.
    // With them, the token is renewed a minute before its end, or at 4/5 of a short one.
    const remaining = Date.parse(session.expiresAt) - Date.now();
    const ahead = credentials ? Math.min(RENEW_BEFORE_MS, remaining / 5) : 0;
    renewTimer = setTimeout(async () => {
      if (credentials) {
        try {
          await login(credentials.email, credentials.password);
        } catch (error) {
          // Once: the bar then shows until when the token holds, and asks at its end.
          credentials = null;
          console.warn('GraphiQL sign-in: renewing the token failed:', error);
        }
      }
      render();
    }, Math.min(Math.max(remaining - ahead, 1_000), 2 ** 31 - 1));
  }

  function element(tag, attributes, ...children) {
    const node = document.createElement(tag);
    Object.assign(node, attributes);
    node.append(...children);
    return node;
  }

  function render(message) {
    scheduleRenewal();
    bar.replaceChildren();
    if (valid()) {
      const until = new Date(session.expiresAt).toLocaleTimeString();
      bar.append(
        element('span', { className: 'status', textContent: 'Signed in as ' + session.email + (credentials ? ' (renewed automatically)' : ' until ' + until) }),
        element('button', {
          type: 'button',
          textContent: 'Sign out',
          onclick: () => {
            session = credentials = null;
            sessionStorage.removeItem(STORAGE_KEY);
            render();
          },
        }),
      );
      return;
    }
    const email = element('input', { name: 'email', type: 'email', placeholder: 'email', value: signIn.email, autocomplete: 'username' });
    const password = element('input', { name: 'password', type: 'password', placeholder: 'password', value: signIn.password, autocomplete: 'current-password' });
    const form = element(
      'form',
      {},
      element('span', { className: 'status', textContent: message || (session ? 'The token expired; sign in again.' : 'Not signed in.') }),
      email,
      password,
      element('button', { type: 'submit', textContent: 'Sign in' }),
    );
    form.onsubmit = async (event) => {
      event.preventDefault();
      try {
        await login(email.value, password.value);
        credentials = { email: email.value, password: password.value };
        render();
      } catch (error) {
        render('Sign-in failed: ' + error.message);
      }
    };
    bar.append(form);
  }

  // A subgraph's GraphiQL has no bar: only the security subgraph has a login mutation.
  if (signIn) render();
  else bar.remove();

  // GraphiQL 5 keeps its tabs across a reload only when it finds the active tab's query,
  // variables and headers under keys of their own, which it writes once they are edited:
  // otherwise every reload opens an empty tab instead of the one left (the default tab, say).
  try {
    const state = JSON.parse(localStorage.getItem('graphiql:tabState') || 'null');
    const tab = state && Array.isArray(state.tabs) && state.tabs[state.activeTabIndex];
    for (const key of tab ? ['query', 'variables', 'headers'] : []) {
      if (typeof tab[key] === 'string') localStorage.setItem('graphiql:' + key, tab[key]);
      else localStorage.removeItem('graphiql:' + key);
    }
  } catch {}

  // DOMContentLoaded comes after every script of the page has run, the bundle included.
  document.addEventListener('DOMContentLoaded', () => {
    YogaGraphiQL.renderYogaGraphiQL(document.getElementById('root'), {
      ...graphiql,
      // graphql-ws asks for these at each connection, so a new token is used from the next.
      connectionParams: () => {
        const value = authorization();
        return value ? { authorization: value } : {};
      },
    });
  });
})();
`;

export const PAGE_STYLE = `
html, body { height: 100%; margin: 0; }
body { display: flex; flex-direction: column; }
#root { flex: 1; min-height: 0; }
#sign-in { display: flex; align-items: center; gap: 8px; padding: 6px 12px;
  font: 13px system-ui, sans-serif; border-bottom: 1px solid rgba(128, 128, 128, 0.3); }
#sign-in form { display: flex; align-items: center; gap: 8px; margin: 0; }
#sign-in .status { margin-right: 8px; }
#sign-in input { font: inherit; padding: 2px 6px; }
#sign-in button { font: inherit; cursor: pointer; }
`;
