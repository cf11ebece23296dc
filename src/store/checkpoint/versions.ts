/**
 * The next version of a channel: `floor(current) + 1` plus a random fraction, so versions increase
 * and are also unique. Savers that store values per (channel, version) need both: two branches
 * forked from one checkpoint would otherwise mint the same integer for different values, and the
 * second branch would read the first one's (langchain-ai/langgraphjs#1812).
 */
export function nextChannelVersion(current: number | undefined): number {
  return (current === undefined ? 0 : Math.floor(current)) + 1 + Math.random();
}
