/**
 * Piscina worker for the loader's string mode (src/io/intern-scan.ts): records
 * the endpoint tokens of one range of a block, interns one shard's tokens into
 * its table, rewrites a slice of pairs to node indices, or spreads one shard's
 * id bytes into node order. Blocks, token lists, tables and pairs are all in
 * SharedArrayBuffers: nothing is copied either way.
 *
 * A shared buffer's memory is freed only when every thread's heap has let go of
 * it. This worker's heap barely allocates, so it would keep the arrays a table
 * grew out of (and the hash slots the main thread drops before renumbering)
 * for the whole load: hundreds of MB at 20M ids. Hence a full GC of this small
 * heap after a table grew, and once before renumbering.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  internTask,
  renumberTask,
  spreadTask,
  tokenTask,
  type InternResult,
  type InternTask,
  type RenumberTask,
  type SpreadTask,
  type TokenResult,
  type TokenTask,
} from '../src/io/intern-scan.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
/** A table grew in the last intern task: its old arrays are garbage here. */
let grew = false;
/** An intern task ran since the last GC: its table's arrays are referenced here until collected. */
let interned = false;

export default function internWorker(task: TokenTask | InternTask | RenumberTask | SpreadTask): TokenResult | InternResult | number {
  if (grew || (interned && (task.kind === 'renumber' || task.kind === 'spread'))) {
    gc();
    grew = false;
    interned = false;
  }
  if (task.kind === 'tokens') return tokenTask(task);
  if (task.kind === 'intern') {
    const out = internTask(task);
    interned = true;
    grew = out.state.slots !== task.state.slots || out.state.ends !== task.state.ends || out.state.arena !== task.state.arena;
    return out;
  }
  if (task.kind === 'spread') return spreadTask(task);
  return renumberTask(task);
}
