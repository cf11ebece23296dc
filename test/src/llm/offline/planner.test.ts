import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AIMessage, HumanMessage, ToolMessage, type AIMessageChunk, type BaseMessage } from '@langchain/core/messages';
import type { ToolDefinition } from '@langchain/core/language_models/base';
import { OfflinePlanner } from '../../../../src/llm/offline/index.ts';

// A made-up ticket system and a calculator: the planner knows nothing of them but their schemas.
const fn = (name: string, description: string, properties: Record<string, unknown>, required: string[]): ToolDefinition => ({
  type: 'function',
  function: { name, description, parameters: { type: 'object', properties, required } },
});
const TICKET_ID = { type: 'string', pattern: '^HD-\\d{3,}$', description: 'Ticket key, e.g. HD-1234' };
const TOOLS = [
  fn(
    'tickets__open_ticket',
    'Open a new support ticket; returns its key.',
    { title: { type: 'string', description: 'One-line summary' }, urgency: { type: 'string', enum: ['high', 'low'] } },
    ['title'],
  ),
  fn('tickets__get_ticket', 'Read one ticket by its key.', { ticket_id: TICKET_ID }, ['ticket_id']),
  fn(
    'tickets__update_ticket',
    'Change the status of a ticket.',
    { ticket_id: TICKET_ID, status: { type: 'string', enum: ['Open', 'In Progress', 'Done'] } },
    ['ticket_id'],
  ),
  fn(
    'tickets__search_tickets',
    'Find tickets by text.',
    { query: { type: 'string', description: 'Words to look for' }, since: { type: 'string', format: 'date' } },
    [],
  ),
  fn('math__add', 'Adds two numbers.', { a: { type: 'number' }, b: { type: 'number' } }, ['a', 'b']),
];

const planner = () => new OfflinePlanner({ now: () => new Date('2026-11-20T10:00:00Z') });
const bound = () => planner().bindTools(TOOLS);
const calls = (message: AIMessage | AIMessageChunk) => (message.tool_calls ?? []).map((call) => [call.id, call.name, call.args]);
const result = (id: string, content: unknown) =>
  new ToolMessage({ tool_call_id: id, content: typeof content === 'string' ? content : JSON.stringify(content) });

test('independent parts are called at once, with ids by turn and part', async () => {
  const reply = await bound().invoke([new HumanMessage('Open a high urgency ticket for the broken printer and add 2 and 40')]);
  assert.deepEqual(calls(reply), [
    ['call_1_1', 'tickets__open_ticket', { urgency: 'high', title: 'Broken printer' }],
    ['call_1_2', 'math__add', { a: 2, b: 40 }],
  ]);
  assert.equal(reply.content, '');
  assert.equal(reply.response_metadata.finish_reason, 'tool_calls');
});

test('a part that points back waits for the result it needs, then uses it', async () => {
  const model = bound();
  const messages: BaseMessage[] = [new HumanMessage('Open a ticket for the broken printer, then set it to in progress')];
  const first = await model.invoke(messages);
  assert.deepEqual(calls(first), [['call_1_1', 'tickets__open_ticket', { title: 'Broken printer' }]]);
  messages.push(first, result('call_1_1', { ticket: { key: 'x', ticket_id: 'HD-501', title: 'Broken printer' } }));
  const second = await model.invoke(messages);
  assert.deepEqual(calls(second), [['call_1_2', 'tickets__update_ticket', { ticket_id: 'HD-501', status: 'In Progress' }]]);
  messages.push(second, result('call_1_2', { ticket_id: 'HD-501', status: 'In Progress' }));
  const answer = await model.invoke(messages);
  assert.deepEqual(calls(answer), []);
  assert.match(String(answer.content), /HD-501/);
  assert.match(String(answer.content), /In Progress/);
  assert.equal(answer.response_metadata.clarification, false);

  messages.push(answer, new HumanMessage('mark it Done'));
  const next = await model.invoke(messages);
  assert.deepEqual(
    calls(next),
    [['call_2_1', 'tickets__update_ticket', { ticket_id: 'HD-501', status: 'Done' }]],
    'a later turn points back too',
  );
});

test('the same thread always gives the same step, from any instance', async () => {
  const messages = [new HumanMessage('find tickets about VPN since yesterday')];
  const [a, b] = await Promise.all([bound().invoke(messages), bound().invoke(messages)]);
  assert.deepEqual(calls(a), calls(b));
  assert.deepEqual(calls(a), [['call_1_1', 'tickets__search_tickets', { since: '2026-11-19', query: 'VPN' }]]);
});

