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
  const scores = pageRank(similarityGraph(vectors));
  const order = scores.map((score, index) => ({ score, index })).sort((a, b) => b.score - a.score || a.index - b.index);
  const picked: number[] = [];
  for (const { index } of order) {
    if (picked.length >= maxSentences) break;
    const vector = vectors[index];
    if (!vector || vector.size === 0) continue;
    if (picked.some((other) => cosine(vector, vectors[other] ?? new Map()) > REDUNDANT_SIMILARITY)) continue;
    picked.push(index);
  }
  const top = Math.max(...scores, Number.MIN_VALUE);
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

// Weighted edges as adjacency lists, built through an inverted index so unrelated pairs cost nothing.
function similarityGraph(vectors: readonly Vector[]): Map<number, number>[] {
  const postings = new Map<string, [number, number][]>();
  vectors.forEach((vector, index) => {
    for (const [term, weight] of vector) {
      const list = postings.get(term) ?? [];
      list.push([index, weight]);
      postings.set(term, list);
    }
  });
  const edges = vectors.map(() => new Map<number, number>());
  vectors.forEach((vector, index) => {
    const row = edges[index];
    if (!row) return;
    for (const [term, weight] of vector) {
      for (const [other, otherWeight] of postings.get(term) ?? []) {
        if (other !== index) row.set(other, (row.get(other) ?? 0) + weight * otherWeight);
      }
    }
  });
  return edges;
}

function pageRank(edges: readonly Map<number, number>[]): number[] {
  const size = edges.length;
  if (size === 0) return [];
  const prior = edges.map((_, index) => 1 / Math.sqrt(index + 1));
  const priorSum = prior.reduce((sum, value) => sum + value, 0);
  const jump = prior.map((value) => value / priorSum);
  const outWeight = edges.map((row) => [...row.values()].reduce((sum, value) => sum + value, 0));
  let rank = [...jump];
  for (let iteration = 0; iteration < ITERATIONS; iteration += 1) {
    const next = jump.map((value) => (1 - DAMPING) * value);
    let dangling = 0;
    edges.forEach((row, from) => {
      const weight = outWeight[from] ?? 0;
      const share = rank[from] ?? 0;
      if (weight === 0) dangling += share;
      else for (const [to, similarity] of row) next[to] = (next[to] ?? 0) + (DAMPING * share * similarity) / weight;
    });
    // Rank held by sentences with no neighbours jumps like a random surfer, by the prior.
    for (let index = 0; index < size; index += 1) next[index] = (next[index] ?? 0) + DAMPING * dangling * (jump[index] ?? 0);
    const change = next.reduce((sum, value, index) => sum + Math.abs(value - (rank[index] ?? 0)), 0);
    rank = next;
    if (change < CONVERGED) break;
  }
  return rank;
}

function cosine(a: Vector, b: Vector): number {
  let dot = 0;
  for (const [term, weight] of a) dot += weight * (b.get(term) ?? 0);
  return dot;
}
