/**
 * `smallworld milgram FILE`: Milgram's chain-letter experiment (Travers &
 * Milgram 1969), and the Columbia e-mail version with drop-outs (Dodds, Muhamad
 * & Watts 2003), replayed on a graph.
 *
 * Rules, for a letter from a starter s to a target t (steps = hops so far):
 *   1. a chain still going after --max-steps steps is given up ("too long");
 *   2. the holder drops the letter with probability --attrition P ("dropped"),
 *      so a chain of L steps survives all its L hand-overs with probability (1 − P)^L;
 *   3. a holder who knows the target (an arc holder → t) hands it over: done;
 *   4. otherwise the holder forwards it to one friend (out-neighbour) who has
 *      not held it yet; if every friend has, the chain dies ("dead end").
 *      Which friend (--strategy), using only what the holder can see — their
 *      friends and their friends' friend lists, and who knows the target:
 *        common: a friend who knows the target, when there is one (the holder
 *                sees the target in that friend's list); else the friend with
 *                the most friends who know the target, the largest
 *                |N(f) ∩ N⁻(t)| (N⁻(t): people with an arc to t; t's friends
 *                when undirected) — among several who know the target, also
 *                the one with the largest |N(f) ∩ N⁻(t)|;
 *        degree: the friend with the most friends (out-degree);
 *        random: any friend, uniformly.
 *      Ties (and "common" when no friend's friend knows the target) are broken
 *      by a seeded random choice among the best.
 * Every chain has its own random stream (the seed and the pair's number), so
 * the same seed replays the same chains.
 *
 * Attrition correction (Dodds et al. 2003): a completed chain of length L
 * stands for 1 / (1 − P)^L chains that would have completed without drop-outs,
 * so the corrected mean and median weight each completed chain by that.
 */
import type { Csr } from '../graph/csr.js';
import { mulberry32 } from '../stats/random.js';

export const MILGRAM_STRATEGIES = ['common', 'degree', 'random'] as const;
export type MilgramStrategy = (typeof MILGRAM_STRATEGIES)[number];

/** Ranks a friend who knows the target above every friend who does not (more than any count of common friends). */
const TARGET_IN_VIEW = 2 ** 32;

export type ChainOutcome = 'completed' | 'dropped' | 'dead end' | 'too long';

export interface ChainResult {
  from: number;
  to: number;
  outcome: ChainOutcome;
  /** Hand-overs made (the length of the chain when completed). */
  steps: number;
  /** The true shortest distance; null when t cannot be reached from s. */
  shortest: number | null;
}


/** Hops from a to b along the arcs (BFS from b against them, stopping at a); null when unreachable. */
export function hopsBetween(back: Csr, a: number, b: number, dist: Int32Array, queue: Uint32Array): number | null {
  if (a === b) return 0;
  dist.fill(-1);
  dist[b] = 0;
  queue[0] = b;
  let tail = 1;
  for (let head = 0; head < tail; head++) {
    const u = queue[head];
    for (let j = back.offsets[u]; j < back.offsets[u + 1]; j++) {
      const v = back.neighbours[j];
      if (dist[v] < 0) {
        dist[v] = dist[u] + 1;
        if (v === a) return dist[v];
        queue[tail++] = v;
      }
    }
  }
  return null;
}

/** One chain from s to t under the rules above. `knowsTarget` and `held` are scratch (all zero on entry and exit). */
export function runChain(
  csr: Csr,
  back: Csr,
  s: number,
  t: number,
  strategy: MilgramStrategy,
  attrition: number,
  maxSteps: number,
  rand: () => number,
  knowsTarget: Uint8Array,
  held: Uint8Array,
): { outcome: ChainOutcome; steps: number } {
  const { offsets, neighbours } = csr;
  for (let j = back.offsets[t]; j < back.offsets[t + 1]; j++) knowsTarget[back.neighbours[j]] = 1;
  const touched: number[] = [s];
  held[s] = 1;
  let holder = s;
  let steps = 0;
  let outcome: ChainOutcome;
  const best: number[] = [];
  for (;;) {
    if (holder === t) {
      outcome = 'completed';
      break;
    }
    if (steps >= maxSteps) {
      outcome = 'too long';
      break;
    }
    if (attrition > 0 && rand() < attrition) {
      outcome = 'dropped';
      break;
    }
    if (knowsTarget[holder]) {
      holder = t;
      steps++;
      continue;
    }
    best.length = 0;
    let bestScore = -1;
    for (let j = offsets[holder]; j < offsets[holder + 1]; j++) {
      const f = neighbours[j];
      if (held[f]) continue;
      let score = 0;
      if (strategy === 'common') {
        for (let k = offsets[f]; k < offsets[f + 1]; k++) score += knowsTarget[neighbours[k]];
        if (knowsTarget[f]) score += TARGET_IN_VIEW; // the holder sees the target in this friend's list
      } else if (strategy === 'degree') {
        score = offsets[f + 1] - offsets[f];
      }
      if (score > bestScore) {
        bestScore = score;
        best.length = 0;
      }
      if (score === bestScore) best.push(f);
    }
    if (best.length === 0) {
      outcome = 'dead end';
      break;
    }
    const next = best.length === 1 ? best[0] : best[Math.min(best.length - 1, Math.floor(rand() * best.length))];
    held[next] = 1;
    touched.push(next);
    holder = next;
    steps++;
  }
  for (const v of touched) held[v] = 0;
  for (let j = back.offsets[t]; j < back.offsets[t + 1]; j++) knowsTarget[back.neighbours[j]] = 0;
  return { outcome, steps };
}

/** The chain's own random stream: the seed and the pair's number. */
export function chainRandom(seed: number, i: number): () => number {
  return mulberry32((seed ^ Math.imul(i + 1, 0x9e3779b9)) >>> 0);
}
