/**
 * The dev-unseen part's sixth batch (issue 8): three tool sets in domains no earlier set covers —
 * a travel-booking service (flights by IATA code and date, hotels by city and nights, bookings to
 * cancel), an HR people directory (employees by id, direct reports, time-off requests) and an
 * observability service like Datadog (monitors muted and unmuted, metric queries, new monitors) —
 * with 30 requests weighted to find-then-act chains, follow-ups ("the first one", "it"),
 * compound requests, polite emails and bullet lists, written before the planner was run on them.
 */
import type { EvalCase, Json, ToolSet } from './plannerEvalCases.ts';
import { tool, str, int, calls, numberedCases } from './plannerEvalToolSpecs.ts';

const num = (description: string, extra: Record<string, Json> = {}) => ({ type: 'number', description, ...extra });
const date = (description: string) => str(description, { format: 'date' });

const travel: ToolSet = {
  server: 'travel',
  about: 'a travel-booking service: flights, hotels, bookings',
  tools: [
    tool(
      'search_flights',
      'Search one-way flights between two airports on a date, cheapest first.',
      {
        origin: str('Departure airport IATA code, e.g. SFO'),
        destination: str('Arrival airport IATA code, e.g. JFK'),
        date: date('Departure date, YYYY-MM-DD'),
        cabin: str('Cabin class', { enum: ['economy', 'premium', 'business'] }),
        max_results: int('Maximum number of flights', { minimum: 1, maximum: 50, default: 10 }),
      },
      ['origin', 'destination', 'date'],
      true,
    ),
    tool('get_flight', 'Get one flight by its ID.', { flight_id: str('Flight ID, e.g. FL-1001') }, ['flight_id'], true),
    tool(
      'book_flight',
      'Book a seat on a flight for one passenger.',
      {
        flight_id: str('ID of the flight to book'),
        passenger_name: str('Full name of the passenger'),
        seat_preference: str('Seat preference', { enum: ['window', 'aisle', 'middle'] }),
      },
      ['flight_id', 'passenger_name'],
    ),
    tool(
      'search_hotels',
      'Search hotels in a city with rooms free for the given nights, cheapest first.',
      {
        city: str('City name, e.g. London'),
        check_in: date('Check-in date, YYYY-MM-DD'),
        check_out: date('Check-out date, YYYY-MM-DD'),
        max_price_per_night: num('Highest price per night in USD'),
      },
      ['city'],
      true,
    ),
    tool(
      'book_hotel',
      'Book a room in a hotel for a guest.',
      {
        hotel_id: str('ID of the hotel, e.g. HT-201'),
        check_in: date('Check-in date, YYYY-MM-DD'),
        check_out: date('Check-out date, YYYY-MM-DD'),
        guest_name: str('Full name of the guest'),
      },
      ['hotel_id', 'check_in', 'check_out', 'guest_name'],
    ),
    tool(
      'list_bookings',
      'List your bookings, optionally only those with one status.',
      { status: str('Booking status', { enum: ['upcoming', 'past', 'cancelled'] }) },
      [],
      true,
    ),
    tool(
      'cancel_booking',
      'Cancel a flight or hotel booking.',
      { booking_id: str('Booking ID, e.g. BK-5001'), reason: str('Why the booking is cancelled') },
      ['booking_id'],
    ),
  ],
  data: {
    flights: [
      {
        id: 'FL-1001',
        origin: 'SFO',
        destination: 'JFK',
        date: '2026-12-10',
        airline: 'Delta',
        departs: '08:15',
        cabin: 'economy',
        price: 320,
      },
      {
        id: 'FL-1002',
        origin: 'SFO',
        destination: 'JFK',
        date: '2026-12-10',
        airline: 'United',
        departs: '13:40',
        cabin: 'business',
        price: 1180,
      },
      {
        id: 'FL-1003',
        origin: 'JFK',
        destination: 'LHR',
        date: '2026-12-12',
        airline: 'British Airways',
        departs: '19:05',
        cabin: 'economy',
        price: 610,
      },
      {
        id: 'FL-1004',
        origin: 'BOS',
        destination: 'ORD',
        date: '2026-12-05',
        airline: 'American',
        departs: '07:30',
        cabin: 'economy',
        price: 210,
      },
    ],
    hotels: [
      { id: 'HT-202', city: 'London', name: 'Kensington Rooms', price_per_night: 120 },
      { id: 'HT-201', city: 'London', name: 'The Strand Hotel', price_per_night: 180 },
      { id: 'HT-203', city: 'Chicago', name: 'Lakeview Inn', price_per_night: 140 },
    ],
    bookings: [
      { id: 'BK-5001', kind: 'flight', flight_id: 'FL-1004', passenger_name: 'Tom Becker', status: 'upcoming' },
      { id: 'BK-5002', kind: 'hotel', hotel_id: 'HT-203', guest_name: 'Tom Becker', status: 'upcoming' },
    ],
  },
  fakes: {
    search_flights: {
      op: 'list',
      collection: 'flights',
      filters: { origin: { field: 'origin' }, destination: { field: 'destination' }, date: { field: 'date' }, cabin: { field: 'cabin' } },
      sort: { field: 'price' },
      limit: { arg: 'max_results', default: 10 },
      wrap: 'flights',
    },
    get_flight: { op: 'get', collection: 'flights', match: { flight_id: 'id' } },
    book_flight: {
      op: 'create',
      collection: 'bookings',
      id: { field: 'id', format: 'BK-{n}', start: 5003 },
      defaults: { kind: 'flight', status: 'upcoming' },
    },
    search_hotels: {
      op: 'list',
      collection: 'hotels',
      filters: { city: { field: 'city' }, max_price_per_night: { field: 'price_per_night', how: 'lte' } },
      sort: { field: 'price_per_night' },
      wrap: 'hotels',
    },
    book_hotel: {
      op: 'create',
      collection: 'bookings',
      id: { field: 'id', format: 'BK-{n}', start: 5003 },
      defaults: { kind: 'hotel', status: 'upcoming' },
    },
    list_bookings: { op: 'list', collection: 'bookings', filters: { status: { field: 'status' } }, wrap: 'bookings' },
    cancel_booking: {
      op: 'update',
      collection: 'bookings',
      match: { booking_id: 'id' },
      result: { booking_id: '{booking_id}', status: 'cancelled' },
    },
  },
};

