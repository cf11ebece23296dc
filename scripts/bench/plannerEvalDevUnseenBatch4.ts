/**
 * The dev-unseen part's fourth batch (issue 8): three more tool sets shaped like public MCP
 * servers — a Linear-like issue tracker, a Stripe-like payments API (amounts in the smallest
 * currency unit, prefixed ids) and a Kubernetes-like cluster API — with 28 requests in every style
 * and category, written before the planner was run on them. As written the planner passed
 * 9/28 (3 December 2026; the whole part 58/88).
 */
import type { EvalCase, ToolSet } from './plannerEvalCases.ts';
import { tool, str, int, bool, calls, numberedCases } from './plannerEvalToolSpecs.ts';

const STATES = ['Backlog', 'Todo', 'In Progress', 'In Review', 'Done', 'Canceled'];
const priority = int('Priority: 0 = no priority, 1 = urgent, 2 = high, 3 = medium, 4 = low', { enum: [0, 1, 2, 3, 4] });

const tracker: ToolSet = {
  server: 'tracker',
  about: 'an issue tracker for software teams: issues, states, comments',
  tools: [
    tool(
      'list_issues',
      'List issues, optionally filtered by team, assignee, state or a text query.',
      {
        query: str('Text to search for in issue titles and descriptions'),
        team: str('Team key, e.g. ENG'),
        assignee: str('User name of the assignee, or "me"'),
        state: str('Workflow state name', { enum: STATES }),
        limit: int('Maximum number of issues to return', { minimum: 1, maximum: 250, default: 50 }),
      },
      [],
      true,
    ),
    tool(
      'get_issue',
      'Retrieve an issue by its identifier, with its state, assignee and comments.',
      { id: str('Issue identifier, e.g. ENG-123') },
      ['id'],
      true,
    ),
    tool(
      'create_issue',
      'Create a new issue in a team.',
      {
        title: str('Issue title'),
        team: str('Team key or name, e.g. ENG'),
        description: str('Issue description in Markdown'),
        priority,
        assignee: str('User name of the assignee'),
        labels: { type: 'array', items: { type: 'string' }, description: 'Label names' },
      },
      ['title', 'team'],
    ),
    tool(
      'update_issue',
      'Update an existing issue: its title, state, priority or assignee.',
      {
        id: str('Issue identifier, e.g. ENG-123'),
        title: str('New title'),
        state: str('Workflow state name', { enum: STATES }),
        priority,
        assignee: str('User name of the new assignee'),
      },
      ['id'],
    ),
    tool(
      'create_comment',
      'Add a comment to an issue.',
      { issue_id: str('Issue identifier, e.g. ENG-123'), body: str('Comment text in Markdown') },
      ['issue_id', 'body'],
    ),
  ],
  data: {
    issues: [
      { id: 'ENG-214', team: 'ENG', title: 'Login button misaligned on Safari', state: 'Todo', assignee: 'omar', priority: 3 },
      { id: 'ENG-190', team: 'ENG', title: 'Checkout test is flaky on CI', state: 'In Progress', assignee: 'priya', priority: 2 },
    ],
  },
  fakes: {
    list_issues: {
      op: 'list',
      collection: 'issues',
      text: { arg: 'query', fields: ['title', 'description'] },
      filters: { team: { field: 'team' }, assignee: { field: 'assignee' }, state: { field: 'state' } },
      limit: { arg: 'limit', default: 50 },
      wrap: 'issues',
    },
    get_issue: { op: 'get', collection: 'issues', match: { id: 'id' } },
    create_issue: {
      op: 'create',
      collection: 'issues',
      id: { field: 'id', format: '{team}-{n}', start: 301 },
      defaults: { state: 'Backlog' },
    },
    update_issue: { op: 'update', collection: 'issues', match: { id: 'id' } },
    create_comment: { op: 'static', result: { id: 'cmt_{n}', issue_id: '{issue_id}', body: '{body}' } },
  },
};

