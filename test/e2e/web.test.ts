import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { browserSkipReason, launchChromium } from '../helpers/browser.ts';
import { cleanupAfter } from '../helpers/cleanup.ts';
import { dataDirOf, offlineModels, startBuiltinAgents, startService, type ServiceUnderTest } from '../src/service/harness.ts';

const KEY = 'web-test-key';
const COMPOUND =
  'create an incident for the broken projector in room 4 and tell me how upset this customer is: "third time this week, unacceptable!"';
/** Set to a file path to keep a screenshot of the page paused for approval. */
const SCREENSHOT = process.env['SWITCHBOARD_WEB_SCREENSHOT'];
// Reported as console errors, so a CSP violation fails the test even when Chromium logs nothing itself.
const REPORT_CSP = `document.addEventListener('securitypolicyviolation', (e) => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));`;

// Without a browser the suite is skipped with the reason, unless SWITCHBOARD_REQUIRE_BROWSER=1 (CI) makes it fail.
const skip = browserSkipReason();

describe('the web page at /, in headless Chromium, with the built-in agents and the offline planner', { timeout: 60_000, skip }, () => {
  let dir: string;
  let agents: Awaited<ReturnType<typeof startBuiltinAgents>>;
  let service: ServiceUnderTest;
  let browser: Browser;
  let page: Page;
  let incident: string;
  const problems: string[] = [];

  const answer = () => page.locator('#answer');
  const answerContaining = (text: string | RegExp) => answer().filter({ hasText: text }).waitFor();
  const ask = (text: string) => page.getByLabel('What should the agents do?').fill(text);
  const run = () => page.getByRole('button', { name: 'Run', exact: true }).click();

  const cleanup = cleanupAfter();
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'switchboard-web-'));
    cleanup.defer(() => rm(dir, { recursive: true, force: true }));
    [agents, browser] = await Promise.all([cleanup.start(startBuiltinAgents(dataDirOf(dir))), cleanup.start(launchChromium())]);
    service = await cleanup.start(
      startService({ dataDir: join(dir, 'service'), servers: agents.servers, resolveModel: offlineModels(), apiKeys: [KEY] }),
    );
    const context = await browser.newContext({ viewport: { width: 900, height: 1000 } });
    context.setDefaultTimeout(10_000);
    await context.addInitScript({ content: REPORT_CSP });
    page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  });
  afterEach(() => {
    assert.deepEqual(problems.splice(0), [], 'no console errors, page errors or CSP violations');
  });

  test('/ and its files are served with a strict CSP, no-cache and nosniff', async () => {
    const response = (await page.goto(`${service.url}/`))!;
    assert.equal(response.status(), 200);
    for (const [path, type] of [
      ['/', 'text/html'],
      ['/app.js', 'text/javascript'],
      ['/style.css', 'text/css'],
    ] as const) {
      const served = await fetch(`${service.url}${path}`);
      assert.equal(served.status, 200, path);
      assert.match(served.headers.get('content-type') ?? '', new RegExp(`^${type}`), path);
      assert.equal(served.headers.get('cache-control'), 'no-cache', path);
      assert.equal(served.headers.get('x-content-type-options'), 'nosniff', path);
      const csp = served.headers.get('content-security-policy') ?? '';
      for (const directive of ["default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'"])
        assert.ok(csp.includes(directive), `${path}: ${csp}`);
    }
    await page.getByRole('status').filter({ hasText: 'Ready.' }).waitFor();
  });

  test('without the API key a run is refused with a message, and the key field opens', async () => {
    await ask('search for printer jams');
    await run();
    await page.getByRole('alert').filter({ hasText: 'Authorization: Bearer' }).waitFor();
    assert.equal(await page.locator('#settings').getAttribute('open'), '', 'the settings open on the key');
    assert.equal(await page.evaluate('document.activeElement.id'), 'api-key');
    // Chromium logs every 4xx fetch as a console error: this one is expected.
    assert.ok(
      problems.every((p) => /status of 401/.test(p)),
      problems.join('\n'),
    );
    problems.length = 0;
    await page.getByLabel('API key').fill(KEY);
  });

  test('a compound request runs live: tool calls with durations in the timeline, the answer with the incident number', async () => {
    await ask(COMPOUND);
    await run();
    await answerContaining(/INC\d{7}/);
    incident = /INC\d{7}/.exec((await answer().textContent())!)![0];
    const calls = page.locator('#timeline .call');
    assert.equal(await calls.count(), 2);
    const [create, sentiment] = await calls.allInnerTexts();
    assert.match(create!, /incident › create_incident/);
    assert.match(create!, /short_description: "Broken projector in room 4"/, 'the arguments, summarised');
    assert.match(sentiment!, /analysis › analyze_sentiment/);
    assert.deepEqual(await page.locator('#timeline .call.ok .mark').allInnerTexts(), ['✓', '✓']);
    for (const time of await page.locator('#timeline .call .time').allInnerTexts()) assert.match(time, /^\d+(\.\d)? (ms|s)$/);
    assert.match((await page.getByRole('status').textContent())!, /Done/);
    assert.match(await page.getByLabel('Conversation').inputValue(), /^[0-9a-f-]{36}$/, 'the thread is kept for the next request');
    assert.equal(await page.getByRole('button', { name: 'Cancel' }).isVisible(), false);
  });

  test('a destructive call asks first: Approve (Ctrl+Enter to run) resumes the run, which changes the state', async () => {
    await ask(`set ${incident} to In Progress`);
    await page.getByLabel('What should the agents do?').press('Control+Enter');
    const approve = page.getByRole('button', { name: 'Approve', exact: true });
    await approve.waitFor();
    const approval = page.getByRole('region', { name: 'Approval needed' });
    assert.match(
      (await approval.textContent())!,
      new RegExp(`incident › update_incident[\\s\\S]*"number": "${incident}"[\\s\\S]*"state": "In Progress"[\\s\\S]*destructive`),
    );
    assert.equal(await page.getByRole('button', { name: 'Cancel' }).isVisible(), true, 'a paused run can be cancelled');
    if (SCREENSHOT) await page.screenshot({ path: SCREENSHOT, fullPage: true });
    await approve.click();
    await answerContaining('state In Progress');
    assert.equal(await approval.isVisible(), false);
    assert.match((await page.locator('#timeline').textContent())!, /Resumed after your decision/);
    assert.match((await page.locator('#timeline .call').last().textContent())!, /update_incident.*✓|✓.*update_incident/s);
  });

  test('Reject: the call is not run, and the answer says so', async () => {
    await ask(`set ${incident} to On Hold awaiting vendor`);
    await run();
    await page.getByRole('button', { name: 'Reject', exact: true }).click();
    await answerContaining('Not run');
    const declined = page.locator('#timeline .call.declined');
    assert.match((await declined.textContent())!, /update_incident[\s\S]*not run[\s\S]*declined/);
  });

  test('Cancel ends a paused run; New conversation starts afresh', async () => {
    await ask(`set ${incident} to New`);
    await run();
    await page.getByRole('button', { name: 'Approve', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('status').filter({ hasText: 'Cancelled.' }).waitFor();
    assert.equal(await page.getByRole('region', { name: 'Approval needed' }).isVisible(), false);
    await page.getByRole('button', { name: 'New conversation' }).click();
    assert.equal(await page.getByLabel('Conversation').inputValue(), '');
    assert.equal(await page.locator('#timeline .call').count(), 0);
  });
});
