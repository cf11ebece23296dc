import { argsSummary, el, formatDuration, summarise, toolLabel } from './dom.js';

/** A run's activity: notes, and one entry per tool call that its events update in place. */
export class Timeline {
  #list;
  #calls = new Map();

  constructor(list) {
    this.#list = list;
  }

  clear() {
    this.#list.replaceChildren();
    this.#calls.clear();
  }

  note(text, className = 'note') {
    const item = el('li', className);
    const mark = el('span', 'mark', className === 'warning' ? '⚠' : '•');
    mark.setAttribute('aria-hidden', 'true');
    item.append(mark, el('span', 'text', text));
    this.#list.append(item);
  }

  /** A `tool_start`: a new entry, running. */
  start(event) {
    const item = el('li', 'call running');
    const head = el('div', 'call-head');
    const mark = el('span', 'mark', '⋯');
    mark.setAttribute('aria-hidden', 'true');
    const time = el('span', 'time', 'running');
    head.append(mark, toolLabel(event.name, event.server ?? null), time);
    const args = el('code', 'args', argsSummary(event.args));
    args.title = JSON.stringify(event.args ?? {}, null, 2);
    const progress = el('div', 'progress');
    progress.hidden = true;
    const bar = el('progress');
    bar.setAttribute('aria-label', `progress of ${event.name}`);
    const message = el('span', 'progress-message');
    progress.append(bar, message);
    const detail = el('p', 'detail');
    detail.hidden = true;
    item.append(head, args, progress, detail);
    this.#list.append(item);
    const entry = { item, mark, time, progress, bar, message, detail };
    this.#calls.set(event.id, entry);
    return entry;
  }

  progress(event) {
    const entry = this.#entry(event);
    entry.progress.hidden = false;
    if (typeof event.total === 'number' && event.total > 0) {
      entry.bar.max = event.total;
      entry.bar.value = Math.min(event.progress, event.total);
    } else entry.bar.removeAttribute('value');
    entry.message.textContent = event.message ?? '';
  }

  /** A `tool_end`: ✓ or ✗ with the duration (and what went wrong). */
  end(event) {
    const duration = formatDuration(event.durationMs);
    if (event.ok) this.#settle(this.#entry(event), 'ok', '✓', duration);
    else this.#settle(this.#entry(event), 'failed', '✗', `failed after ${duration}`, summarise(event.result, 300));
  }

  declined(event) {
    this.#settle(this.#entry(event), 'declined', '⊘', 'not run', event.reason);
  }

  /** Marks calls still running as stopped: the run failed or was cancelled under them. */
  stopRunning() {
    for (const entry of this.#calls.values()) if (entry.item.classList.contains('running')) this.#settle(entry, 'stopped', '–', 'stopped');
  }

  #entry(event) {
    return this.#calls.get(event.id) ?? this.start(event);
  }

  #settle(entry, state, mark, time, detail) {
    entry.item.classList.remove('running');
    entry.item.classList.add(state);
    entry.mark.textContent = mark;
    entry.time.textContent = time;
    entry.progress.hidden = true;
    if (detail) {
      entry.detail.textContent = detail;
      entry.detail.hidden = false;
    }
  }
}