const payments: ToolSet = {
  server: 'payments',
  about: 'a payments API: customers, payment intents, refunds, subscriptions, balance',
  tools: [
    tool(
      'create_customer',
      'Create a customer.',
      { name: str('Full name of the customer'), email: str('Email address of the customer'), description: str('Internal note') },
      ['email'],
    ),
    tool(
      'list_customers',
      'List customers, optionally only those with an email address.',
      {
        email: str('Exact email address to filter by'),
        limit: int('How many customers, 1 to 100', { minimum: 1, maximum: 100, default: 10 }),
      },
      [],
      true,
    ),
    tool(
      'list_payment_intents',
      'List payment intents (charges), newest first, optionally for one customer.',
      { customer: str('Customer ID, e.g. cus_123'), limit: int('How many, 1 to 100', { minimum: 1, maximum: 100, default: 10 }) },
      [],
      true,
    ),
    tool(
      'create_refund',
      'Refund a payment intent, in full or in part.',
      {
        payment_intent: str('ID of the PaymentIntent to refund, e.g. pi_123'),
        amount: int('Amount to refund in the smallest currency unit (cents); default the full amount', { minimum: 1 }),
        reason: str('Reason for the refund', { enum: ['duplicate', 'fraudulent', 'requested_by_customer'] }),
      },
      ['payment_intent'],
    ),
    tool('cancel_subscription', 'Cancel a customer subscription immediately.', { subscription: str('Subscription ID, e.g. sub_123') }, [
      'subscription',
    ]),
    tool('retrieve_balance', 'Retrieve the current account balance, available and pending.', {}, [], true),
  ],
  data: {
    customers: [
      { id: 'cus_100', name: 'Mia Wong', email: 'mia@example.com' },
      { id: 'cus_101', name: 'Raj Patel', email: 'raj@example.com' },
    ],
    payment_intents: [
      { id: 'pi_3Nx8', customer: 'cus_100', amount: 4900, currency: 'usd', status: 'succeeded' },
      { id: 'pi_3Nx9', customer: 'cus_101', amount: 12000, currency: 'usd', status: 'succeeded' },
    ],
  },
  fakes: {
    create_customer: { op: 'create', collection: 'customers', id: { field: 'id', format: 'cus_{n}', start: 200 } },
    list_customers: {
      op: 'list',
      collection: 'customers',
      filters: { email: { field: 'email' } },
      limit: { arg: 'limit', default: 10 },
      wrap: 'data',
    },
    list_payment_intents: {
      op: 'list',
      collection: 'payment_intents',
      filters: { customer: { field: 'customer' } },
      limit: { arg: 'limit', default: 10 },
      wrap: 'data',
    },
    create_refund: { op: 'static', result: { id: 're_{n}', payment_intent: '{payment_intent}', status: 'succeeded' } },
    cancel_subscription: { op: 'static', result: { id: '{subscription}', status: 'canceled' } },
    retrieve_balance: {
      op: 'static',
      result: { available: [{ amount: 152000, currency: 'usd' }], pending: [{ amount: 3400, currency: 'usd' }] },
    },
  },
};

const namespace = str('Kubernetes namespace', { default: 'default' });

