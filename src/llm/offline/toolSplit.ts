/**
 * Requests that run on without a verb into what another tool does ("Calculate the GCD of 96 and 128,
 * and the least common multiple of 15 and 25"): such a part is two, cut where the tools change.
 */
import type { Choice } from './choose.ts';
import { nounJoints, type Part } from './split.ts';

/**
 * Parts cut where one goes on, with no verb of its own, to what another tool does: the words before the
 * joint still choose the part's tool and give all it needs, the words after it choose another tool.
 */
export function splitByTool(
  parts: readonly Part[],
  choices: readonly (Choice | undefined)[],
  choose: (part: Part) => Choice | undefined,
  missingOf: (part: Part, choice: Choice) => number,
  verbOf: (text: string) => string | undefined,
): Part[] {
  const out: Part[] = [];
  const cut = (part: Part, choice: Choice | undefined, depth: number): void => {
    if (!choice?.fits || depth > 3) {
      out.push(part);
      return;
    }
    const verb = verbOf(part.text);
    for (const joint of nounJoints(part.text)) {
      const head: Part = { ...part, text: part.text.slice(0, joint.start) };
      const bare: Part = { index: part.index, text: part.text.slice(joint.end), start: part.start + joint.end, sequenced: false };
      // The tail read alone, else with the part's verb ("Find ... and the waiting time": find the waiting time).
      const alone = choose(bare);
      const lent = alone?.fits || verb === undefined ? undefined : { ...bare, text: `${verb} ${bare.text}` };
      const tail = lent ?? bare;
      const second = lent ? choose(lent) : alone;
      if (!second?.fits) continue;
      const first = choose(head);
      if (!first?.fits || first.tool.name === second.tool.name || missingOf(head, first) > 0) continue;
      // One of the two keeps the whole part's tool; a head that turns to another is trusted only when the tail names its own unhelped.
      if (first.tool.name !== choice.tool.name && (second.tool.name !== choice.tool.name || lent)) continue;
      out.push(head);
      cut(tail, second, depth + 1);
      return;
    }
    out.push(part);
  };
  for (const part of parts) cut(part, choices[part.index], 0);
  return out.map((part, index) => ({ ...part, index }));
}

/**
 * Neighbouring parts that choose one tool and say nothing against each other ("You decided to name your
 * character 'DragonSlayer' ... You also want to start at level 5"): sentences about one call, read as one part.
 * Parts that give one property two values ("in New York ... Also in Los Angeles") stay two calls; so do parts
 * a line break or list marker sets apart, and parts that point back at what an earlier one finds.
 */
export function joinSameTool(
  parts: readonly Part[],
  choices: readonly (Choice | undefined)[],
  said: (part: Part, choice: Choice) => Readonly<Record<string, unknown>>,
  apart: (before: Part, part: Part) => boolean,
  join: (a: Part, b: Part) => Part,
): Part[] {
  const out: { part: Part; choice: Choice | undefined; values: Record<string, unknown> }[] = [];
  for (const part of parts) {
    const choice = choices[part.index];
    const values = choice?.fits ? { ...said(part, choice) } : {};
    const last = out.at(-1);
    const same = last?.choice?.fits && choice?.fits && last.choice.tool.name === choice.tool.name;
    if (last && same && !apart(last.part, part) && agree(last.values, values)) {
      last.part = join(last.part, part);
      Object.assign(last.values, values);
      continue;
    }
    out.push({ part, choice, values });
  }
  return out.map(({ part }, index) => ({ ...part, index }));
}

/** Whether two sets of values never give one property two different values. */
function agree(a: Readonly<Record<string, unknown>>, b: Readonly<Record<string, unknown>>): boolean {
  return Object.entries(b).every(([key, value]) => a[key] === undefined || JSON.stringify(a[key]) === JSON.stringify(value));
}
