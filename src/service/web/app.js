// The page at `/`: starts a run (POST /v1/runs, `Prefer: respond-async`), follows its events
// with an EventSource, asks for approvals and cancels. Text from the service goes into the page
// through textContent only, never as HTML.

import { eventsUrl, recall, remember, request, runPath } from './api.js';
import { button, el, toolLabel } from './dom.js';
import { Timeline } from './timeline.js';

const EVENT_TYPES = [
  'run_started',
  'tool_start',
  'tool_progress',
  'tool_end',
  'tool_declined',
  'warning',
  'token',
  'approval_needed',
  'answer',
  'error',
  'cancelled',
];
const FINAL_TYPES = new Set(['answer', 'error', 'cancelled']);
const THREAD_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const STORED = { key: 'switchboard.apiKey', thread: 'switchboard.threadId', run: 'switchboard.runId' };
/** Attempts to re-open a stream the service refused before giving up. */
const MAX_RETRIES = 5;
/** Events the JSON page of GET /v1/runs/:id/events holds at most. */
const EVENTS_PAGE_LIMIT = 1000;

const byId = (id) => document.getElementById(id);
const ui = {
  form: byId('ask'),
  input: byId('input'),
  thread: byId('thread'),
  newThread: byId('new-thread'),
  run: byId('run'),
  cancel: byId('cancel'),
  status: byId('status'),
  error: byId('error'),
  settings: byId('settings'),
  settingsForm: byId('settings-form'),
  key: byId('api-key'),
  approval: byId('approval'),
  approvalTitle: byId('approval-title'),
  pending: byId('pending'),
  approveAll: byId('approve-all'),
  timeline: byId('timeline'),
  answer: byId('answer'),
  answerTitle: byId('answer-title'),
};

/**
 * The run on screen: its id, the seq of the last event shown (so a reconnect never shows one
 * twice), its open stream, and the decisions taken on its pending calls.
 */
let current = null;
const timeline = new Timeline(ui.timeline);

const apiKey = () => ui.key.value.trim();
const api = (method, path, body) => request(apiKey(), method, path, body);

function say(text) {
  ui.status.textContent = text;
}

function showError(message) {
  ui.error.textContent = message;
  ui.error.hidden = false;
}

function clearError() {
  ui.error.textContent = '';
  ui.error.hidden = true;
}

// --- busy state ---

function setBusy(busy, text) {
  // A hidden button drops focus: hand it to the request box first.
  if (!busy && document.activeElement === ui.cancel) ui.input.focus();
  ui.run.setAttribute('aria-disabled', String(busy));
  ui.cancel.hidden = !busy;
  ui.newThread.disabled = busy;
  ui.thread.readOnly = busy;
  ui.answer.setAttribute('aria-busy', String(busy));
  if (text) say(text);
}

const isBusy = () => ui.run.getAttribute('aria-disabled') === 'true';

// --- events ---

function render(event) {
  switch (event.type) {
    case 'run_started': {
      const resumed =
        event.resumed === 'approval' ? 'Resumed after your decision' : event.resumed === 'restart' ? 'Resumed after a service restart' : '';
      if (resumed) timeline.note(resumed);
      else {
        timeline.note(`You asked: ${event.request}`, 'note request');
        timeline.note(`Started (model ${event.model}; servers ${(event.servers ?? []).join(', ')})`);
      }
      setBusy(true, 'Running…');
      break;
    }
    case 'tool_start':
      timeline.start(event);
      break;
    case 'tool_progress':
      timeline.progress(event);
      break;
    case 'tool_end':
      timeline.end(event);
      break;
    case 'tool_declined':
      timeline.declined(event);
      break;
    case 'warning':
      timeline.note(event.message, 'warning');
      break;
    case 'token':
      ui.answer.append(event.text);
      break;
    case 'approval_needed':
      timeline.note(`Paused: ${event.pending.length === 1 ? 'a call needs' : `${event.pending.length} calls need`} your approval`);
      void paused(event.seq);
      break;
    case 'answer':
      ui.answer.textContent = event.answer;
      finish('Done.');
      break;
    case 'error':
      showError(`The run failed (${event.code}): ${event.message}`);
      finish('Failed.');
      break;
    case 'cancelled':
      timeline.note(`Cancelled: ${event.reason}`);
      finish('Cancelled.');
      break;
  }
}

/** Shows an event unless it was shown already (a stream re-opened after a drop replays nothing, but be sure). */
function accept(event) {
  if (!current || typeof event.seq !== 'number' || event.seq <= current.lastSeq) return;
  current.lastSeq = event.seq;
  render(event);
}

