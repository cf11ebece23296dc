// Small DOM and formatting helpers. Text always goes in as textContent, never as HTML.

export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export function button(label, className, onClick) {
  const node = el('button', className, label);
  node.type = 'button';
  node.addEventListener('click', onClick);
  return node;
}

export function summarise(value, max = 140) {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** `{ number: "INC1", state: "New" }` as `number: "INC1", state: "New"`, cut short. */
export const argsSummary = (args) =>
  summarise(
    Object.entries(args ?? {})
      .map(([name, value]) => `${name}: ${JSON.stringify(value)}`)
      .join(', '),
  );

export function formatDuration(ms) {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** `incident__create_incident` (server `incident`, or none given) shows as `incident › create_incident`. */
export function toolLabel(name, server) {
  server ??= name.includes('__') ? name.slice(0, name.indexOf('__')) : null;
  const prefix = server ? `${server}__` : '';
  const tool = prefix && name.startsWith(prefix) ? name.slice(prefix.length) : name;
  const label = el('span', 'tool');
  if (server) label.append(el('span', 'server', `${server} ›`), ' ');
  label.append(el('span', 'tool-name', tool));
  return label;
}
