import type { BaseMessage } from '@langchain/core/messages';
import { composeAnswer, type Outcome } from './answer.ts';
import { mainProp } from './args.ts';
// Every filling of a decision goes through the memo: the same requests come again in a service.
import { fillArgumentsMemo as fillArguments } from './fillMemo.ts';
import { chooseTool, partVerb, unquoted, type Choice, type ChooseInput } from './choose.ts';
import { ordinalCases } from './fanout.ts';
import {
  collectObservations,
  contentText,
  earlierSubject,
  earlierText,
  ordinalIn,
  pointsAtIt,
  pointsAtText,
  pointedField,
  pointedLink,
  refersBack,
  resolveFrom,
  type Observation,
} from './references.ts';
import { isInterjection } from './lexicon/index.ts';
import { letterBody } from './letter.ts';
import type { PropInfo } from './schema.ts';
import { findQuotes, isActionWord, splitRequest, type Part } from './split.ts';
import { liftedSiblings, ownValue, twoCalls } from './siblings.ts';
import { joinSameTool, splitByTool, splitByToolWords } from './toolSplit.ts';
import { LEAD_IN } from './vocabulary.ts';
import { ACTIONS, canonical, humanize, splitName, terms } from './tokenize.ts';
import type { ToolIndex, ToolSpec } from './toolIndex.ts';
import { withoutTypos } from './typos.ts';
import { arrowsAsColons, distributedOnes, thingsWanted, withoutCountingLead } from './notation.ts';

/** A tool call the planner asks for. */
export interface PlannedCall {
  readonly id: string;
  readonly name: string;
  readonly args: Record<string, unknown>;
}

/** The planner's next move: call tools, or answer (a clarifying question when `clarification`). */
export type Decision =
  | { readonly kind: 'calls'; readonly calls: readonly PlannedCall[] }
  | {
      readonly kind: 'answer';
      readonly text: string;
      readonly clarification: boolean;
      /** The answer asks for a value a request left out: a bare reply to it completes that request. */
      readonly asksForValue?: boolean;
    };

/** Options of {@link decide}. */
export interface DecideOptions {
  readonly now: Date;
  /** LangChain `tool_choice`: "none", "any"/"required", a tool name, or `{ function: { name } }`. */
  readonly toolChoice?: unknown;
}

interface Executed {
  readonly id: string;
  readonly name: string;
  readonly results: Observation[];
  part: number | undefined;
}

const HELP = /^\s*(?:help|what can you do|what tools do you have|which tools)\b[\s?!.]*$/i;
const RANKING_PLACEHOLDER = '\u0000pending';
const POINTABLE = new Set(['identifier', 'url', 'email', 'text']);
const READS: ReadonlySet<string> = new Set(['get', 'search'].map(canonical));
/** Share of the best finder's relevance the finder beside the acting tool needs ("find X and play it"). */
const MIN_LENT_RELEVANCE = 0.8;

