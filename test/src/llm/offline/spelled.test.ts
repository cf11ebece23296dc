import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fillArguments } from '../../../../src/llm/offline/args.ts';
import { toToolSpec } from '../../../../src/llm/offline/toolIndex.ts';

const NOW = new Date('2026-12-03T12:00:00Z');
const lock = toToolSpec({
  type: 'function',
  function: {
    name: 'home__lock',
    description: 'Lock a lock.',
    parameters: {
      type: 'object',
      properties: { entity_id: { type: 'string', description: 'Lock entity ID, e.g. lock.front_door' } },
      required: ['entity_id'],
    },
  },
});
const fill = (text: string) => fillArguments(text, lock, { now: NOW, refers: false }).args;

test('an identifier example spelled from words the request says is the value', () => {
  assert.equal(fill('Lock the front door')['entity_id'], 'lock.front_door');
  assert.equal(fill('please lock the door at the front')['entity_id'], 'lock.front_door');
});

test('an example whose words are not all said is not the value', () => {
  assert.notEqual(fill('Lock the back door')['entity_id'], 'lock.front_door');
  assert.equal(fill('Lock lock.garage')['entity_id'], 'lock.garage');
});

const refund = toToolSpec({
  type: 'function',
  function: {
    name: 'payments__create_refund',
    description: 'Refund a payment intent, in full or in part.',
    parameters: {
      type: 'object',
      properties: {
        payment_intent: { type: 'string', description: 'ID of the PaymentIntent to refund, e.g. pi_123' },
        amount: { type: 'integer', description: 'Amount to refund in the smallest currency unit (cents)' },
      },
      required: ['payment_intent'],
    },
  },
});

test('a sum of money said in its main unit is counted in the smallest unit the description asks for', () => {
  const amount = (text: string) => fillArguments(text, refund, { now: NOW, refers: false }).args['amount'];
  assert.equal(amount('Refund $25 of pi_3Nx9'), 2500);
  assert.equal(amount('refund 12.50 dollars of pi_3Nx9'), 1250);
  assert.equal(amount('refund 2500 of pi_3Nx9'), 2500);
});

const pods = toToolSpec({
  type: 'function',
  function: {
    name: 'cluster__list_pods',
    description: 'List pods in a namespace with their status and restarts.',
    parameters: {
      type: 'object',
      properties: {
        namespace: { type: 'string', description: 'Kubernetes namespace', default: 'default' },
        label_selector: { type: 'string', description: 'Label selector, e.g. app=web' },
      },
    },
  },
});

test('a phrase after the preposition the description puts before a property says its value', () => {
  assert.equal(fillArguments('list pods in staging', pods, { now: NOW, refers: false }).args['namespace'], 'staging');
});

const createPage = toToolSpec({
  type: 'function',
  function: {
    name: 'workspace__create_page',
    description: 'Create a new page as a child of an existing page or in a database.',
    parameters: {
      type: 'object',
      properties: {
        parent_id: { type: 'string', description: 'ID of the parent page or database' },
        title: { type: 'string', description: 'Title of the new page' },
      },
      required: ['parent_id', 'title'],
    },
  },
});

test('a code after the noun a description says an identifier names is that identifier', () => {
  const args = fillArguments('Create a page called "Roadmap" under page a1f3c2d4', createPage, { now: NOW, refers: false }).args;
  assert.equal(args['parent_id'], 'a1f3c2d4');
  assert.notEqual(fillArguments('Create a page under page one', createPage, { now: NOW, refers: false }).args['parent_id'], 'one');
});

const customer = toToolSpec({
  type: 'function',
  function: {
    name: 'payments__create_customer',
    description: 'Create a customer.',
    parameters: {
      type: 'object',
      properties: {
        name: { type: 'string', description: 'Full name of the customer' },
        email: { type: 'string', description: 'Email address of the customer' },
      },
      required: ['email'],
    },
  },
});

test('a first and last name fills a property described as a full name', () => {
  const args = fillArguments('new customer Ada Lovelace, ada@example.com', customer, { now: NOW, refers: false }).args;
  assert.equal(args['name'], 'Ada Lovelace');
});

const createMonitor = toToolSpec({
  type: 'function',
  function: {
    name: 'monitor__create_monitor',
    description: 'Create a metric monitor that alerts when the metric crosses a threshold.',
    parameters: {
      type: 'object',
      properties: {
        name: { type: 'string', description: 'Monitor name' },
        metric: { type: 'string', description: 'Metric name to watch, e.g. system.disk.in_use' },
        threshold: { type: 'number', description: 'Value that triggers the alert' },
      },
      required: ['name', 'metric', 'threshold'],
    },
  },
});

test('a dotted code the request writes fills the property whose example is written so', () => {
  const args = fillArguments('create a monitor called "Checkout errors" on trace.http.request.errors above 5', createMonitor, {
    now: NOW,
    refers: false,
  }).args;
  assert.equal(args['metric'], 'trace.http.request.errors');
  assert.equal(args['name'], 'Checkout errors');
});

test('an update sets a field "to" the name after it', () => {
  const update = toToolSpec({
    type: 'function',
    function: {
      name: 'people__update_person',
      description: "Update fields of an employee's profile; fields left out keep their value.",
      parameters: {
        type: 'object',
        properties: {
          employee_id: { type: 'string', description: 'Employee ID' },
          title: { type: 'string', description: 'New job title' },
        },
        required: ['employee_id'],
      },
    },
  });
  const args = fillArguments("change E1210's title to Senior Account Executive", update, { now: NOW, refers: false }).args;
  assert.equal(args['title'], 'Senior Account Executive');
});