const cluster: ToolSet = {
  server: 'cluster',
  about: 'a Kubernetes cluster: pods, deployments, logs',
  tools: [
    tool(
      'list_pods',
      'List pods in a namespace with their status and restarts.',
      { namespace, label_selector: str('Label selector, e.g. app=web') },
      [],
      true,
    ),
    tool('list_deployments', 'List deployments in a namespace with ready and desired replicas.', { namespace }, [], true),
    tool(
      'get_pod_logs',
      'Get the logs of a pod.',
      {
        pod: str('Name of the pod'),
        namespace,
        container: str('Container name, when the pod has several'),
        tail_lines: int('Only the last N lines', { minimum: 1 }),
        previous: bool('Logs of the previous, crashed container'),
      },
      ['pod'],
      true,
    ),
    tool(
      'scale_deployment',
      'Scale a deployment to a number of replicas.',
      { name: str('Deployment name'), replicas: int('Desired number of replicas', { minimum: 0 }), namespace },
      ['name', 'replicas'],
    ),
    tool('restart_deployment', 'Restart all pods of a deployment with a rolling restart.', { name: str('Deployment name'), namespace }, [
      'name',
    ]),
    tool('delete_pod', 'Delete a pod; its controller creates a new one.', { name: str('Name of the pod'), namespace }, ['name']),
  ],
  data: {
    pods: [
      { name: 'web-6c4d9', namespace: 'prod', status: 'Running', restarts: 0 },
      { name: 'api-7f9c', namespace: 'prod', status: 'CrashLoopBackOff', restarts: 14 },
      { name: 'api-55b2', namespace: 'staging', status: 'Running', restarts: 1 },
      { name: 'worker-5d8b', namespace: 'batch', status: 'Pending', restarts: 0 },
    ],
  },
  fakes: {
    list_pods: { op: 'list', collection: 'pods', filters: { namespace: { field: 'namespace' } }, wrap: 'pods' },
    list_deployments: { op: 'static', result: { deployments: [{ name: 'web', ready: 3, desired: 3 }] } },
    get_pod_logs: { op: 'static', result: { pod: '{pod}', logs: 'Error: connection refused to db:5432' } },
    scale_deployment: { op: 'static', result: { name: '{name}', replicas: '{replicas}' } },
    restart_deployment: { op: 'static', result: { name: '{name}', restarted: true } },
    delete_pod: { op: 'static', result: { name: '{name}', deleted: true } },
  },
};

/** The fourth batch's tool sets. */
export const BATCH4_SETS: readonly ToolSet[] = [tracker, payments, cluster];

const { one, thread } = numberedCases(60);

const T = ['tracker', 'payments', 'chat'];
const Y = ['payments', 'tracker', 'shop'];
const K = ['cluster', 'tracker', 'chat'];