test('a failed tool is reported as such, and what depended on it is not run', async () => {
  const model = bound();
  const messages: BaseMessage[] = [new HumanMessage('Open a ticket for the outage, then set it to Done')];
  const first = await model.invoke(messages);
  messages.push(first, new ToolMessage({ tool_call_id: 'call_1_1', status: 'error', content: 'Error: ticket store unavailable' }));
  const answer = await model.invoke(messages);
  assert.deepEqual(calls(answer), []);
  assert.match(String(answer.content), /failed: ticket store unavailable/);
  assert.match(String(answer.content), /did not run update ticket/i);
});

test('nothing fits, or a required value is unknown: a question, marked as clarification', async () => {
  const none = await bound().invoke([new HumanMessage('Book me a flight to Paris')]);
  assert.deepEqual(calls(none), []);
  assert.equal(none.response_metadata.clarification, true);
  assert.match(String(none.content), /\?$/);
  const missing = await bound().invoke([new HumanMessage('Set the ticket to Done')]);
  assert.match(String(missing.content), /I need the ticket id \(Ticket key, e\.g\. HD-1234\)/);
});

test('tool_choice: none answers, a name forces that tool', async () => {
  const model = planner();
  const none = await model.bindTools(TOOLS, { tool_choice: 'none' }).invoke([new HumanMessage('add 1 and 2')]);
  assert.deepEqual(calls(none), []);
  const forced = await model.bindTools(TOOLS, { tool_choice: 'tickets__search_tickets' }).invoke([new HumanMessage('add 1 and 2')]);
  assert.equal(calls(forced)[0]?.[1], 'tickets__search_tickets');
});

test('calls made by another model are recognised by tool name and not repeated', async () => {
  const messages: BaseMessage[] = [
    new HumanMessage('add 2 and 3'),
    new AIMessage({ content: '', tool_calls: [{ id: 'toolu_123', name: 'math__add', args: { a: 2, b: 3 }, type: 'tool_call' }] }),
    result('toolu_123', 'The sum is 5.'),
  ];
  const answer = await bound().invoke(messages);
  assert.deepEqual(calls(answer), []);
  assert.equal(answer.content, 'Add (math): The sum is 5.');
});

test('with no tools it says so; a greeting gets the list of tools', async () => {
  const bare = await planner().invoke([new HumanMessage('add 1 and 2')]);
  assert.match(String(bare.content), /no tools connected/);
  const hello = await bound().invoke([new HumanMessage('hi!')]);
  assert.match(String(hello.content), /- tickets: open ticket, get ticket, update ticket, search tickets\n- math: add/);
});

test('streaming yields the same message', async () => {
  const chunks: AIMessageChunk[] = [];
  for await (const chunk of await bound().stream([new HumanMessage('add 2 and 40')])) chunks.push(chunk);
  assert.deepEqual(
    chunks.flatMap((chunk) => calls(chunk)),
    [['call_1_1', 'math__add', { a: 2, b: 40 }]],
  );
});

const TEXT_TOOLS = [
  fn('text__tone', 'Tell the sentiment and tone of a text.', { text: { type: 'string', description: 'The text to read' } }, ['text']),
  fn('text__entities', 'Extract people, places and organisations from a text.', { text: { type: 'string' } }, ['text']),
  fn(
    'tickets__update_ticket',
    'Change a ticket: its fields, or a note appended to its journal.',
    {
      ticket_id: TICKET_ID,
      assigned_to: { type: 'string', description: 'Who works on it' },
      resolution_note: { type: 'string', description: 'Required with status Done: what fixed it' },
      work_note: { type: 'string', description: 'Internal note appended to the journal' },
    },
    ['ticket_id'],
  ),
];

test('"that text" and "add that as a work note" take the text an earlier turn was about, not their own words', async () => {
  const model = planner().bindTools(TEXT_TOOLS);
  const quote = 'Thanks so much for fixing the printer so quickly, the whole team is grateful!';
  const messages: BaseMessage[] = [new HumanMessage(`What's the tone of this email: '${quote}'`)];
  const first = await model.invoke(messages);
  assert.deepEqual(calls(first), [['call_1_1', 'text__tone', { text: quote }]]);
  messages.push(first, result('call_1_1', { label: 'positive', tone: 'delighted' }));
  messages.push(await model.invoke(messages), new HumanMessage('and pull out the names and places from that text'));
  const second = await model.invoke(messages);
  assert.deepEqual(calls(second), [['call_2_1', 'text__entities', { text: quote }]]);
  messages.push(second, result('call_2_1', { people: [], places: [] }));
  messages.push(await model.invoke(messages), new HumanMessage('great, add that as a work note on HD-1234'));
  const third = await model.invoke(messages);
  assert.deepEqual(calls(third), [['call_3_1', 'tickets__update_ticket', { ticket_id: 'HD-1234', work_note: quote }]]);
});

