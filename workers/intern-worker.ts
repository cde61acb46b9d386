/**
 * Piscina worker for the loader's string mode (src/io/intern-scan.ts): records
 * the endpoint tokens of one range of a block, or interns one shard's tokens
 * into its table. Blocks, token lists, tables and the pairs out are all in
 * SharedArrayBuffers: nothing is copied either way.
 */
import { internTask, tokenTask, type InternResult, type InternTask, type TokenResult, type TokenTask } from '../src/io/intern-scan.js';

export default function internWorker(task: TokenTask | InternTask): TokenResult | InternResult {
  return task.kind === 'tokens' ? tokenTask(task) : internTask(task);
}