const people: ToolSet = {
  server: 'people',
  about: 'an HR people directory: employees, managers, time off',
  tools: [
    tool(
      'search_people',
      'Search the employee directory by name, job title or team.',
      {
        query: str('Name, job title or team to look for'),
        department: str('Only people in this department', { enum: ['Engineering', 'Design', 'Sales', 'Finance', 'People'] }),
        location: str('Only people in this office, e.g. Berlin'),
      },
      [],
      true,
    ),
    tool(
      'get_person',
      "Get one employee's profile: title, department, office, manager, email and phone.",
      { employee_id: str('Employee ID, e.g. E1042') },
      ['employee_id'],
      true,
    ),
    tool(
      'list_direct_reports',
      'List the people who report directly to a manager.',
      { manager_id: str('Employee ID of the manager') },
      ['manager_id'],
      true,
    ),
    tool(
      'update_person',
      "Update fields of an employee's profile; fields left out keep their value.",
      {
        employee_id: str('Employee ID'),
        title: str('New job title'),
        location: str('New office'),
        phone: str('New phone number'),
      },
      ['employee_id'],
    ),
    tool(
      'request_time_off',
      'File a time-off request for an employee.',
      {
        employee_id: str('Employee ID of the person taking time off'),
        start_date: date('First day off, YYYY-MM-DD'),
        end_date: date('Last day off, YYYY-MM-DD; the start date when left out'),
        type: str('Kind of leave', { enum: ['vacation', 'sick', 'parental', 'unpaid'] }),
        note: str('Note for the approver'),
      },
      ['employee_id', 'start_date', 'type'],
    ),
    tool(
      'list_time_off',
      'List time-off requests, optionally for one employee or with one status.',
      {
        employee_id: str('Only requests of this employee'),
        status: str('Request status', { enum: ['pending', 'approved', 'rejected'] }),
      },
      [],
      true,
    ),
    tool(
      'approve_time_off',
      'Approve a pending time-off request.',
      { request_id: str('Time-off request ID, e.g. TO-301'), comment: str('Comment for the employee') },
      ['request_id'],
    ),
  ],
  data: {
    people: [
      {
        employee_id: 'E1001',
        name: 'Marcus Oyelaran',
        title: 'Engineering Manager',
        department: 'Engineering',
        location: 'Berlin',
        email: 'marcus.oyelaran@example.com',
      },
      {
        employee_id: 'E1042',
        name: 'Dana Whitfield',
        title: 'Senior Software Engineer',
        department: 'Engineering',
        location: 'Berlin',
        manager_id: 'E1001',
        email: 'dana.whitfield@example.com',
      },
      {
        employee_id: 'E1003',
        name: 'Lena Sorensen',
        title: 'Head of Design',
        department: 'Design',
        location: 'London',
        email: 'lena.sorensen@example.com',
      },
      {
        employee_id: 'E1107',
        name: 'Priya Natarajan',
        title: 'Product Designer',
        department: 'Design',
        location: 'London',
        manager_id: 'E1003',
        email: 'priya.natarajan@example.com',
      },
      {
        employee_id: 'E1210',
        name: 'Tom Becker',
        title: 'Account Executive',
        department: 'Sales',
        location: 'New York',
        phone: '+1 212 555 0100',
        email: 'tom.becker@example.com',
      },
    ],
    time_off: [
      { request_id: 'TO-301', employee_id: 'E1042', start_date: '2026-12-22', end_date: '2026-12-31', type: 'vacation', status: 'pending' },
      { request_id: 'TO-302', employee_id: 'E1107', start_date: '2026-11-16', end_date: '2026-11-17', type: 'sick', status: 'approved' },
    ],
  },
  fakes: {
    search_people: {
      op: 'list',
      collection: 'people',
      text: { arg: 'query', fields: ['name', 'title', 'department'] },
      filters: { department: { field: 'department' }, location: { field: 'location' } },
      wrap: 'people',
    },
    get_person: { op: 'get', collection: 'people', match: { employee_id: 'employee_id' } },
    list_direct_reports: { op: 'list', collection: 'people', filters: { manager_id: { field: 'manager_id' } }, wrap: 'reports' },
    update_person: { op: 'update', collection: 'people', match: { employee_id: 'employee_id' } },
    request_time_off: {
      op: 'create',
      collection: 'time_off',
      id: { field: 'request_id', format: 'TO-{n}', start: 303 },
      defaults: { status: 'pending' },
    },
    list_time_off: {
      op: 'list',
      collection: 'time_off',
      filters: { employee_id: { field: 'employee_id' }, status: { field: 'status' } },
      wrap: 'requests',
    },
    approve_time_off: {
      op: 'update',
      collection: 'time_off',
      match: { request_id: 'request_id' },
      result: { request_id: '{request_id}', status: 'approved' },
    },
  },
};