test('a payload after a colon goes to the field the part names ("a note" is the work note), not to a field it never named', async () => {
  const model = planner().bindTools(TEXT_TOOLS);
  const reply = await model.invoke([new HumanMessage('add a note to HD-1234: technician booked for 2pm')]);
  assert.deepEqual(calls(reply), [
    ['call_1_1', 'tickets__update_ticket', { ticket_id: 'HD-1234', work_note: 'technician booked for 2pm' }],
  ]);
});

test('a step that names no record acts on what the step before it found: search, then note the hit; create, then note the new one', async () => {
  const model = planner().bindTools([TOOLS[0]!, TOOLS[3]!, TEXT_TOOLS[2]!]);
  const messages: BaseMessage[] = [new HumanMessage('Find the ticket about the Madrid VPN and add a note: vendor shipped firmware 4.2.1')];
  const first = await model.invoke(messages);
  assert.deepEqual(
    calls(first).map(([id, name]) => [id, name]),
    [['call_1_1', 'tickets__search_tickets']],
  );
  messages.push(first, result('call_1_1', { tickets: [{ ticket_id: 'HD-777', title: 'VPN drops in Madrid' }] }));
  const second = await model.invoke(messages);
  assert.deepEqual(calls(second), [
    ['call_1_2', 'tickets__update_ticket', { ticket_id: 'HD-777', work_note: 'vendor shipped firmware 4.2.1' }],
  ]);

  const created: BaseMessage[] = [
    new HumanMessage('Open a ticket for the broken projector in room Vega and add a work note that a loan projector was delivered.'),
  ];
  const opened = await model.invoke(created);
  assert.deepEqual(
    calls(opened).map(([id, name]) => [id, name]),
    [['call_1_1', 'tickets__open_ticket']],
  );
  created.push(opened, result('call_1_1', { ticket_id: 'HD-778', title: 'Broken projector in room Vega' }));
  assert.deepEqual(calls(await model.invoke(created)), [
    ['call_1_2', 'tickets__update_ticket', { ticket_id: 'HD-778', work_note: 'a loan projector was delivered' }],
  ]);
});

test('two changes to the one record a follow-up points at are one call, not two', async () => {
  const model = planner().bindTools([
    TOOLS[1]!,
    fn(
      'tickets__update_ticket',
      'Change a ticket.',
      {
        ticket_id: TICKET_ID,
        status: { type: 'string', enum: ['Open', 'In Progress', 'Done'] },
        assigned_to: { type: 'string', description: 'Who works on it' },
      },
      ['ticket_id'],
    ),
  ]);
  const messages: BaseMessage[] = [new HumanMessage('check HD-1234')];
  const first = await model.invoke(messages);
  messages.push(first, result('call_1_1', { ticket_id: 'HD-1234', title: 'CRM 502', status: 'Open' }));
  messages.push(await model.invoke(messages), new HumanMessage('put it in progress and assign it to Omar Haddad'));
  assert.deepEqual(calls(await model.invoke(messages)), [
    ['call_2_1', 'tickets__update_ticket', { ticket_id: 'HD-1234', status: 'In Progress', assigned_to: 'Omar Haddad' }],
  ]);
});

test('"Is there a ticket for X? If not, open one": opened about X only when the look-up found nothing about X', async () => {
  const model = planner().bindTools([TOOLS[0]!, TOOLS[3]!]);
  const request = 'Is there a ticket for the lift stuck between floors? If not, open one with high urgency.';
  const run = async (hits: unknown[]) => {
    const messages: BaseMessage[] = [new HumanMessage(request)];
    const first = await model.invoke(messages);
    assert.deepEqual(
      calls(first).map(([id, name]) => [id, name]),
      [['call_1_1', 'tickets__search_tickets']],
    );
    messages.push(first, result('call_1_1', { tickets: hits }));
    return model.invoke(messages);
  };
  const none = await run([{ ticket_id: 'HD-9', title: 'ERP export job stuck since Monday' }]);
  assert.deepEqual(calls(none), [['call_1_2', 'tickets__open_ticket', { urgency: 'high', title: 'lift stuck between floors' }]]);
  const found = await run([{ ticket_id: 'HD-10', title: 'Lift stuck between floors 3 and 4' }]);
  assert.deepEqual(calls(found), []);
  assert.match(String(found.content), /HD-10/);
});

