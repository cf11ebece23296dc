import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { ServerEntrySchema } from '../../src/config/file.ts';
import { browserSkipReason, launchChromium } from '../helpers/browser.ts';
import { cleanupAfter } from '../helpers/cleanup.ts';
import { dataDirOf, offlineModels, startBuiltinAgents, startService, type ServiceUnderTest } from '../src/service/harness.ts';

// Without a browser the suite is skipped with the reason, unless SWITCHBOARD_REQUIRE_BROWSER=1 (CI) makes it fail.
const skip = browserSkipReason();

describe('the web page asks for exactly what the servers\' "approve" settings say', { timeout: 60_000, skip }, () => {
  let dir: string;
  let agents: Awaited<ReturnType<typeof startBuiltinAgents>>;
  let service: ServiceUnderTest;
  let browser: Browser;
  let page: Page;

  const answer = () => page.locator('#answer');
  const ask = async (text: string) => {
    await page.getByLabel('What should the agents do?').fill(text);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
  };

  const cleanup = cleanupAfter();
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'switchboard-web-approve-'));
    cleanup.defer(() => rm(dir, { recursive: true, force: true }));
    [agents, browser] = await Promise.all([cleanup.start(startBuiltinAgents(dataDirOf(dir))), cleanup.start(launchChromium())]);
    const servers = {
      ...agents.servers,
      incident: ServerEntrySchema.parse({ ...agents.servers['incident'], approve: 'never' }),
      analysis: ServerEntrySchema.parse({ ...agents.servers['analysis'], approve: 'always' }),
    };
    service = await cleanup.start(startService({ dataDir: join(dir, 'service'), servers, resolveModel: offlineModels() }));
    const context = await browser.newContext();
    context.setDefaultTimeout(10_000);
    page = await context.newPage();
    await page.goto(`${service.url}/`);
  });

  test('"always": a read-only call shows the approval buttons with the reason; Approve runs it', async () => {
    await ask('how upset is this customer: "third outage this week, unacceptable!"');
    const approve = page.getByRole('button', { name: 'Approve', exact: true });
    await approve.waitFor();
    const approval = page.getByRole('region', { name: 'Approval needed' });
    assert.match((await approval.textContent())!, /analysis ›[\s\S]*Why it asks: server "analysis" is configured to ask before every call/);
    await approve.click();
    await answer()
      .filter({ hasText: /negative|upset|angry/i })
      .waitFor();
    assert.equal(await approval.isVisible(), false);
  });

  test('"never": a destructive call runs with no approval asked', async () => {
    await ask('create an incident for the broken blinds in meeting room 3');
    await answer()
      .filter({ hasText: /INC\d{7}/ })
      .waitFor();
    const number = /INC\d{7}/.exec((await answer().textContent())!)![0];
    await ask(`set ${number} to In Progress`);
    await answer().filter({ hasText: 'In Progress' }).waitFor();
    assert.equal(await page.getByRole('region', { name: 'Approval needed' }).isVisible(), false);
    assert.match((await page.locator('#timeline .call').last().textContent())!, /update_incident/);
  });
});
