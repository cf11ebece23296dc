import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { IncidentQuery, IncidentRepository } from '../../../servers/incident/repository.ts';
import type { NewIncident } from '../../../servers/incident/model.ts';

/** Summaries (and optional details) of a small help desk, created in this order: INC0010001 ... */
export const HELP_DESK: readonly Partial<NewIncident>[] = [
  { short_description: 'Wi-Fi drops in building B', description: 'Laptops lose the wireless network every few minutes' },
  { short_description: 'WiFi password rejected on the guest network' },
  { short_description: 'wifi slow in the canteen' },
  { short_description: 'wi fi is down on floor 2' },
  { short_description: 'E-mail bounces for external addresses' },
  { short_description: 'email quota full', description: 'Mailbox at 50 GB' },
  { short_description: 'e mail not syncing on phones' },
  { short_description: 'Log-in page stays blank' },
  { short_description: 'SSO login loop for all users' },
  { short_description: 'Users cannot log in to the portal' },
  { short_description: 'Log file is full on the app server' },
  { short_description: 'Mail server certificate expired' },
  { short_description: 'VPN drops every 10 minutes', description: 'Users in Lyon lose the tunnel' },
  { short_description: 'Cannot reach the intranet', description: 'Started after the VPN client update' },
  { short_description: 'Printer jam on floor 3', description: 'Related to the paper tray incident of last week' },
  { short_description: 'Outlook crashes on start', work_note: 'Possibly VPN related: the add-in calls home' },
  { short_description: 'Incident review: meeting room booking fails' },
  { short_description: 'Café badge reader broken' },
];

/** Numbers of the HELP_DESK incidents, by their position in it (1-based). */
export const inc = (...positions: number[]) => positions.map((position) => `INC${String(10000 + position).padStart(7, '0')}`);

/** What the search tests need of the suite that runs them: the store of the current test. */
export interface SearchSuite {
  repo(): IncidentRepository;
  create(input?: Partial<NewIncident>): Promise<unknown>;
}

