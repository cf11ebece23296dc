// The service's API as the page uses it, and what the page keeps in this tab's storage.

/** This tab's stored `name` ('' when absent, or when storage is off). */
export function recall(name) {
  try {
    return window.sessionStorage.getItem(name) ?? '';
  } catch {
    return '';
  }
}

/** Stores `value` under `name` for this tab; an empty value removes it. */
export function remember(name, value) {
  try {
    if (value) window.sessionStorage.setItem(name, value);
    else window.sessionStorage.removeItem(name);
  } catch {
    // Storage is off: the page still works, it just forgets on reload.
  }
}

/**
 * Calls the API (paths relative to the page, so a proxy may mount it under a prefix) and
 * returns the JSON body. POSTs ask for `respond-async`, so runs answer 202 at once. Throws an
 * Error with the service's message and the HTTP `status`.
 */
export async function request(key, method, path, body) {
  const headers = { accept: 'application/json' };
  if (key) headers.authorization = `Bearer ${key}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method === 'POST') headers.prefer = 'respond-async';
  const response = await fetch(new URL(path, document.baseURI), {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await response.json().catch(() => null);
  if (!response.ok) {
    const message = data?.error?.message ?? `the service answered ${response.status} ${response.statusText}`;
    throw Object.assign(new Error(message), { status: response.status });
  }
  return data;
}

export const runPath = (id, rest = '') => `v1/runs/${encodeURIComponent(id)}${rest}`;

/** A run's event stream after event `after`; the key goes in the query, as EventSource sends no headers. */
export function eventsUrl(id, after, key) {
  const url = new URL(runPath(id, '/events'), document.baseURI);
  url.searchParams.set('after', String(after));
  if (key) url.searchParams.set('access_token', key);
  return url;
}