test('"then repeat with ..." and "do the same for ..." are the call before, again with the values they change', async () => {
  const model = planner().bindTools([
    fn(
      'loans__monthly_payment',
      'Monthly payment of a loan.',
      { principal: { type: 'number', description: 'Amount borrowed' }, rate: { type: 'number', description: 'Yearly interest rate' } },
      ['principal', 'rate'],
    ),
  ]);
  for (const request of [
    'Work out the monthly payment for a principal of 2000 at a rate of 5, then repeat with a rate of 7.',
    'Work out the monthly payment for a principal of 2000 at a rate of 5. Do the same for a rate of 7.',
  ]) {
    const made = calls(await model.invoke([new HumanMessage(request)])).map(([, , args]) => args);
    assert.deepEqual(made, [
      { principal: 2000, rate: 5 },
      { principal: 2000, rate: 7 },
    ]);
  }
});

test('a later step that reuses what an earlier one was given ("of the same company") needs no result and runs at once', async () => {
  const model = planner().bindTools([
    fn('finance__net_margin', 'Net profit margin of a company.', { company: { type: 'string' }, net_income: { type: 'number' } }, [
      'company',
      'net_income',
    ]),
    fn('finance__debt_ratio', 'Debt ratio of a company.', { company_name: { type: 'string' }, total_debt: { type: 'number' } }, [
      'company_name',
      'total_debt',
    ]),
  ]);
  const reply = await model.invoke([
    new HumanMessage(
      'Calculate the net margin of Acme with a net income of 200. Also calculate the debt ratio of the same company with a total debt of 50.',
    ),
  ]);
  assert.deepEqual(
    calls(reply).map(([, name, args]) => [name, args]),
    [
      ['finance__net_margin', { company: 'Acme', net_income: 200 }],
      ['finance__debt_ratio', { company_name: 'Acme', total_debt: 50 }],
    ],
  );
});

test('a story that names no value is what the request after it is about, not a call of its own', async () => {
  const reply = await bound().invoke([new HumanMessage('my printer keeps jamming every time i open the tray, can u open a ticket')]);
  assert.deepEqual(
    calls(reply).map(([, name, args]) => [name, args]),
    [['tickets__open_ticket', { title: 'my printer keeps jamming every time i open the tray' }]],
  );
});

test('a verb said again starts a request of its own; shorthand after an identifier is read as its change', async () => {
  const two = await bound().invoke([new HumanMessage('Open two tickets: one for the broken printer and one for the dead mouse')]);
  assert.deepEqual(
    calls(two).map(([, name, args]) => [name, args]),
    [
      ['tickets__open_ticket', { title: 'Broken printer' }],
      ['tickets__open_ticket', { title: 'Dead mouse' }],
    ],
  );
  const terse = await bound().invoke([new HumanMessage('HD-501 -> status done')]);
  assert.deepEqual(calls(terse), [['call_1_1', 'tickets__update_ticket', { ticket_id: 'HD-501', status: 'Done' }]]);
});

test('a later step that names its own tool by a word an earlier tool shares ("then the weather forecast") runs at once', async () => {
  const tools = [
    fn('weather_current', 'Current weather conditions for a city.', { location: { type: 'string', description: 'The city.' } }, [
      'location',
    ]),
    fn(
      'weather_forecast',
      'Weather forecast for a city for the next days.',
      { location: { type: 'string', description: 'The city.' }, days: { type: 'integer', description: 'Number of days.' } },
      ['location', 'days'],
    ),
  ];
  const reply = await planner()
    .bindTools(tools)
    .invoke([new HumanMessage('Get the current weather in Paris, and then give the weather forecast for Rome for the next 7 days.')]);
  assert.deepEqual(
    (reply.tool_calls ?? []).map((call) => [call.name, call.args]),
    [
      ['weather_current', { location: 'Paris' }],
      ['weather_forecast', { location: 'Rome', days: 7 }],
    ],
  );
});

test('a sentence that ends before a request is its story, not half of the request', async () => {
  const reply = await bound().invoke([new HumanMessage('The VPN keeps dropping. Please open a ticket.')]);
  assert.deepEqual(
    calls(reply).map(([, name, args]) => [name, args]),
    [['tickets__open_ticket', { title: 'The VPN keeps dropping' }]],
  );
});

test('an existential opening ("There\'s ...") is no part of the summary', async () => {
  const reply = await bound().invoke([new HumanMessage("There's water leaking onto the server rack, open a ticket")]);
  assert.deepEqual(
    calls(reply).map(([, name, args]) => [name, args]),
    [['tickets__open_ticket', { title: 'Water leaking onto the server rack' }]],
  );
});

test('two parts read to the same values in another order are one call', async () => {
  const reply = await bound().invoke([new HumanMessage('Add 2 and 40. Then, once more, add 2 and 40.')]);
  const made = calls(reply);
  assert.deepEqual(
    made.map(([, name, args]) => [name, args]),
    [['math__add', { a: 2, b: 40 }]],
  );
});