const monitor: ToolSet = {
  server: 'monitor',
  about: 'an observability service: monitors, alerts, metrics',
  tools: [
    tool(
      'list_monitors',
      'List monitors, optionally only those whose name matches, in one status or with one tag.',
      {
        query: str('Text to match in monitor names'),
        status: str('Monitor status', { enum: ['OK', 'Alert', 'Warn', 'No Data'] }),
        tag: str('Only monitors with this tag, e.g. service:checkout'),
      },
      [],
      true,
    ),
    tool('get_monitor', 'Get one monitor with its query, thresholds and state.', { monitor_id: int('Monitor ID') }, ['monitor_id'], true),
    tool(
      'mute_monitor',
      'Mute a monitor so it sends no notifications for a while.',
      {
        monitor_id: int('Monitor ID'),
        duration_minutes: int('How long to mute, in minutes; forever when left out', { minimum: 1 }),
        reason: str('Why the monitor is muted'),
      },
      ['monitor_id'],
    ),
    tool('unmute_monitor', 'Unmute a muted monitor.', { monitor_id: int('Monitor ID') }, ['monitor_id']),
    tool(
      'query_metric',
      'Query a metric over a recent time window, aggregated to one value.',
      {
        metric: str('Metric name, e.g. system.cpu.user'),
        from: str('Start of the window, e.g. 1h ago, 15m ago or an ISO time', { default: '1h ago' }),
        aggregation: str('How to aggregate the points', { enum: ['avg', 'max', 'min', 'sum'], default: 'avg' }),
        host: str('Only points from this host'),
      },
      ['metric'],
      true,
    ),
    tool(
      'create_monitor',
      'Create a metric monitor that alerts when the metric crosses a threshold.',
      {
        name: str('Monitor name'),
        metric: str('Metric name to watch, e.g. system.disk.in_use'),
        threshold: num('Value that triggers the alert'),
        comparison: str('Alert when the metric is above or below the threshold', { enum: ['above', 'below'], default: 'above' }),
        notify: str('Who to notify, e.g. @oncall-team'),
      },
      ['name', 'metric', 'threshold'],
    ),
  ],
  data: {
    monitors: [
      {
        id: 4101,
        name: 'Checkout API latency',
        status: 'Alert',
        tags: ['service:checkout', 'env:prod'],
        metric: 'trace.http.request.duration',
      },
      { id: 4102, name: 'Disk usage on db-01', status: 'Warn', tags: ['host:db-01', 'env:prod'], metric: 'system.disk.in_use' },
      { id: 4103, name: 'Login error rate', status: 'OK', tags: ['service:auth', 'env:prod'], metric: 'trace.http.request.errors' },
      { id: 4104, name: 'Payments queue depth', status: 'Alert', tags: ['service:payments', 'env:prod'], metric: 'queue.depth' },
    ],
  },
  fakes: {
    list_monitors: {
      op: 'list',
      collection: 'monitors',
      text: { arg: 'query', fields: ['name'] },
      filters: { status: { field: 'status' }, tag: { field: 'tags', how: 'has' } },
      wrap: 'monitors',
    },
    get_monitor: { op: 'get', collection: 'monitors', match: { monitor_id: 'id' } },
    mute_monitor: { op: 'update', collection: 'monitors', match: { monitor_id: 'id' }, result: { id: '{monitor_id}', muted: true } },
    unmute_monitor: { op: 'update', collection: 'monitors', match: { monitor_id: 'id' }, result: { id: '{monitor_id}', muted: false } },
    query_metric: {
      op: 'static',
      result: { metric: '{metric}', from: '{from}', aggregation: '{aggregation}', host: '{host}', value: 42.5 },
      defaults: { from: '1h ago', aggregation: 'avg' },
    },
    create_monitor: {
      op: 'create',
      collection: 'monitors',
      id: { field: 'id', format: '{n}', start: 4105 },
      defaults: { status: 'No Data', comparison: 'above' },
    },
  },
};

