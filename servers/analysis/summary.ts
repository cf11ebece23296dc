import type { ParsedText } from './engine.ts';
import { round } from './math.ts';

/** A sentence picked for the summary, with its place in the text. */
export interface SummarySentence {
  readonly index: number;
  readonly text: string;
  readonly start: number;
  readonly end: number;
  readonly score: number;
}

const DAMPING = 0.85;
const ITERATIONS = 40;
const CONVERGED = 1e-6;
// A candidate this similar to a sentence already picked repeats it and is skipped.
const REDUNDANT_SIMILARITY = 0.7;
// Summed similarities below this are rounding error: the sentence shares no word with another.
const NO_EDGES = 1e-9;

type Vector = Map<string, number>;

/**
 * Extractive summary by TextRank (Mihalcea and Tarau, 2004): sentences are TF-IDF vectors of
 * wink's lemmas without stop words, edges their cosine similarity, ranked by PageRank whose
 * random jumps favour early sentences (weight 1/sqrt(position + 1)), the usual lead bias of
 * reports and tickets. The best `maxSentences` that do not repeat one another are returned
 * in the order they appear in the text.
 */
export function summarize(parsed: ParsedText, maxSentences: number): SummarySentence[] {
  const vectors = sentenceVectors(parsed);
  const scores = pageRank(vectors);
  const order = scores.map((score, index) => ({ score, index })).sort((a, b) => b.score - a.score || a.index - b.index);
  const picked: number[] = [];
  for (const { index } of order) {
    if (picked.length >= maxSentences) break;
    const vector = vectors[index];
    if (!vector || vector.size === 0) continue;
    if (picked.some((other) => cosine(vector, vectors[other] ?? new Map()) > REDUNDANT_SIMILARITY)) continue;
    picked.push(index);
  }
  const top = scores.reduce((max, score) => Math.max(max, score), Number.MIN_VALUE);
  return picked
    .sort((a, b) => a - b)
    .map((index) => {
      const [first, last] = parsed.sentences[index] ?? [0, 0];
      const start = parsed.starts[first] ?? 0;
      const end = parsed.ends[last] ?? start;
      return { index, text: parsed.text.slice(start, end), start, end, score: round((scores[index] ?? 0) / top) };
    });
}

// L2-normalised TF-IDF vectors of each sentence's content lemmas.
function sentenceVectors(parsed: ParsedText): Vector[] {
  const counts = parsed.sentences.map(([first, last]) => {
    const terms: Vector = new Map();
    for (let index = first; index <= last; index += 1) {
      if (parsed.types[index] !== 'word' || parsed.stopWords[index]) continue;
      const lemma = (parsed.lemmas[index] ?? '').toLowerCase();
      if (lemma.length > 1) terms.set(lemma, (terms.get(lemma) ?? 0) + 1);
    }
    return terms;
  });
  const documentFrequency = new Map<string, number>();
  for (const terms of counts) for (const term of terms.keys()) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
  const total = counts.length;
  return counts.map((terms) => {
    const vector: Vector = new Map();
    let norm = 0;
    for (const [term, count] of terms) {
      const weight = count * Math.log(1 + total / (documentFrequency.get(term) ?? 1));
      vector.set(term, weight);
      norm += weight * weight;
    }
    norm = Math.sqrt(norm) || 1;
    for (const [term, weight] of vector) vector.set(term, weight / norm);
    return vector;
  });
}

// Similarities are dot products of unit vectors, so the graph's products are computed through the
// vectors' sum instead of pair by pair: W x = V (Vᵀ x) - x (the diagonal, 1 for each non-empty
// vector). A text of many sentences sharing a word ("Error in server." x 8000) would otherwise
// build a dense graph of tens of millions of edges and run the server out of memory.
function pageRank(vectors: readonly Vector[]): number[] {
  const size = vectors.length;
  if (size === 0) return [];
  const prior = vectors.map((_, index) => 1 / Math.sqrt(index + 1));
  const priorSum = prior.reduce((sum, value) => sum + value, 0);
  const jump = prior.map((value) => value / priorSum);
  const outWeight = similaritiesTo(
    vectors,
    vectors.map(() => 1),
  );
  let rank = [...jump];
  for (let iteration = 0; iteration < ITERATIONS; iteration += 1) {
    let dangling = 0;
    const share = rank.map((value, from) => {
      const weight = outWeight[from] ?? 0;
      if (weight > NO_EDGES) return value / weight;
      dangling += value;
      return 0;
    });
    const flow = similaritiesTo(vectors, share);
    // Rank held by sentences with no neighbours jumps like a random surfer, by the prior.
    const next = jump.map((value, index) => (1 - DAMPING) * value + DAMPING * (flow[index] ?? 0) + DAMPING * dangling * value);
    const change = next.reduce((sum, value, index) => sum + Math.abs(value - (rank[index] ?? 0)), 0);
    rank = next;
    if (change < CONVERGED) break;
  }
  return rank;
}

// Σ_j≠i similarity(i, j) · x_j for every sentence i, in time linear in the vectors' size.
function similaritiesTo(vectors: readonly Vector[], x: readonly number[]): number[] {
  const weighted: Vector = new Map();
  vectors.forEach((vector, index) => {
    const factor = x[index] ?? 0;
    if (factor === 0) return;
    for (const [term, weight] of vector) weighted.set(term, (weighted.get(term) ?? 0) + factor * weight);
  });
  return vectors.map((vector, index) => {
    if (vector.size === 0) return 0;
    return Math.max(0, cosine(vector, weighted) - (x[index] ?? 0));
  });
}

function cosine(a: Vector, b: Vector): number {
  let dot = 0;
  for (const [term, weight] of a) dot += weight * (b.get(term) ?? 0);
  return dot;
}