function finish(text) {
  stopFollowing();
  timeline.stopRunning();
  hideApproval();
  remember(STORED.run, '');
  current.ended = true;
  setBusy(false, text);
}

// --- following a run ---

function stopFollowing() {
  current?.source?.close();
  if (current) current.source = null;
}

/** Opens the run's event stream after the last event shown. */
function follow() {
  stopFollowing();
  const source = new EventSource(eventsUrl(current.id, current.lastSeq, apiKey()));
  const run = current;
  run.source = source;
  for (const type of EVENT_TYPES) {
    source.addEventListener(type, (message) => {
      // `error` is also what EventSource calls a connection problem (no data): handled below.
      if (run !== current || run.source !== source || typeof message.data !== 'string') return;
      let event;
      try {
        event = JSON.parse(message.data);
      } catch {
        return;
      }
      accept(event);
      if (FINAL_TYPES.has(event.type)) source.close();
    });
  }
  source.addEventListener('open', () => {
    if (run !== current || run.source !== source || run.ended) return;
    run.retries = 0;
    if (run.reconnecting) say('Reconnected; running…');
    run.reconnecting = false;
  });
  source.addEventListener('error', (problem) => {
    if (run !== current || run.source !== source || typeof problem.data === 'string') return;
    // CONNECTING: the browser reconnects by itself, sending Last-Event-ID.
    if (source.readyState === EventSource.CONNECTING) {
      run.reconnecting = true;
      return say('Connection lost; reconnecting…');
    }
    source.close();
    run.source = null;
    void recover(run);
  });
}

/** The service refused the stream (a bad key, an unknown run, a restart): read the events as JSON, which says why. */
async function recover(run) {
  try {
    let page;
    do {
      page = await api('GET', runPath(run.id, `/events?after=${run.lastSeq}`));
      if (run !== current) return;
      for (const event of page.events) accept(event);
    } while (page.events.length >= EVENTS_PAGE_LIMIT && !run.ended);
    if (run.ended || page.status === 'waiting_approval') return;
    run.retries = (run.retries ?? 0) + 1;
    if (run.retries > MAX_RETRIES) throw new Error('lost the run’s event stream; reload the page to follow it again');
    say('Connection lost; reconnecting…');
    window.setTimeout(() => run === current && !run.ended && !run.source && follow(), 1000 * run.retries);
  } catch (error) {
    if (run === current) fail(error);
  }
}

/**
 * The stream ends at an `approval_needed` while the run waits (a stream that replays an old pause
 * goes on instead); ask the run whether it is still waiting on this pause before asking the person.
 */
async function paused(seq) {
  const run = current;
  stopFollowing();
  try {
    const view = await api('GET', runPath(run.id));
    if (run !== current) return;
    if (view.status === 'waiting_approval' && view.lastEventId === seq) {
      setBusy(true, 'Waiting for your approval.');
      showApproval(view.pending);
    } else follow();
  } catch (error) {
    if (run === current) fail(error);
  }
}

// --- approvals ---

function showApproval(pending) {
  current.pending = pending;
  current.decisions = new Map();
  ui.pending.replaceChildren();
  pending.forEach((call, index) => {
    const item = el('li', 'pending-call');
    const title = el('p', 'pending-title');
    title.id = `pending-${current.lastSeq}-${index}`;
    title.append(toolLabel(call.name, call.server ?? null));
    const args = el('pre', 'args-full', JSON.stringify(call.args ?? {}, null, 2));
    const reason = el('p', 'hint', `Why it asks: ${call.reason}`);
    const choices = el('div', 'choices');
    const approve = button('Approve', '', () => decide(call.id, true));
    const reject = button('Reject', 'secondary', () => decide(call.id, false));
    for (const control of [approve, reject]) control.setAttribute('aria-describedby', title.id);
    choices.append(approve, reject, el('span', 'decision'));
    item.append(title, args, reason, choices);
    item.dataset.callId = call.id;
    ui.pending.append(item);
  });
  ui.approveAll.hidden = pending.length < 2;
  ui.approval.hidden = false;
  ui.approvalTitle.focus();
}

function hideApproval() {
  const hadFocus = ui.approval.contains(document.activeElement);
  ui.approval.hidden = true;
  ui.pending.replaceChildren();
  if (hadFocus) ui.answerTitle.focus();
}

function decide(callId, approve) {
  if (!current?.pending || current.sending) return;
  current.decisions.set(callId, { approve });
  for (const item of ui.pending.children) {
    if (item.dataset.callId !== callId) continue;
    item.querySelector('.decision').textContent = approve ? 'Approved' : 'Rejected';
    item.classList.toggle('rejected', !approve);
  }
  if (current.decisions.size >= current.pending.length) void sendDecisions();
}