/** Marks around a whole request, as pasted from somewhere: what they hold is the request, not a quote in it. */
const WRAPPED = /^(["“'‘`])([\s\S]+)(["”'’`])$/;
const CLOSING: Readonly<Record<string, string>> = { '"': '"', '“': '”', "'": "'", '‘': '’', '`': '`' };

/** A request without the quotation marks around all of it ("\"Can you calculate ...?\"" is a request, not a quote). */
export function unwrapped(request: string): string {
  const match = WRAPPED.exec(request);
  const [, open = '', inner = '', close = ''] = match ?? [];
  // Only when the marks pair up and none of the same kind is inside: "'a' and 'b'" is two quotes.
  if (!match || CLOSING[open] !== close || inner.includes(open) || inner.includes(close)) return request;
  return inner.trim();
}

function capabilities(index: ToolIndex): string {
  if (index.tools.length === 0) return 'I have no tools connected, so I cannot act on requests yet. Add an agent server and ask again.';
  const byServer = new Map<string, string[]>();
  for (const tool of index.tools) {
    const server = splitName(tool.name).prefix.join(' ') || 'tools';
    byServer.set(server, [...(byServer.get(server) ?? []), humanize(tool.name)]);
  }
  const lines = [...byServer].map(([server, names]) => `- ${server}: ${names.join(', ')}`);
  return ['What would you like me to do? I can use these tools:', ...lines].join('\n');
}

function forcedTools(choice: unknown): { only?: ReadonlySet<string>; force: boolean; none: boolean } {
  if (choice === 'none') return { force: false, none: true };
  if (choice === 'any' || choice === 'required') return { force: true, none: false };
  const name =
    typeof choice === 'string' && choice !== 'auto' ? choice : (choice as { function?: { name?: string } } | undefined)?.function?.name;
  return name ? { only: new Set([name]), force: true, none: false } : { force: false, none: false };
}

function executedCalls(messages: readonly BaseMessage[], from: number, observations: readonly Observation[], turn: number): Executed[] {
  const executed: Executed[] = [];
  for (const message of messages.slice(from + 1)) {
    if (message.getType() !== 'ai') continue;
    for (const call of (message as { tool_calls?: { id?: string; name: string }[] }).tool_calls ?? []) {
      const id = call.id ?? '';
      const own = id.match(/^call_(\d+)_(\d+)(?:_\d+)?$/);
      const part = own && Number(own[1]) === turn ? Number(own[2]) - 1 : undefined;
      executed.push({ id, name: call.name, part, results: observations.filter((observation) => observation.callId === id && id !== '') });
    }
  }
  return executed;
}

/**
 * Decides the next step from the thread alone: splits the latest request into parts, picks a tool
 * for each, calls every part whose inputs are known (in parallel), waits for results that later
 * parts point back at, and answers when every part is done or needs the user.
 */
export function decide(messages: readonly BaseMessage[], index: ToolIndex, options: DecideOptions): Decision {
  const lastHuman = messages.findLastIndex((message) => message.getType() === 'human');
  if (lastHuman < 0) return { kind: 'answer', text: capabilities(index), clarification: true };
  const turn = messages.slice(0, lastHuman + 1).filter((message) => message.getType() === 'human').length;
  const verbs = new Set(index.tools.flatMap((tool) => (tool.verb ? [tool.verb] : [])));
  const said = distributedOnes(
    arrowsAsColons(
      withoutTypos(thingsWanted(withoutCountingLead(letterBody(unwrapped(contentText(messages[lastHuman]?.content).trim())))), index.tools),
    ),
  );
  const completed = completedRequest(messages, lastHuman, said, new Set([...verbs, ...ACTIONS]));
  const request = completed ?? said;
  // The reply was added to the earlier request for its value; a text that ran on over it ("saying ...") ends before it.
  const withoutReply = (args: Record<string, unknown>) =>
    completed === undefined
      ? args
      : Object.fromEntries(
          Object.entries(args).map(([key, value]) => [
            key,
            typeof value === 'string' && value !== said && value.endsWith(` (${said})`) ? value.slice(0, -said.length - 3) : value,
          ]),
        );
  const observations = collectObservations(messages);
  const earlier = observations.filter((observation) => observation.turn < turn).reverse();
  const current = observations.filter((observation) => observation.turn === turn && observation.source === 'tool');
  const executed = executedCalls(messages, lastHuman, current, turn);
  const forced = forcedTools(options.toolChoice);
  let parts = splitRequest(request, verbs);
  if (parts.length === 0 || terms(request).length === 0 || HELP.test(request) || index.tools.length === 0) {
    return { kind: 'answer', text: capabilities(index), clarification: true };
  }
  // Things one can point back at are what tools take an identifier of ("that incident", "the article").
  const pointable = index.tools.filter((tool) => tool.props.some((prop) => POINTABLE.has(prop.kind) && prop.kind !== 'text'));
  const nouns = new Set(pointable.flatMap((tool) => tool.nameTerms.filter((term) => term !== tool.verb)));
  // A step joined with its repetition ("..., then do the same for Y") points inside itself after its first step.
  const pointsOf = (part: Part) => refersBack(unquoted(part.text.slice(0, part.repeats ?? part.text.length)), nouns);
  // Parts that need what an earlier part of this turn finds ("find the incident about X and add a note: ..."), found after choosing.
  const needsEarlier = new Set<number>();
  const refersOf = (part: Part) => pointsOf(part) || part.sequenced || needsEarlier.has(part.index);
  const quotes = findQuotes(request).map((quote) => quote.text);
  // Sentences that ask for nothing ("The VPN keeps dropping.") are what "it" means in the parts that do.
  const actions = new Set([...verbs, ...ACTIONS]);
  const isContext = (part: Part) =>
    parts.length > 1 &&
    !isActionWord(part.text.split(/\s+/)[0] ?? '', verbs) &&
    partVerb(part.text, actions).verb === undefined &&
    !/\?\s*$/.test(part.text);
  let contexts = parts.filter(isContext);
  const sharedFor = (part: Part) => {
    const own = findQuotes(part.text).map((quote) => quote.text);
    const others = contexts.filter((other) => other !== part);
    return [
      // A quote inside a statement of context ("the scanners show 'server unreachable'") is part of that statement's story.
      ...quotes.filter((quote) => !own.includes(quote) && !others.some((other) => other.text.includes(quote))),
      // The statement that says most comes first: "Since this morning nobody can print ..." before "I hope this finds you well".
      ...others.map((other) => plainStatement(other.text)).sort((a, b) => new Set(terms(b)).size - new Set(terms(a)).size),
    ];
  };
  // Only earlier turns lend words to a part that points back, so a part's tool stays the same at every step of this turn.
  const latest = earlier.find((observation) => observation.source === 'tool');

  const chooseAll = (): (Choice | undefined)[] => {
    const choices: (Choice | undefined)[] = [];
    const inputs: ChooseInput[] = [];
    for (const part of parts) {
      const refers = refersOf(part);
      const chained = part.index > 0 && choices.some((choice) => choice?.fits === true);
      const resolve = (prop: PropInfo) =>
        part.index > 0 && refers
          ? POINTABLE.has(prop.kind)
            ? RANKING_PLACEHOLDER
            : undefined
          : resolveFrom(prop, earlier, ordinalIn(part.text));
      const shared = sharedFor(part);
      // A part that points back borrows the words of the tool it points at: an earlier part's, else the last turn's.
      const lender = part.index > 0 ? choices[part.index - 1]?.tool.name : latest?.toolName;
      inputs.push({
        part,
        index,
        now: options.now,
        refers,
        implicit: earlier.length > 0,
        speculative: part.index > 0 && refers,
        chained,
        points: pointsOf(part),
        resolve,
        nouns,
        shared,
        lender,
        report: parts.length === 1 && earlier.length === 0,
        only: forced.only,
        force: forced.force,
      });
      choices.push(chooseTool(inputs.at(-1)!));
    }
    // "Find Clair de Lune and play it": a finder no words set apart is the one beside the tool that acts on what it finds.
    for (const part of parts) {
      const next = choices[part.index + 1];
      const own = choices[part.index];
      if (own?.fits !== false || !next?.fits || forced.only || !pointsOf(parts[part.index + 1]!)) continue;
      const server = next.tool.server.join(' ');
      const only = new Set(index.tools.filter((tool) => server && tool.server.join(' ') === server).map((tool) => tool.name));
      const lent = chooseTool({ ...inputs[part.index]!, only, force: true });
      if (
        lent &&
        lent.tool.name !== next.tool.name &&
        READS.has(lent.tool.verb ?? '') &&
        lent.relevance >= MIN_LENT_RELEVANCE * own.relevance
      )
        choices[part.index] = { ...lent, fits: true };
    }
    // "..., then check the KB for what to try first", "and tell me how upset they are: ...": a step that points back
    // but names what another tool does goes to that tool, not to reading again the record it points at.
    for (const part of parts) {
      const own = choices[part.index];
      const before = choices[part.index - 1];
      if (part.index === 0 || !own?.fits || !before?.fits || forced.only || !READS.has(own.tool.verb ?? '')) continue;
      if (own.tool.server.join(' ') !== before.tool.server.join(' ') || !refersOf(part)) continue;
      const alone = chooseTool({ ...inputs[part.index]!, refers: false, speculative: false, lender: undefined, points: false });
      if (alone?.fits && alone.tool.server.join(' ') !== own.tool.server.join(' ')) {
        choices[part.index] = alone;
        // It reads the record the step before gives, so it waits for it.
        needsEarlier.add(part.index);
      }
    }
    return liftedSiblings(parts, choices, {
      asks: (part) => /\?\s*$/.test(part.text) || isActionWord(part.text.split(/\s+/)[0] ?? '', verbs),
      fill: (part, choice) => {
        const read = fillArguments(part.text, choice.tool, { now: options.now, refers: false });
        const required = choice.tool.props.filter((prop) => prop.required).map((prop) => read.args[prop.name]);
        return { missing: read.missing.length, given: required.length > 0 && required.every(ownValue) ? required.length : 0 };
      },
    });
  };
  let choices = chooseAll();
  // "Find the incident about X and add a note: ..." - a step that fits no tool alone, but does on what
  // the step before it finds (another tool), acts on that result.
  const chainOn = (at: readonly (Choice | undefined)[]) => {
    let changed = false;
    for (const part of parts) {
      const before = at[part.index - 1];
      if (part.index === 0 || at[part.index]?.fits || !before?.fits || needsEarlier.has(part.index)) continue;
      if (!isActionWord(part.text.split(/\s+/)[0] ?? '', verbs)) continue;
      needsEarlier.add(part.index);
      const retried = chooseAll()[part.index];
      if (retried?.fits && retried.tool.name !== before.tool.name) changed = true;
      else needsEarlier.delete(part.index);
    }
    return changed;
  };
  if (chainOn(choices)) choices = chooseAll();
  // A part read on its own, pointing at nothing before it.
  const chooseAlone = (part: Part) =>
    chooseTool({
      part,
      index,
      now: options.now,
      refers: false,
      implicit: earlier.length > 0,
      speculative: false,
      points: pointsOf(part),
      resolve: (prop) => resolveFrom(prop, earlier, ordinalIn(part.text)),
      nouns,
      shared: sharedFor(part),
      lender: undefined,
      report: false,
      only: forced.only,
      force: forced.force,
    });
  const fillAlone = (part: Part, choice: Choice) =>
    fillArguments(part.text, choice.tool, { now: options.now, refers: false, nouns, shared: sharedFor(part) });
  // A part that says how, not what ("... and set bin range to 5", "Include owners information"), belongs to its neighbour.
  const merged = mergeParts(
    parts,
    choices,
    request,
    chooseAlone,
    (part, choice) => fillAlone(part, choice).missing.length,
    (part) => part.sequenced || pointsOf(part) || needsEarlier.has(part.index),
    (part) => pointsOf(part) && findQuotes(part.text).length === 0 && !/\b[A-Z][A-Z\d]{1,9}[-_]?\d{3,}\b/.test(part.text),
    (part, choice) => (fillAlone(part, choice).sets?.length ?? 0) > 1,
    (part, choice) => fillAlone(part, choice).args,
  );
  if (merged.length < parts.length) {
    parts = merged;
    contexts = parts.filter(isContext);
    needsEarlier.clear();
    choices = chooseAll();
    if (chainOn(choices)) choices = chooseAll();
  }

  // "Create an incident for X; create an incident for Y": a part that asks again with the same verb is a request of its own.
  const askedAgain = (before: Part, part: Part) => {
    const word = partVerb(before.text, actions).word;
    return word !== undefined && word === partVerb(part.text, actions).word && !pointsOf(part);
  };
  const separateCalls = (before: Part, part: Part) => {
    const tool = choices[part.index]?.tool;
    if (!tool || choices[before.index]?.tool.name !== tool.name) return false;
    const read = (step: Part) => fillArguments(step.text, tool, { now: options.now, refers: false });
    const required = tool.props.filter((prop) => prop.required).map((prop) => prop.name);
    return twoCalls(read(before), read(part), required);
  };
  // Sentences that each say a little of one call ("... name your character 'DragonSlayer'. You also want to start at level 5").
  const joined = joinSameTool(
    parts,
    choices,
    (part, choice) => fillArguments(part.text, choice.tool, { now: options.now, refers: false, explicitOnly: true }).args,
    (before, part) =>
      (pointsOf(part) && part.sequenced) ||
      isContext(before) ||
      isContext(part) ||
      askedAgain(before, part) ||
      /\n/.test(request.slice(before.start + before.text.length, part.start)) ||
      separateCalls(before, part),
    (a, b) => joinParts(a, b, request),
  );
  if (joined.length < parts.length) {
    parts = joined;
    contexts = parts.filter(isContext);
    needsEarlier.clear();
    choices = chooseAll();
  }

  // "Calculate the GCD of 96 and 128, and the least common multiple of 15 and 25": a part that goes on, without
  // a verb, to what another tool does is two requests.
  const byTool = splitByTool(
    parts,
    choices,
    chooseAlone,
    (part, choice) => fillAlone(part, choice).missing.length,
    (text) => partVerb(text, actions).word,
  );
  if (byTool.length > parts.length) {
    parts = byTool;
    contexts = parts.filter(isContext);
    needsEarlier.clear();
    choices = chooseAll();
  }

  // "Get temperature and humidity forecast for Boston": one request for each tool the list names.
  const byWords = splitByToolWords(parts, choices, index.tools, chooseAlone, (part, choice) => fillAlone(part, choice).missing.length);
  if (byWords.length > parts.length) {
    parts = byWords;
    contexts = parts.filter(isContext);
    needsEarlier.clear();
    choices = chooseAll();
  }

  const whole =
    executed.length === 0
      ? wholeRequest(parts, choices, request, chooseAlone, fillAlone, (part) => part.index > 0 && refersOf(part))
      : undefined;
  if (whole) {
    parts = [whole.part];
    contexts = [];
    needsEarlier.clear();
    choices = [whole.choice];
  }

  for (const part of parts) {
    const choice = choices[part.index];
    if (part.index === 0 || !choice?.fits || refersOf(part)) continue;
    const own = fillArguments(part.text, choice.tool, { now: options.now, refers: false, nouns, shared: sharedFor(part) });
    const feeder = choices
      .slice(0, part.index)
      .some((earlierChoice) => earlierChoice?.fits && earlierChoice.tool.name !== choice.tool.name);
    if (feeder && own.missing.some((prop) => POINTABLE.has(prop.kind) && prop.kind !== 'text')) needsEarlier.add(part.index);
  }

  for (const call of executed) {
    if (call.part !== undefined && parts[call.part]) continue;
    const match = parts.find(
      (part) => choices[part.index]?.tool.name === call.name && !executed.some((other) => other.part === part.index),
    );
    call.part = match?.index;
  }

  const outcomes: Outcome[] = [];
  const calls: PlannedCall[] = [];
  // A later part that points back runs only once no earlier part is still running or waiting.
  const busy = new Set<number>();
  for (const part of parts) {
    const choice = choices[part.index];
    const done = executed.filter((call) => call.part === part.index);
    if (done.length > 0) {
      outcomes.push({ kind: 'done', part: part.text, tool: done[0]?.name ?? '', results: done.flatMap((call) => call.results) });
      continue;
    }
    if (!choice?.fits) {
      if (!isContext(part)) outcomes.push({ kind: 'unmatched', part: part.text, closest: choice?.closest ?? [] });
      continue;
    }
    // "my outlook keeps crashing ..., can u log a ticket": a story that names no value is what the request for its tool is about, no call of its own.
    if (
      isContext(part) &&
      parts.some(
        (other) =>
          other !== part && !isContext(other) && choices[other.index]?.tool.name === choice.tool.name && choices[other.index]?.fits,
      ) &&
      // A statement that sets values of its own ("INC0010007: urgency high") is a request of its own.
      Object.keys(fillArguments(part.text, choice.tool, { now: options.now, refers: false, explicitOnly: true }).args).length === 0
    )
      continue;
    if (forced.none) {
      outcomes.push({ kind: 'blocked', part: part.text, tool: choice.tool.name, reason: 'tools are switched off for this answer' });
      continue;
    }
    const refers = refersOf(part);
    // A later step whose values are all in its own words or in an earlier step's ("also the debt ratio of the
    // same company", "Then get the fibonacci series upto 150") needs no result: it runs now, with those values.
    const reuse = () =>
      part.index > 0 ? reusedValues(part.text, choice.tool, calls, { now: options.now, nouns, shared: sharedFor(part) }) : undefined;
    // Only a pointer can be read so: a step set after another ("then ...") or acting on what it finds waits for it.
    const ownValues = (step: Part) => {
      const previous = parts[step.index - 1];
      const between = previous ? request.slice(previous.start + previous.text.length, step.start) : '';
      // "If so, ...", "otherwise ...": what runs depends on what the step before finds.
      if (CONDITIONAL.test(between)) return undefined;
      // "..., then echo the sum": a step that names what an earlier step's tool gives is about that result; a word its
      // own tool's name has too ("weather" of weather_forecast after weather_current) names its own tool.
      const own = new Set(terms(step.text));
      const earlierTools = choices.slice(0, step.index).flatMap((earlierChoice) => (earlierChoice?.fits ? [earlierChoice.tool] : []));
      const result = (term: string, tool: ToolSpec) => term !== tool.verb && !choice.tool.nameTerms.includes(term) && own.has(term);
      if (earlierTools.some((tool) => tool.name !== choice.tool.name && tool.nameTerms.some((term) => result(term, tool)))) {
        return undefined;
      }
      // Only values it says outright: a text made of its leftover words ("search the web for a fix") may mean what the step before finds.
      const alone = fillAlone(step, choice);
      const said = fillArguments(step.text, choice.tool, { now: options.now, refers: false, explicitOnly: true }).args;
      const outright = Object.entries(alone.args).every(([key, value]) => typeof value !== 'string' || said[key] === value);
      // "..., then echo the sum back": plain words may name what the step before gives (a pronoun, or a word of an
      // earlier tool's name or description its own tool does not have); a name, a number or a choice does not.
      const enums = new Set(choice.tool.props.filter((prop) => prop.kind === 'enum').map((prop) => prop.name));
      const ownWords = new Set([...choice.tool.nameTerms, ...terms(choice.tool.description)]);
      const given = new Set(
        earlierTools
          .filter((tool) => tool.name !== choice.tool.name)
          .flatMap((tool) => [...tool.nameTerms, ...terms(tool.description)])
          .filter((term) => !ownWords.has(term)),
      );
      const pointed = Object.entries(alone.args).some(
        ([key, value]) =>
          typeof value === 'string' &&
          !enums.has(key) &&
          !/[\p{Lu}\p{N}]/u.test(value) &&
          (PRONOUN.test(value) || POINTER_WORD.test(value) || terms(value).some((term) => given.has(term))),
      );
      return alone.missing.length === 0 && outright && !pointed ? alone : undefined;
    };
    // "Find Clair de Lune and play it": what a finder just before finds is what "it" means, an identifier it leaves open.
    const finder = choices[part.index - 1];
    const actsOnFound =
      finder?.fits === true &&
      finder.tool.name !== choice.tool.name &&
      READS.has(finder.tool.verb ?? '') &&
      choice.tool.props.some((prop) => prop.kind === 'identifier' && fillAlone(part, choice).args[prop.name] === undefined);
    const pointing = pointsOf(part) && !needsEarlier.has(part.index) && !actsOnFound ? reuse() : undefined;
    // "Find the primes between 50 and 150. Then get the fibonacci series upto 150": a step set after another that
    // says all it needs in its own words waits for nothing.
    // "compare it to the average price of X in Y" says all it needs too; "add its link as a note" takes a value from what it points at.
    const ownable = part.sequenced ? !pointsOf(part) || !POSSESSIVE.test(part.text) : pointsOf(part) && !POSSESSIVE.test(part.text);
    const reusing = pointing ?? (part.index > 0 && ownable && !needsEarlier.has(part.index) && !actsOnFound ? ownValues(part) : undefined);
    const dependent = part.index > 0 && refers && reusing === undefined;
    if (dependent && [...busy].some((index) => index < part.index)) {
      busy.add(part.index);
      continue;
    }
    const previous = parts[part.index - 1];
    const gap = previous && dependent ? request.slice(previous.start + previous.text.length, part.start) : '';
    const before = executed.filter((call) => call.part === part.index - 1).flatMap((call) => call.results);
    // "Is there a ticket for X? If not, open one": only when the look-up found nothing about X, and then about X.
    const otherwise = IF_NOT.test(gap) && before.length > 0;
    if (otherwise && before.some(foundWhatWasAsked)) continue;
    const thisTurn = [...current].reverse();
    const failedBefore = dependent && thisTurn.some((observation) => observation.isError);
    const scope = dependent ? (failedBefore ? thisTurn : [...thisTurn, ...earlier]) : earlier;
    const own =
      reusing ??
      fillArguments(part.text, choice.tool, {
        now: options.now,
        refers,
        resolve: (prop) => resolveFrom(prop, scope, ordinalIn(part.text)),
        implicit: earlier.length > 0,
        nouns,
        shared: sharedFor(part),
      });
    // "Calculate the area under x^2 from 1 to 5. And find the derivative at x=3": what a step leaves out, an earlier one gave.
    const reused = own.missing.length > 0 && !refers ? (reuse() ?? own) : own;
    const filled =
      reused.missing.length > 0 && earlier.length > 0 && !refers
        ? (soughtAbout(part.text, choice.tool, reused, earlier) ?? reused)
        : reused;
    if (filled.missing.length > 0) {
      outcomes.push(
        failedBefore
          ? { kind: 'blocked', part: part.text, tool: choice.tool.name, reason: 'the step it depends on failed' }
          : { kind: 'missing', part: part.text, tool: choice.tool, missing: filled.missing },
      );
      continue;
    }
    busy.add(part.index);
    const fanOut = filled.fanOut;
    const elsewhere = quotes.filter((quote) => !part.text.includes(quote));
    const link = dependent ? pointedLink(part.text, scope) : undefined;
    const base = pointedTextArgs(part.text, choice.tool, filled.args, earlier, elsewhere, link);
    // "... and search the KB for a fix" in a later turn: a query of only the words the tool's description uses for
    // what it finds names no subject; the earlier turn's is meant.
    const query = mainProp(choice.tool);
    const said = query ? base.args[query.name] : undefined;
    const bare = typeof said === 'string' && earlier.length > 0 && !refers && onlyToolWords(said, choice.tool);
    const borrowed = bare ? earlierSubject(earlier) : undefined;
    if (query && borrowed) {
      base.args = { ...base.args, [query.name]: `${borrowed} ${said}` };
      base.changed = { ...base.changed, [query.name]: `${borrowed} ${said}` };
    }
    // "Look up INC0010011 and tell me whether its latest note sounds positive": a step of another server that points
    // at the record just read takes the text of the field it names, else what that record is about ("what the KB suggests for it").
    const readBefore = thisTurn.find((observation) => observation.source === 'tool' && !observation.isError);
    const text = mainProp(choice.tool);
    if (dependent && readBefore && text?.kind === 'text' && PRONOUN.test(unquoted(part.text)) && findQuotes(part.text).length === 0) {
      const server = (name: string | undefined) => index.tools.find((tool) => tool.name === name)?.server.join(' ');
      const value =
        server(readBefore.toolName) === server(choice.tool.name)
          ? undefined
          : (pointedField(part.text, thisTurn) ?? earlierSubject(thisTurn));
      if (value !== undefined && base.args[text.name] === filled.args[text.name]) {
        base.args = { ...base.args, [text.name]: value };
        base.changed = { ...base.changed, [text.name]: value };
      }
    }
    const subject = otherwise && choice.tool.verb === canonical('create') ? askedAbout(before) : undefined;
    const main = subject === undefined ? undefined : mainProp(choice.tool);
    if (main && subject) {
      base.args = { ...base.args, [main.name]: subject };
      base.changed = { ...base.changed, [main.name]: subject };
    }
    const sets =
      filled.sets?.map((args) =>
        Object.fromEntries(Object.entries({ ...args, ...base.changed }).filter(([, value]) => value !== undefined)),
      ) ?? (fanOut ? fanOut.values.map((value) => ({ ...base.args, [fanOut.prop]: value })) : [base.args]);
    sets.forEach((args, k) => {
      // Two steps read to the very same call ("... the area of a circle. ... a circle with a radius of 4") ask for it once.
      // The same values found in another order are the same call.
      const key = (values: Record<string, unknown>) => JSON.stringify(Object.entries(values).sort(([a], [b]) => (a < b ? -1 : 1)));
      if (calls.some((call) => call.name === choice.tool.name && key(call.args) === key(args))) return;
      calls.push({ id: `call_${turn}_${part.index + 1}${k > 0 ? `_${k + 1}` : ''}`, name: choice.tool.name, args: withoutReply(args) });
    });
  }
  if (calls.length > 0) return { kind: 'calls', calls };
  for (const call of executed.filter((entry) => entry.part === undefined)) {
    outcomes.push({ kind: 'done', part: call.name, tool: call.name, results: call.results });
  }
  // Statements that fit no tool and ask nothing still get an answer: what was not understood, and the closest tools.
  if (outcomes.length === 0) outcomes.push({ kind: 'unmatched', part: request, closest: choices.find((choice) => choice)?.closest ?? [] });
  return {
    kind: 'answer',
    text: composeAnswer(outcomes),
    clarification: outcomes.some((outcome) => outcome.kind !== 'done'),
    asksForValue: outcomes.some((outcome) => outcome.kind === 'missing'),
  };
}

/** Most words a reply may have and still be only the value asked for ("INC0010014", "the Paris office one"). */
const MAX_REPLY_WORDS = 6;

/**
 * The request a bare reply completes: after an answer that asked for a missing value ("To update
 * incident for "close the ticket" I need number"), a short reply with no verb of its own
 * ("INC0010014") is that value, so the earlier request is asked again with it. Undefined otherwise.
 */
function completedRequest(
  messages: readonly BaseMessage[],
  lastHuman: number,
  reply: string,
  actions: ReadonlySet<string>,
): string | undefined {
  const asked = messages.slice(0, lastHuman).findLastIndex((message) => message.getType() === 'ai');
  const question = messages[asked];
  if (!question || (question.response_metadata as { asks_for_value?: unknown } | undefined)?.asks_for_value !== true) return undefined;
  if (reply.split(/\s+/).length > MAX_REPLY_WORDS || /\?\s*$/.test(reply)) return undefined;
  const read = partVerb(reply, actions);
  if (read.verb !== undefined || isActionWord(reply.split(/\s+/)[0] ?? '', actions)) return undefined;
  const before = messages.slice(0, asked).findLastIndex((message) => message.getType() === 'human');
  const earlier = before < 0 ? '' : letterBody(unwrapped(contentText(messages[before]?.content).trim()));
  return earlier ? `${earlier.replace(/[\s.!]+$/, '')} (${reply})` : undefined;
}

/** Whether every word of a text is one the tool's own description uses ("fix" for a search of "known fixes"). */
/**
 * "and search the knowledge base for a fix" in a later turn: a search whose only words for what it
 * seeks are what the tool finds ("fix") seeks it for the earlier turn's subject. Undefined otherwise.
 */
function soughtAbout<T extends { readonly args: Record<string, unknown>; readonly missing: readonly PropInfo[] }>(
  text: string,
  tool: ToolSpec,
  filled: T,
  earlier: readonly Observation[],
): T | undefined {
  const main = mainProp(tool);
  if (!main || filled.missing.length !== 1 || filled.missing[0] !== main) return undefined;
  const sought = (text.match(/[\p{L}-]+/gu) ?? []).reverse().find((word) => tool.objectTerms.includes(canonical(word.toLowerCase())));
  const subject = sought ? earlierSubject(earlier) : undefined;
  return subject && sought ? { ...filled, args: { ...filled.args, [main.name]: `${subject} ${sought}` }, missing: [] } : undefined;
}

function onlyToolWords(text: string, tool: ToolSpec): boolean {
  const own = terms(text);
  const described = new Set(terms(tool.description));
  return own.length > 0 && own.length <= 2 && own.every((term) => described.has(term));
}

const PLURAL_POINTER = /\b(?:these|those|both|each|all|every)\b/i;
const PRONOUN = /\b(?:it|its|they|them|their)\b/i;

/** Words that take a value from what they point at ("its link", "their scores"). */
const POSSESSIVE = /\b(?:its|their)\b/i;

/** Words that point at something said or found before ("the result", "this one"). */
const POINTER_WORD = /\b(?:this|that|these|those|result|results|output|same|above|previous)\b/i;

/** The words of a property or argument name ("company_name" -> company, name). */
const nameWords = (name: string) =>
  name
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);

/**
 * A later step's arguments from its own words and, for what they leave out, the values earlier steps of the
 * request were given ("calculate the debt ratio of the same company", "compute the distance covered by the
 * object"); undefined when something is still missing. A value carries over to a
 * property of the same name, or one whose name holds the other's words (company and company_name).
 */
function reusedValues(
  text: string,
  tool: ToolSpec,
  calls: readonly PlannedCall[],
  context: { now: Date; nouns: ReadonlySet<string>; shared: readonly string[] },
): ReturnType<typeof fillArguments> | undefined {
  // "who are they playing", "extract its entities": a pronoun stands for what an earlier step finds, not for what it was given.
  if (calls.length === 0 || PRONOUN.test(text)) return undefined;
  const matches = (name: string, key: string) => {
    const own = nameWords(name);
    const words = nameWords(key);
    return key === name || words.every((word) => own.includes(word)) || own.every((word) => words.includes(word));
  };
  const everyGiven = (name: string) => [
    ...new Map(
      calls
        .flatMap((call) => Object.entries(call.args).filter(([key]) => matches(name, key)))
        .map(([, value]) => [JSON.stringify(value), value]),
    ).values(),
  ];
  const given = (prop: PropInfo) => {
    const own = nameWords(prop.name);
    for (const call of calls) {
      for (const [key, value] of Object.entries(call.args)) {
        const words = nameWords(key);
        if (key === prop.name || words.every((word) => own.includes(word)) || own.every((word) => words.includes(word))) return value;
      }
    }
    return undefined;
  };
  // "the same company": a property's own word after a pointer points at that property's earlier value.
  const nouns = new Set([...context.nouns, ...tool.props.flatMap((prop) => prop.words.map((word) => canonical(word)))]);
  const reused = fillArguments(text, tool, { ...context, nouns, refers: true, resolve: given });
  if (reused.missing.length > 0) return undefined;
  // "... in 1900 and 1950? Also the GDP in these years", "in each city": every value the earlier steps were given.
  const many = PLURAL_POINTER.test(text) ? reused.referenced.find((name) => everyGiven(name).length > 1) : undefined;
  if (many === undefined) return reused;
  const args = reused.args;
  return { ...reused, args, fanOut: undefined, sets: everyGiven(many).map((value) => ({ ...args, [many]: value })) };
}

/** A statement without its end marks and the interjections around it ("wifi is trash lol!" -> "wifi is trash"). */
function plainStatement(text: string): string {
  const words = text.replace(/[.!]+$/, '').split(/\s+/);
  const bare = (word: string | undefined) => (word ?? '').replace(/[^\p{L}]/gu, '');
  while (words.length > 1 && isInterjection(bare(words[0]))) words.shift();
  while (words.length > 1 && isInterjection(bare(words.at(-1)))) words.pop();
  return words.join(' ').replace(/^[\s,]+|[\s,]+$/g, '');
}

/** A part that is only a verb and a pronoun ("log it", "log this for us pls"). */
const BARE_POINTER = /^\s*[\p{L}]+\s+(?:it|this|that|them)(?:\s+(?:for\s+(?:me|us)|pls|plz|please|too|then|now|thanks|thx))*[\s.!?]*$/iu;

const CONDITIONAL = /\b(?:if|otherwise|unless|in\s+case)\b/i;

const IF_NOT = /\b(?:if\s+not|otherwise|if\s+(?:there\s+(?:is|are)\s+)?none|if\s+nothing)\b/i;

/** What a look-up looked for: the longest text it was called with. */
function askedAbout(results: readonly Observation[]): string | undefined {
  const asked = results.flatMap((result) => Object.values(result.args ?? {})).filter((value): value is string => typeof value === 'string');
  return asked.sort((a, b) => b.length - a.length)[0];
}

/** Whether a look-up's result holds an item about most of what it looked for ("CRM 502 error" and "CRM web app returns error 502"). */
function foundWhatWasAsked(result: Observation): boolean {
  if (result.isError) return false;
  const wanted = new Set(terms(askedAbout([result]) ?? ''));
  if (wanted.size === 0) return false;
  const items: unknown[] = [];
  const collect = (value: unknown): void => {
    if (Array.isArray(value)) items.push(...value.filter((item) => item && typeof item === 'object'));
    else if (value && typeof value === 'object') Object.values(value).forEach(collect);
  };
  collect(result.data);
  return items.some((item) => {
    const own = new Set(terms(JSON.stringify(item)));
    return [...wanted].filter((term) => own.has(term)).length >= Math.max(1, Math.ceil(wanted.size * 0.6));
  });
}

/**
 * The text a part hands a tool: the text it points back at ("the sentiment of that text", "add that
 * as a work note") or its own payload ("add a note to it: technician booked"), put in the text
 * property the part names ("note" -> work_note), else the tool's main text.
 */
function pointedTextArgs(
  text: string,
  tool: ToolSpec,
  args: Record<string, unknown>,
  earlier: readonly Observation[],
  elsewhere: readonly string[],
  link?: string,
): { args: Record<string, unknown>; changed: Record<string, unknown> } {
  const own = findQuotes(text);
  // "How will this message land? Here it is: '...'": a text quoted in the same request comes before earlier turns.
  const quoted = [...elsewhere].sort((a, b) => b.length - a.length)[0];
  // "add its link as a work note": the address of what an earlier step found.
  const value =
    own.length > 0
      ? undefined
      : link !== undefined
        ? link
        : pointsAtText(text)
          ? (quoted ?? earlierText(earlier))
          : quoted !== undefined && pointsAtIt(text)
            ? quoted
            : undefined;
  const payload = own.length === 1 ? own[0]?.text : undefined;
  const words = new Set(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
  const texts = tool.props.filter((prop) => prop.kind === 'text');
  // Words of a field's name that say what it is ("note" of work_note), not joints ("to" of assigned_to).
  const spoken = (prop: PropInfo) => prop.words.filter((word) => word.length > 2);
  const named = (all: boolean) =>
    texts
      .filter((prop) => {
        const own = spoken(prop);
        return own.length > 0 && (all ? own.every((word) => words.has(word)) : words.has(own.at(-1) ?? ''));
      })
      // A field needed only in one case ("Required with state Resolved") is not what a plain "note" means.
      .sort(
        (a, b) =>
          Number(/\brequired (?:with|when|if)\b/i.test(a.description)) - Number(/\brequired (?:with|when|if)\b/i.test(b.description)),
      )[0];
  const target = named(true) ?? named(false);
  let changed: Record<string, unknown> = {};
  const exact = named(true) ?? target;
  // "add a work note that a loan projector was delivered": the words after the field's name are its value.
  const said =
    own.length === 0 && value === undefined && exact && args[exact.name] === undefined
      ? // "add a note saying ...": the field's last word alone names it too.
        new RegExp(
          `\\b${spoken(exact)
            .map((word, i, all) => (i < all.length - 1 ? `(?:${word}[\\s_-]+)?` : word))
            .join('')}s?\\s+(?:(?:to|on|for)\\s+(?:it|this|that|them)\\s+)?(?:that says|saying|reading|that)\\s+(.{3,})$`,
          'i',
        )
          .exec(text.trim())?.[1]
          ?.replace(/[.!]+$/, '')
      : undefined;
  if (said && exact) {
    changed = { [exact.name]: said };
  } else if (value !== undefined) {
    const prop = target ?? mainProp(tool);
    if (prop) changed = { [prop.name]: value };
  } else if (payload && target && args[target.name] === undefined) {
    // The payload is what the named field ("a note", "the work note") should say, not a field the part never named.
    const holder = texts.find((prop) => args[prop.name] === payload && !spoken(prop).some((word) => words.has(word)));
    const placed = Object.values(args).some((arg) => arg === payload);
    if (!placed || holder) changed = { [target.name]: payload, ...(holder ? { [holder.name]: undefined } : {}) };
  }
  const merged = Object.fromEntries(Object.entries({ ...args, ...changed }).filter(([, value]) => value !== undefined));
  return { args: merged, changed };
}

/**
 * Joins neighbouring parts that are one request cut in two: one of them fits no tool on its own (or
 * both pick one tool and lack values), and together they fit, with no more values missing.
 */
function mergeParts(
  parts: readonly Part[],
  choices: readonly (Choice | undefined)[],
  request: string,
  choose: (part: Part) => Choice | undefined,
  missingOf: (part: Part, choice: Choice) => number,
  separate: (part: Part) => boolean,
  pointsBack: (part: Part) => boolean,
  repeats: (part: Part, choice: Choice) => boolean,
  argsOf: (part: Part, choice: Choice) => Readonly<Record<string, unknown>>,
): Part[] {
  if (parts.length < 2) return [...parts];
  const out: { part: Part; choice: Choice | undefined }[] = [{ part: parts[0]!, choice: choices[0] }];
  for (const part of parts.slice(1)) {
    const choice = choices[part.index];
    const previous = out.at(-1)!;
    const one = previous.choice;
    let joined: { part: Part; choice: Choice | undefined } | undefined;
    // Steps the person set apart (a list, "then", a pointer back at an earlier result) stay apart.
    const gap = request.slice(previous.part.start + previous.part.text.length, part.start);
    // "put it in progress and assign it to Omar": two changes to the one record pointed at are one call.
    const oneRecord = one?.fits && choice?.fits && one.tool.name === choice.tool.name && pointsBack(previous.part) && pointsBack(part);
    if (oneRecord && !/\n/.test(gap)) {
      const candidate = joinParts(previous.part, part, request);
      const together = choose(candidate);
      if (together?.fits && together.tool.name === one.tool.name) {
        out[out.length - 1] = { part: candidate, choice: together };
        continue;
      }
    }
    // "outlook crashed again, can u log it": a bare "do it" after a part that does it is that part said again.
    if (one?.fits && BARE_POINTER.test(unquoted(part.text).replace(LEAD_IN, '')) && !/\n/.test(gap)) {
      const again = partVerb(part.text, new Set([...ACTIONS, ...(one.tool.verb ? [one.tool.verb] : [])])).verb;
      if (again !== undefined && again === one.tool.verb) continue;
    }
    // "..., then repeat with a time of 10 seconds", "Do the same for ...": a step that does again what the one
    // before it did, with other values, is the same request once more; read together they make several calls.
    if (one?.fits && (!choice?.fits || choice.tool.name === one.tool.name) && separate(part) && !/\n/.test(gap)) {
      const candidate = { ...joinParts(previous.part, part, request), repeats: previous.part.repeats ?? previous.part.text.length };
      const together = choose(candidate);
      if (together?.fits && together.tool.name === one.tool.name && repeats(candidate, together)) {
        out[out.length - 1] = { part: candidate, choice: together };
        continue;
      }
    }
    // "open an incident for Felix and assign it to Hardware Support": a change to the record being made, in
    // fields the making takes too, is part of making it.
    if (one?.fits && choice?.fits && one.tool.name !== choice.tool.name && !part.sequenced && pointsBack(part) && !/\n/.test(gap)) {
      const settings = Object.keys(argsOf(part, choice)).filter((key) => !identifying(choice.tool, key));
      const takes = new Set(one.tool.props.map((prop) => prop.name));
      if (one.tool.verb === CREATE_VERB && settings.length > 0 && settings.every((key) => takes.has(key))) {
        const candidate = joinParts(previous.part, part, request);
        const together = choose(candidate);
        const args = together?.fits && together.tool.name === one.tool.name ? argsOf(candidate, together) : {};
        if (settings.every((key) => args[key] !== undefined)) {
          out[out.length - 1] = { part: candidate, choice: together };
          continue;
        }
      }
    }
    if (separate(part) || /\n/.test(gap)) {
      out.push({ part, choice });
      continue;
    }
    const unfit = !one?.fits || !choice?.fits;
    const sameTool = one?.fits && choice?.fits && one.tool.name === choice.tool.name;
    // "The VPN keeps dropping. Please open an incident ...": a sentence that ends before a request, and asks nothing
    // itself, is its story, not half of it; a sentence after a request may still add its values ("You also want ...").
    const story = !one?.fits && choice?.fits === true && /[.!]\s*$/.test(previous.part.text + gap);
    // "... and search for a fix": a step led by the verb of another tool asks that tool, though it lacks values yet.
    const ownVerb =
      choice !== undefined &&
      one !== undefined &&
      choice.tool.name !== one.tool.name &&
      choice.tool.verb !== undefined &&
      partVerb(part.text, new Set([...ACTIONS, choice.tool.verb])).verb === choice.tool.verb;
    if (unfit && !story && !ownVerb && (one?.fits || choice?.fits)) {
      const candidate = joinParts(previous.part, part, request);
      const together = choose(candidate);
      const tool = one?.fits ? one.tool.name : choice?.tool.name;
      if (together?.fits && together.tool.name === tool) joined = { part: candidate, choice: together };
    } else if (sameTool && !story && one && choice) {
      const before = missingOf(previous.part, one) + missingOf(part, choice);
      if (before > 0) {
        const candidate = joinParts(previous.part, part, request);
        const together = choose(candidate);
        if (
          together?.fits &&
          together.tool.name === one.tool.name &&
          missingOf(candidate, together) < Math.min(before, missingOf(previous.part, one) || Infinity, missingOf(part, choice) || Infinity)
        ) {
          joined = { part: candidate, choice: together };
        }
      }
    }
    if (joined) out[out.length - 1] = joined;
    else out.push({ part, choice });
  }
  return out.map(({ part }, index) => ({ ...part, index }));
}

/**
 * The whole request as one part when its sentences each describe one case of what one tool does and no part
 * can call that tool alone ("The first garden has a base of 10 meters and a height of 5 meters, the second ...
 * What is the total area?"): read together they give every value, once per case. Undefined otherwise.
 */
function wholeRequest(
  parts: readonly Part[],
  choices: readonly (Choice | undefined)[],
  request: string,
  choose: (part: Part) => Choice | undefined,
  fill: (part: Part, choice: Choice) => { missing: readonly unknown[]; sets?: readonly unknown[] },
  waits: (part: Part) => boolean,
): { part: Part; choice: Choice } | undefined {
  if (parts.length < 2) return undefined;
  const fitting = parts.flatMap((part) => {
    const choice = choices[part.index];
    return choice?.fits ? [{ part, choice }] : [];
  });
  // Parts that can call a tool alone: the whole is read only when it makes as many calls of that one tool or more.
  const complete = fitting.filter(({ part, choice }) => fill(part, choice).missing.length === 0);
  const tools = new Set(fitting.map(({ choice }) => choice.tool.name));
  // And only when one of them waits for an earlier one ("... their velocity for each day"), so they would not all run now.
  // Unless the request sets out cases one by one ("The first triangle has ... The second ..."): each is one call.
  const cased = tools.size <= 1 && ordinalCases(request) !== undefined;
  if (!cased && complete.length > 0 && (tools.size > 1 || !complete.some(({ part }) => waits(part)))) return undefined;
  const part: Part = { index: 0, text: request, start: 0, sequenced: false };
  const choice = choose(part);
  if (!choice?.fits || (complete.length > 0 && !tools.has(choice.tool.name))) return undefined;
  const filled = fill(part, choice);
  return filled.missing.length === 0 && (filled.sets?.length ?? 0) >= Math.max(2, cased ? 0 : complete.length)
    ? { part, choice }
    : undefined;
}

const CREATE_VERB = canonical('create');

/** Whether a property names the record a tool acts on (its required identifier) rather than setting something. */
function identifying(tool: ToolSpec, key: string): boolean {
  const prop = tool.props.find((candidate) => candidate.name === key);
  return prop === undefined || (prop.required && prop.kind === 'identifier');
}

/** Two neighbouring parts as one, with the words between them when the offsets hold. */
function joinParts(a: Part, b: Part, request: string): Part {
  const aligned = request.slice(a.start, a.start + a.text.length) === a.text && request.slice(b.start, b.start + b.text.length) === b.text;
  const text = aligned && b.start > a.start ? request.slice(a.start, b.start + b.text.length) : `${a.text} ${b.text}`;
  return { index: a.index, text, start: a.start, sequenced: a.sequenced };
}