/** The search behaviour every IncidentRepository must have; called inside describeIncidentRepository. */
export function defineSearchTests({ repo, create }: SearchSuite): void {
  describe('search', () => {
    const createAll = async (incidents: readonly Partial<NewIncident>[]) => {
      for (const incident of incidents) await create(incident);
    };
    /** Numbers in relevance order (the default with text). */
    const ranked = async (text: string, query: IncidentQuery = {}) =>
      (await repo().search({ text, limit: 100, ...query })).incidents.map((hit) => hit.number);
    const found = async (text: string) => new Set(await ranked(text));

    test('full text covers summary, description and work notes, and follows updates', async () => {
      await create({ short_description: 'SSO login loop for all users' });
      await create({ short_description: 'VPN drops', description: 'The login page of the VPN portal times out' });
      await create({ short_description: 'Printer jam', work_note: 'Replaced the paper tray' });
      const numbers = async (text: string) =>
        (await repo().search({ text, sort: 'opened_at', order: 'asc' })).incidents.map((hit) => hit.number);
      assert.deepEqual(await numbers('login'), ['INC0010001', 'INC0010002']);
      assert.deepEqual(await numbers('loops'), ['INC0010001']);
      assert.deepEqual(await numbers('paper tray'), ['INC0010003']);
      assert.deepEqual(await numbers('"tray paper"'), []);
      assert.deepEqual(await numbers('sso OR printer'), ['INC0010001', 'INC0010003']);
      assert.deepEqual(await numbers('login -vpn'), ['INC0010001']);
      assert.deepEqual(await ranked('login: (SSO) loop*'), ['INC0010001', 'INC0010002'], 'the one with every word first');
      await repo().search({ text: '"unterminated AND ( NEAR -' });
      await repo().search({ text: 'OR -x "" ) * {short_description}: ^' });
      assert.equal((await repo().search({ text: '?!' })).total, 3);
      await repo().update('INC0010002', { work_note: 'Firewall rule fixed' }, 'bob');
      assert.deepEqual(await numbers('firewall'), ['INC0010002']);
      await repo().update('INC0010003', { short_description: 'Toner empty' }, 'bob');
      assert.deepEqual(await numbers('jam'), []);
      assert.deepEqual(await numbers('toner'), ['INC0010003']);
      const hit = (await repo().search({ text: 'toner' })).incidents[0];
      assert.equal(typeof hit?.score, 'number');
      assert.equal((await repo().search({})).incidents[0]?.score, null);
    });

    test('a query of exclusions only leaves out what it names instead of being ignored', async () => {
      await create({ short_description: 'SSO login loop for all users' });
      await create({ short_description: 'VPN drops', description: 'The login page of the VPN portal times out' });
      await create({ short_description: 'Printer jam', work_note: 'Replaced the paper tray' });
      const numbers = async (query: IncidentQuery) =>
        (await repo().search({ sort: 'opened_at', order: 'asc', ...query })).incidents.map((hit) => hit.number);
      assert.deepEqual(await numbers({ text: '-vpn' }), ['INC0010001', 'INC0010003']);
      assert.deepEqual(await numbers({ text: '-vpn -"paper tray"' }), ['INC0010001']);
      assert.deepEqual(await numbers({ text: '-printer', states: ['New'] }), ['INC0010001', 'INC0010002']);
      assert.equal((await repo().search({ text: '-vpn' })).total, 2);
      assert.equal((await repo().search({ text: '-vpn' })).incidents[0]?.score, null);
    });

    test('relevance ranks a summary hit above a description hit above a work-note hit', async () => {
      await create({ short_description: 'Mail delayed', work_note: 'outlook client was slow to sync' });
      await create({ short_description: 'Outlook crashes on start' });
      await create({ short_description: 'Calendar broken', description: 'Outlook shows no meetings' });
      const page = await repo().search({ text: 'outlook' });
      assert.deepEqual(
        page.incidents.map((hit) => hit.number),
        ['INC0010002', 'INC0010003', 'INC0010001'],
      );
      const scores = page.incidents.map((hit) => hit.score ?? 0);
      assert.ok(scores[0]! > scores[1]! && scores[1]! > scores[2]!, scores.join(' > '));
      assert.equal(scores[0], 1, 'every word of the query in the summary');
    });

    test('regression: "VPN related incidents" finds the VPN incidents: filler words are not required, nor matched', async () => {
      await createAll(HELP_DESK);
      const vpn = inc(13, 14, 16);
      assert.deepEqual(await ranked('VPN related incidents'), vpn, 'summary, then description, then work note');
      assert.deepEqual(await ranked('any incidents about the VPN?'), vpn);
      assert.deepEqual(await ranked('vpn'), vpn);
      assert.equal((await repo().search({ text: 'VPN related incidents' })).total, 3);
      assert.deepEqual(await ranked('related'), inc(15, 16), 'a query of filler words alone still searches for them');
    });

    test('regression: any word may match, and incidents matching more (and rarer) words come first', async () => {
      await create({ short_description: 'Printer offline' });
      await create({ short_description: 'Printer jam', description: 'paper tray empty' });
      await create({ short_description: 'Paper tray stuck' });
      await create({ short_description: 'Laptop overheating' });
      assert.deepEqual(await ranked('printer jam paper tray'), ['INC0010002', 'INC0010003', 'INC0010001']);
      assert.equal((await repo().search({ text: 'printer jam paper tray' })).total, 3);
      assert.deepEqual(await ranked('laptop printer'), ['INC0010004', 'INC0010002', 'INC0010001'], 'the rarer word first');
      assert.deepEqual(await ranked('keyboard'), []);
    });

    test('regression: a word in every incident counts next to nothing', async () => {
      for (const summary of ['All users cannot print', 'Users report slow wifi', 'New users need accounts', 'Users locked out']) {
        await create({ short_description: summary });
      }
      await create({ short_description: 'VPN down', description: 'affects some users' });
      const page = await repo().search({ text: 'vpn users' });
      assert.equal(page.incidents[0]?.number, 'INC0010005');
      assert.equal(page.total, 5, 'the common word still matches');
      assert.ok(
        page.incidents.slice(1).every((hit) => (hit.score ?? 1) < 0.1),
        'users alone scores low',
      );
    });

    test('regression: wifi = wi-fi = wi fi, email = e-mail = e mail, login = log-in = log in', async () => {
      await createAll(HELP_DESK);
      const wifi = new Set(inc(1, 2, 3, 4));
      for (const text of ['wifi', 'Wi-Fi', 'WIFI', 'wi\u2011fi', '"wi-fi"']) assert.deepEqual(await found(text), wifi, text);
      assert.deepEqual(new Set((await ranked('wi fi')).slice(0, 4)), wifi, 'wi fi');
      const email = new Set(inc(5, 6, 7));
      for (const text of ['email', 'e-mail', 'E-Mail', 'emails']) assert.deepEqual(await found(text), email, text);
      assert.deepEqual(new Set((await ranked('e mail')).slice(0, 3)), email, 'e mail: the mail server may follow, not lead');
      const login = new Set(inc(8, 9, 10));
      for (const text of ['login', 'log-in', 'Login', 'logins']) assert.deepEqual(await found(text), login, text);
      assert.deepEqual(new Set((await ranked('log in')).slice(0, 3)), login, 'log in');
      assert.equal((await ranked('log file'))[0], inc(11)[0], 'log file is not login');
    });

    test('quoted phrases must match, in order; -"phrase" and -word leave incidents out', async () => {
      await createAll(HELP_DESK);
      assert.deepEqual(await ranked('"paper tray" printer'), inc(15));
      assert.deepEqual(await ranked('"tray paper" printer'), []);
      assert.deepEqual(await ranked('"wi-fi drops"'), inc(1));
      assert.deepEqual(await ranked('"wifi drops"'), inc(1));
      assert.deepEqual(await ranked('"floor 2"'), inc(4));
      assert.deepEqual(await found('drops -"building b"'), new Set(inc(13)));
      assert.deepEqual(await found('wifi -guest -canteen'), new Set(inc(1, 4)));
      assert.deepEqual(await found('floor OR drops -vpn'), new Set(inc(1, 4, 15)));
    });

    test('stems, case and accents do not matter', async () => {
      await createAll(HELP_DESK);
      assert.deepEqual(await found('crashed'), new Set(inc(16)));
      assert.deepEqual(await found('PRINTERS jammed'), new Set(inc(15)));
      assert.deepEqual(await found('cafe'), new Set(inc(18)));
      assert.deepEqual(await found('CAFÉ'), new Set(inc(18)));
      assert.deepEqual(await found('syncs'), new Set(inc(7)));
    });

    test('the top hits of a help desk, the same on every store', async () => {
      await createAll(HELP_DESK);
      // Relevance first; equally relevant incidents newest first.
      assert.deepEqual((await ranked('users cannot log in')).slice(0, 3), inc(10, 9, 8));
      assert.deepEqual((await ranked('vpn drops in lyon')).slice(0, 2), inc(13, 1));
      assert.deepEqual((await ranked('printer in room 3')).slice(0, 2), inc(15, 17));
      assert.deepEqual((await ranked('guest wifi password')).slice(0, 2), inc(2, 4));
      assert.deepEqual((await ranked('phone mail sync')).slice(0, 2), inc(7, 12));
      assert.deepEqual(await ranked('floor'), inc(15, 4));
      assert.deepEqual(await ranked('full', { states: ['New'], limit: 1 }), inc(11));
    });
  });
}