function approveAll() {
  if (!current?.pending) return;
  for (const call of current.pending) if (!current.decisions.has(call.id)) current.decisions.set(call.id, { approve: true });
  void sendDecisions();
}

function setApprovalControls(enabled) {
  for (const control of ui.approval.querySelectorAll('button')) control.disabled = !enabled;
}

async function sendDecisions() {
  const run = current;
  run.sending = true;
  // Disabled buttons drop focus: keep it in the section until it closes.
  if (ui.approval.contains(document.activeElement)) ui.approvalTitle.focus();
  setApprovalControls(false);
  say('Sending your decision…');
  try {
    await api('POST', runPath(run.id, '/approval'), { decisions: Object.fromEntries(run.decisions) });
    if (run !== current) return;
    hideApproval();
    run.pending = null;
    say('Resuming…');
    follow();
  } catch (error) {
    if (run !== current) return;
    showError(`Could not send the decision: ${error.message}`);
    if (error.status === 409) {
      // Someone else decided or cancelled it: show what happened instead.
      hideApproval();
      run.pending = null;
      follow();
    } else {
      run.decisions = new Map();
      for (const mark of ui.pending.querySelectorAll('.decision')) mark.textContent = '';
      setApprovalControls(true);
    }
  } finally {
    run.sending = false;
  }
}

// --- starting, cancelling, resetting ---

function fail(error) {
  stopFollowing();
  if (current) current.ended = true;
  remember(STORED.run, '');
  showError(error.message);
  setBusy(false, 'Stopped.');
  if (error.status === 401) {
    ui.settings.open = true;
    ui.key.focus();
  }
}

function clearView() {
  stopFollowing();
  current = null;
  clearError();
  hideApproval();
  timeline.clear();
  ui.answer.replaceChildren();
}

/** Shows run `id` from its event `after` on. */
function watch(id, after) {
  current = {
    id,
    lastSeq: after,
    source: null,
    pending: null,
    decisions: new Map(),
    retries: 0,
    reconnecting: false,
    ended: false,
    sending: false,
    cancelling: false,
  };
  remember(STORED.run, id);
  setBusy(true, 'Connecting…');
  follow();
}

async function start(submitted) {
  submitted.preventDefault();
  if (isBusy()) return say('A run is in progress: wait for it or cancel it.');
  const input = ui.input.value.trim();
  const threadId = ui.thread.value.trim();
  if (!input) {
    showError('Type a request first.');
    return ui.input.focus();
  }
  if (threadId && !THREAD_ID.test(threadId)) {
    showError('The conversation id may hold only letters, digits, ".", "_", ":" and "-" (at most 128).');
    return ui.thread.focus();
  }
  clearView();
  setBusy(true, 'Starting…');
  try {
    const run = await api('POST', 'v1/runs', threadId ? { input, threadId } : { input });
    ui.thread.value = run.threadId;
    remember(STORED.thread, run.threadId);
    ui.input.value = '';
    watch(run.id, 0);
  } catch (error) {
    fail(error);
  }
}

async function cancel() {
  const run = current;
  if (!run || run.ended || run.cancelling) return;
  run.cancelling = true;
  say('Cancelling…');
  try {
    await api('DELETE', runPath(run.id));
    // A paused run has no open stream: open one to show its `cancelled` event.
    if (run === current && !run.source && !run.ended) follow();
  } catch (error) {
    if (run === current) showError(`Could not cancel: ${error.message}`);
  } finally {
    run.cancelling = false;
  }
}

function newConversation() {
  if (isBusy()) return;
  clearView();
  ui.thread.value = '';
  remember(STORED.thread, '');
  remember(STORED.run, '');
  say('New conversation.');
  ui.input.focus();
}

// --- wiring ---

ui.form.addEventListener('submit', start);
ui.input.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    ui.form.requestSubmit();
  }
});
ui.cancel.addEventListener('click', cancel);
ui.newThread.addEventListener('click', newConversation);
ui.approveAll.addEventListener('click', approveAll);
ui.settingsForm.addEventListener('submit', (event) => {
  event.preventDefault();
  ui.settings.open = false;
  ui.settings.querySelector('summary').focus();
});
ui.key.addEventListener('input', () => remember(STORED.key, apiKey()));
ui.thread.addEventListener('change', () => remember(STORED.thread, ui.thread.value.trim()));

ui.key.value = recall(STORED.key);
ui.thread.value = recall(STORED.thread);
// A reload mid-run picks the run up again, replaying its events from the start.
if (recall(STORED.run)) watch(recall(STORED.run), 0);
else say('Ready.');