/** The sixth batch's tool sets. */
export const BATCH6_SETS: readonly ToolSet[] = [travel, people, monitor];

const { one, thread } = numberedCases(109);

const T = ['travel', 'people', 'chat'];
const P = ['people', 'travel', 'chat'];
const M = ['monitor', 'cluster', 'chat'];

/** Requests written before the planner was run on them. */
export const BATCH6_CASES: EvalCase[] = [
  // travel
  one(
    T,
    'chain',
    'plain',
    'Find a flight from SFO to JFK on 10 December and book it for Maria Lopez',
    calls(
      { tool: 'travel__search_flights', args: { origin: 'SFO', destination: 'JFK', date: { dateIn: ['2026-12-10', '2026-12-10'] } } },
      { tool: 'travel__book_flight', args: { flight_id: { oneOf: ['FL-1001', 'FL-1002'] }, passenger_name: 'Maria Lopez' } },
    ),
  ),
  one(
    T,
    'chain',
    'email',
    'Hi there,\n\nCould you please look up hotels in London under $150 a night and book the cheapest one for Tom Becker from 12 to 15 December?\n\nMany thanks,\nPriya',
    calls(
      { tool: 'travel__search_hotels', args: { city: 'London', max_price_per_night: { optional: true, between: [150, 150] } } },
      {
        tool: 'travel__book_hotel',
        args: {
          hotel_id: 'HT-202',
          guest_name: 'Tom Becker',
          check_in: { dateIn: ['2026-12-12', '2026-12-12'] },
          check_out: { dateIn: ['2026-12-15', '2026-12-15'] },
        },
      },
    ),
  ),
  thread(
    T,
    'casual',
    'any flights jfk to lhr on dec 12?',
    'book the first one for dana whitfield, window seat pls',
    calls({ tool: 'travel__book_flight', args: { flight_id: 'FL-1003', passenger_name: 'Dana Whitfield', seat_preference: 'window' } }),
  ),
  one(
    T,
    'compound',
    'list',
    '- cancel booking BK-5001 (the meeting moved)\n- show my upcoming bookings',
    calls(
      { tool: 'travel__cancel_booking', args: { booking_id: 'BK-5001', reason: { optional: true, includes: ['meeting moved'] } } },
      { tool: 'travel__list_bookings', args: { status: 'upcoming' } },
    ),
  ),
  thread(
    T,
    'plain',
    'Show my upcoming bookings',
    'Cancel the second one',
    calls({ tool: 'travel__cancel_booking', args: { booking_id: 'BK-5002' } }),
  ),
  one(
    T,
    'single',
    'question',
    'Are there any business class flights from SFO to JFK on December 10?',
    calls({
      tool: 'travel__search_flights',
      args: { origin: 'SFO', destination: 'JFK', cabin: 'business', date: { dateIn: ['2026-12-10', '2026-12-10'] } },
    }),
  ),
  one(
    T,
    'compound',
    'list',
    '* search hotels in Chicago for 5-7 December\n* cancel BK-5002',
    calls(
      {
        tool: 'travel__search_hotels',
        args: { city: 'Chicago', check_in: { dateIn: ['2026-12-05', '2026-12-05'] }, check_out: { dateIn: ['2026-12-07', '2026-12-07'] } },
      },
      { tool: 'travel__cancel_booking', args: { booking_id: 'BK-5002' } },
    ),
  ),
  one(T, 'refuse', 'plain', 'Check me in online for my flight and print the boarding pass', { kind: 'refuse' }),
  one(T, 'clarify', 'plain', 'Book a hotel room for me', { kind: 'clarify' }),
  // people
  one(P, 'single', 'terse', 'who is E1107', calls({ tool: 'people__get_person', args: { employee_id: 'E1107' } })),
  one(
    P,
    'chain',
    'plain',
    'Find Marcus Oyelaran in the directory and list his direct reports',
    calls(
      { tool: 'people__search_people', args: { query: { includes: ['marcus'] } } },
      { tool: 'people__list_direct_reports', args: { manager_id: 'E1001' } },
    ),
  ),
  one(
    P,
    'chain',
    'email',
    "Hello,\n\nPlease file a vacation request for Priya Natarajan from 22 to 24 December. She'll be visiting family.\n\nKind regards,\nLena",
    calls(
      { tool: 'people__search_people', args: { query: { includes: ['priya'] } } },
      {
        tool: 'people__request_time_off',
        args: {
          employee_id: 'E1107',
          start_date: { dateIn: ['2026-12-22', '2026-12-22'] },
          end_date: { dateIn: ['2026-12-24', '2026-12-24'] },
          type: 'vacation',
        },
      },
    ),
  ),
  thread(
    P,
    'plain',
    'Show pending time off requests',
    "Approve it with the comment 'enjoy the holidays'",
    calls({ tool: 'people__approve_time_off', args: { request_id: 'TO-301', comment: { includes: ['enjoy the holidays'] } } }),
  ),
  one(
    P,
    'compound',
    'list',
    "- change E1210's title to Senior Account Executive\n- move Priya Natarajan (E1107) to the Berlin office",
    calls(
      { tool: 'people__update_person', args: { employee_id: 'E1210', title: 'Senior Account Executive' } },
      { tool: 'people__update_person', args: { employee_id: 'E1107', location: 'Berlin' } },
    ),
  ),
  one(
    P,
    'single',
    'question',
    'Who works in the Design department in London?',
    calls({ tool: 'people__search_people', args: { department: 'Design', location: 'London' } }),
  ),
  one(
    P,
    'chain',
    'casual',
    "whos dana's manager? dm them that dana is out friday",
    calls(
      { tool: 'people__search_people', args: { query: { includes: ['dana'] } } },
      { tool: 'chat__send_direct_message', args: { user: { includesAny: ['marcus', 'E1001'] }, text: { includes: ['friday'] } } },
    ),
  ),
  thread(
    P,
    'terse',
    'search people named becker',
    'update his phone to +1 212 555 0199',
    calls({ tool: 'people__update_person', args: { employee_id: 'E1210', phone: { includes: ['555', '0199'] } } }),
  ),
  one(
    P,
    'compound',
    'email',
    "Hi team,\n\nTwo quick things: please log a sick day for Tom Becker (E1210) on 4 December, and let #people-ops know he's out.\n\nThanks!",
    calls(
      {
        tool: 'people__request_time_off',
        args: { employee_id: 'E1210', type: 'sick', start_date: { dateIn: ['2026-12-04', '2026-12-04'] } },
      },
      { tool: 'chat__post_message', args: { channel: { includes: ['people-ops'] }, text: { includesAny: ['tom', 'becker'] } } },
    ),
  ),
  one(P, 'refuse', 'plain', 'Run payroll for December', { kind: 'refuse' }),
  // monitor
  one(M, 'single', 'terse', 'monitors in alert', calls({ tool: 'monitor__list_monitors', args: { status: 'Alert' } })),
  one(
    M,
    'chain',
    'plain',
    'Find the checkout latency monitor and mute it for 60 minutes',
    calls(
      { tool: 'monitor__list_monitors', args: { query: { includes: ['checkout'] } } },
      { tool: 'monitor__mute_monitor', args: { monitor_id: 4101, duration_minutes: 60 } },
    ),
  ),
  thread(
    M,
    'casual',
    'which monitors are alerting rn',
    "mute the first one for 2 hours, we're on it",
    calls({ tool: 'monitor__mute_monitor', args: { monitor_id: 4101, duration_minutes: 120 } }),
  ),
  one(
    M,
    'compound',
    'list',
    '- unmute monitor 4102\n- show the max of system.cpu.user over the last hour',
    calls(
      { tool: 'monitor__unmute_monitor', args: { monitor_id: 4102 } },
      { tool: 'monitor__query_metric', args: { metric: 'system.cpu.user', aggregation: 'max' } },
    ),
  ),
  one(
    M,
    'chain',
    'email',
    'Hi,\n\nCould you create a monitor called "Checkout error rate" on trace.http.request.errors that alerts above 5, notifying @checkout-oncall, and then post the new monitor\'s ID in #incidents?\n\nThanks, Ana',
    calls(
      {
        tool: 'monitor__create_monitor',
        args: {
          name: 'Checkout error rate',
          metric: 'trace.http.request.errors',
          threshold: 5,
          comparison: { optional: true, equals: 'above' },
          notify: { includes: ['@checkout-oncall'] },
        },
      },
      { tool: 'chat__post_message', args: { channel: { includes: ['incidents'] }, text: { includes: ['4105'] } } },
    ),
  ),
  thread(
    M,
    'plain',
    'Show monitor 4104',
    'Mute it for 30 minutes',
    calls({ tool: 'monitor__mute_monitor', args: { monitor_id: 4104, duration_minutes: 30 } }),
  ),
  one(
    M,
    'single',
    'question',
    "What's the average system.cpu.user on host web-03 over the last 15 minutes?",
    calls({
      tool: 'monitor__query_metric',
      args: { metric: 'system.cpu.user', host: 'web-03', aggregation: { optional: true, equals: 'avg' } },
    }),
  ),
  one(
    M,
    'compound',
    'email',
    'Hello, please mute monitor 4102 for 45 minutes because of planned disk maintenance, and unmute 4103. Thank you!',
    calls(
      {
        tool: 'monitor__mute_monitor',
        args: { monitor_id: 4102, duration_minutes: 45, reason: { optional: true, includes: ['disk maintenance'] } },
      },
      { tool: 'monitor__unmute_monitor', args: { monitor_id: 4103 } },
    ),
  ),
  one(
    M,
    'chain',
    'casual',
    'hows the payments monitor doing? post its status in #payments',
    calls(
      { tool: 'monitor__list_monitors', args: { query: { includes: ['payments'] } } },
      { tool: 'chat__post_message', args: { channel: { includes: ['payments'] }, text: { includes: ['alert'] } } },
    ),
  ),
  one(M, 'clarify', 'plain', 'Create a monitor for the checkout service', { kind: 'clarify' }),
  one(['monitor', 'travel', 'people'], 'refuse', 'plain', 'Reboot the db-01 host', { kind: 'refuse' }),
];
