// The dashboard's shell: the session, the API client and the hash router. Everything the page shows comes from
// the public API (/api/v1) called with the session's access token, so the API's rules (teams, roles) are the page's.
import { showStudies } from './studies.js';
import { showStudy } from './study.js';

/** Thrown for an answer that is not 2xx; carries the RFC 9457 problem when the API sent one. */
export class ApiProblem extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

let session = null;

async function loadSession() {
  const response = await fetch('session', {
    headers: { Accept: 'application/json', 'X-Requested-With': 'JavaScript' },
    credentials: 'same-origin',
    cache: 'no-store',
  });
  if (response.status === 401 || response.status === 499) {
    // The session cookie lapsed: a full load of the page goes through Keycloak's login again.
    window.location.reload();
    throw new ApiProblem(response.status, { title: 'Logging in again' });
  }
  if (!response.ok) {
    throw new ApiProblem(response.status, await problemOf(response));
  }
  session = await response.json();
  session.expiresAtMillis = Date.parse(session.expiresAt);
  return session;
}

async function problemOf(response) {
  const type = response.headers.get('Content-Type') || '';
  if (type.includes('json')) {
    try {
      return await response.json();
    } catch (e) {
      return null;
    }
  }
  return { title: `HTTP ${response.status}`, detail: (await response.text()).slice(0, 300) };
}

export function currentSession() {
  return session;
}

export function hasRole(...roles) {
  return roles.some((role) => session?.roles.includes(role));
}

/**
 * Calls the API. A token that expires within half a minute is renewed first (the gateway refreshes the session's
 * tokens); a 401 renews once and retries. {@code as}: 'json' (default), 'text' or 'response'.
 */
export async function api(path, { method = 'GET', body, contentType, accept = 'application/json', as = 'json' } = {}) {
  if (!session || session.expiresAtMillis - Date.now() < 30_000) {
    await loadSession();
  }
  for (let attempt = 0; ; attempt++) {
    const headers = { Authorization: `Bearer ${session.accessToken}`, Accept: accept };
    if (contentType) {
      headers['Content-Type'] = contentType;
    }
    const response = await fetch(`/api/v1${path}`, { method, body, headers, cache: 'no-store' });
    if (response.status === 401 && attempt === 0) {
      await loadSession();
      continue;
    }
    if (!response.ok) {
      throw new ApiProblem(response.status, await problemOf(response));
    }
    if (as === 'response') {
      return response;
    }
    if (response.status === 204) {
      return null;
    }
    return as === 'text' ? response.text() : response.json();
  }
}

/** Builds an element: el('td', {class: 'x', dataset: {id}}, 'text', child). Text is always text, never HTML. */
export function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (name === 'dataset') {
      Object.assign(element.dataset, value);
    } else if (name.startsWith('on')) {
      element.addEventListener(name.slice(2), value);
    } else {
      element.setAttribute(name, value === true ? '' : value);
    }
  }
  for (const child of children.flat()) {
    if (child !== undefined && child !== null && child !== false) {
      element.append(child instanceof Node ? child : String(child));
    }
  }
  return element;
}

/** A problem as the page shows it: its title and detail, and each of its errors. */
export function problemElement(error) {
  const problem = error instanceof ApiProblem ? error.problem : null;
  const errors = Array.isArray(problem?.errors) ? problem.errors : [];
  return el('div', { class: 'problem', role: 'alert' },
    el('strong', {}, problem?.title || 'Error'), ' ', problem?.detail || error.message,
    errors.length ? el('ul', {}, errors.slice(0, 20).map((e) => el('li', {},
      typeof e === 'string' ? e : [e.path, e.message].filter(Boolean).join(': ') || JSON.stringify(e)))) : null);
}

export function formatNumber(value, digits = 4) {
  if (value === null || value === undefined || Number.isNaN(value)) {
    return '–';
  }
  return Math.abs(value) >= 1e5 || (Math.abs(value) < 1e-3 && value !== 0)
    ? value.toExponential(2) : Number(value.toPrecision(digits)).toString();
}

export function formatUsd(value) {
  return value === null || value === undefined ? '–' : `$${value.toFixed(value < 1 ? 4 : 2)}`;
}

let leaveView = () => {};

async function route() {
  leaveView();
  leaveView = () => {};
  const view = document.getElementById('view');
  view.replaceChildren();
  const match = window.location.hash.match(/^#\/studies\/([^/?#]+)/);
  try {
    leaveView = match ? await showStudy(view, decodeURIComponent(match[1])) : await showStudies(view);
  } catch (error) {
    view.append(problemElement(error));
  }
}

async function start() {
  try {
    await loadSession();
  } catch (error) {
    document.getElementById('view').append(problemElement(error));
    return;
  }
  const user = document.getElementById('user');
  user.textContent = `${session.username} · ${session.team}`;
  user.dataset.roles = session.roles.join(',');
  user.title = `roles: ${session.roles.join(', ')}`;
  window.addEventListener('hashchange', route);
  await route();
}

start();
