/**
 * Piscina worker for the loader's string mode (src/io/intern-scan.ts): records
 * the endpoint tokens of one range of a block, or interns one shard's tokens
 * into its table. Blocks, token lists, tables and the pairs out are all in
 * SharedArrayBuffers: nothing is copied either way.
 */
import { internTask, renumberTask, spreadTask, tokenTask, type InternResult, type InternTask, type RenumberTask, type SpreadTask, type TokenResult, type TokenTask } from '../src/io/intern-scan.js';

export default function internWorker(task: TokenTask | InternTask | RenumberTask | SpreadTask): TokenResult | InternResult | number {
  if (task.kind === 'tokens') return tokenTask(task);
  if (task.kind === 'intern') return internTask(task);
  if (task.kind === 'spread') return spreadTask(task);
  return renumberTask(task);
}