/** Requests written before the planner was run on them. */
export const BATCH4_CASES: EvalCase[] = [
  // tracker
  one(
    T,
    'single',
    'terse',
    'new issue in ENG: Search results page is blank on Firefox',
    calls({ tool: 'tracker__create_issue', args: { team: 'ENG', title: { includes: ['search results page is blank'] } } }),
  ),
  one(
    T,
    'single',
    'plain',
    'Create an urgent issue for the MOB team titled "App crashes on launch"',
    calls({ tool: 'tracker__create_issue', args: { team: 'MOB', title: 'App crashes on launch', priority: 1 } }),
  ),
  one(T, 'single', 'question', "What's the status of ENG-214?", calls({ tool: 'tracker__get_issue', args: { id: 'ENG-214' } })),
  one(
    T,
    'single',
    'casual',
    'move ENG-214 to in review',
    calls({ tool: 'tracker__update_issue', args: { id: 'ENG-214', state: 'In Review' }, only: ['id', 'state'] }),
  ),
  one(
    T,
    'single',
    'plain',
    'Assign ENG-190 to priya',
    calls({ tool: 'tracker__update_issue', args: { id: 'ENG-190', assignee: 'priya' }, only: ['id', 'assignee'] }),
  ),
  one(
    T,
    'single',
    'email',
    'Hi, could you mark ENG-190 as done? The fix shipped yesterday. Thanks, Omar',
    calls({ tool: 'tracker__update_issue', args: { id: 'ENG-190', state: 'Done' }, only: ['id', 'state'] }),
  ),
  one(T, 'single', 'question', 'Which issues are assigned to priya?', calls({ tool: 'tracker__list_issues', args: { assignee: 'priya' } })),
  one(
    T,
    'chain',
    'plain',
    'Find the issue about the Safari login button and comment "also happens on iOS 17"',
    calls(
      { tool: 'tracker__list_issues', args: { query: { includes: ['safari'] } } },
      { tool: 'tracker__create_comment', args: { issue_id: 'ENG-214', body: { includes: ['also happens on ios 17'] } } },
    ),
  ),
  thread(
    T,
    'casual',
    'Create an issue in ENG called "Rate limit the export API"',
    'set its priority to high',
    calls({ tool: 'tracker__update_issue', args: { id: 'ENG-301', priority: 2 }, only: ['id', 'priority'] }),
  ),
  one(T, 'clarify', 'plain', 'Close the issue please', { kind: 'clarify' }),
  one(
    T,
    'compound',
    'list',
    '- create an issue in ENG: "Flaky checkout test"\n- comment on ENG-190: "blocked by the checkout flake"',
    calls(
      { tool: 'tracker__create_issue', args: { team: 'ENG', title: { includes: ['flaky checkout test'] } } },
      { tool: 'tracker__create_comment', args: { issue_id: 'ENG-190', body: { includes: ['blocked by the checkout flake'] } } },
    ),
  ),
  // payments
  one(
    Y,
    'single',
    'plain',
    'Refund pi_3Nx8 in full, it was a duplicate charge',
    calls({ tool: 'payments__create_refund', args: { payment_intent: 'pi_3Nx8', reason: 'duplicate', amount: { absent: true } } }),
  ),
  one(
    Y,
    'single',
    'plain',
    'Refund $25 of pi_3Nx9',
    calls({ tool: 'payments__create_refund', args: { payment_intent: 'pi_3Nx9', amount: 2500 } }),
  ),
  one(
    Y,
    'single',
    'terse',
    'new customer Ada Lovelace, ada@example.com',
    calls({ tool: 'payments__create_customer', args: { name: 'Ada Lovelace', email: 'ada@example.com' } }),
  ),
  one(
    Y,
    'single',
    'question',
    'Do we have a customer with the email raj@example.com?',
    calls({ tool: 'payments__list_customers', args: { email: 'raj@example.com' } }),
  ),
  one(Y, 'single', 'question', "What's our current balance?", calls({ tool: 'payments__retrieve_balance' })),
  one(
    Y,
    'single',
    'casual',
    'cancel sub_1Q2w3e pls',
    calls({ tool: 'payments__cancel_subscription', args: { subscription: 'sub_1Q2w3e' } }),
  ),
  one(
    Y,
    'chain',
    'plain',
    'Look up the customer mia@example.com and list her payments',
    calls(
      { tool: 'payments__list_customers', args: { email: 'mia@example.com' } },
      { tool: 'payments__list_payment_intents', args: { customer: 'cus_100' } },
    ),
  ),
  one(['payments', 'tracker', 'cluster'], 'refuse', 'plain', 'Book a meeting room for Friday at 3pm', { kind: 'refuse' }),
  // cluster
  one(K, 'single', 'terse', 'list pods in staging', calls({ tool: 'cluster__list_pods', args: { namespace: 'staging' } })),
  one(
    K,
    'single',
    'plain',
    'Scale the checkout deployment to 5 replicas in the prod namespace',
    calls({ tool: 'cluster__scale_deployment', args: { name: 'checkout', replicas: 5, namespace: 'prod' } }),
  ),
  one(
    K,
    'single',
    'question',
    'Why is api-7f9c crashing? Show me the last 100 lines of its logs',
    calls({ tool: 'cluster__get_pod_logs', args: { pod: 'api-7f9c', tail_lines: 100 } }),
  ),
  one(K, 'single', 'casual', 'restart the web deployment', calls({ tool: 'cluster__restart_deployment', args: { name: 'web' } })),
  one(
    K,
    'single',
    'email',
    'Hello, the pod worker-5d8b in namespace batch is stuck. Could you delete it so it gets recreated? Thanks',
    calls({ tool: 'cluster__delete_pod', args: { name: 'worker-5d8b', namespace: 'batch' } }),
  ),
  one(
    K,
    'compound',
    'plain',
    'Scale api to 0 replicas in staging and post "staging api paused" in #ops',
    calls(
      { tool: 'cluster__scale_deployment', args: { name: 'api', replicas: 0, namespace: 'staging' } },
      { tool: 'chat__post_message', args: { channel: { includes: ['ops'] }, text: { includes: ['staging api paused'] } } },
    ),
  ),
  thread(
    K,
    'terse',
    'list pods in prod',
    'show the logs of the first one',
    calls({ tool: 'cluster__get_pod_logs', args: { pod: 'web-6c4d9', namespace: { optional: true, equals: 'prod' } } }),
  ),
  one(K, 'clarify', 'plain', 'Scale the deployment', { kind: 'clarify' }),
  one(K, 'refuse', 'plain', 'Upgrade the cluster to Kubernetes 1.31', { kind: 'refuse' }),
];
