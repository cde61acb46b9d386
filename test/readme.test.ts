/**
 * Issue 10: the README's examples run as written. Every `npx smallworld` line in
 * a sh block of README.md runs (as the built CLI, from the project root, in file
 * order so that a line may use a file an earlier line made); a trailing
 * `# exit N` says the exit code it must give, 0 otherwise.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { haveShared, ROOT, runCli } from './helpers.js';

/** The `npx smallworld` lines of README.md's sh blocks, with their expected exit codes. */
function readmeExamples(): Array<{ line: string; args: string[]; exit: number }> {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]);
  const examples: Array<{ line: string; args: string[]; exit: number }> = [];
  for (const block of blocks)
    for (const raw of block.split('\n')) {
      const line = raw.trim();
      if (!line.startsWith('npx smallworld')) continue;
      const [command, comment = ''] = line.split(/\s+#\s*/, 2);
      const exit = /^exit (\d)$/.exec(comment.trim());
      // The examples quote nothing, so splitting on spaces is how a shell reads them.
      examples.push({ line, args: command.split(/\s+/).slice(2), exit: exit ? Number(exit[1]) : 0 });
    }
  return examples;
}

describe('README examples', () => {
  const examples = readmeExamples();
  it('there are examples to run', () => {
    expect(examples.length).toBeGreaterThanOrEqual(15);
  });
  const shared = haveShared();
  for (const { line, args, exit } of examples) {
    const needsShared = args.some((a) => a.includes('../shared/'));
    it.skipIf(needsShared && !shared)(line, () => {
      const r = runCli([...args, ...(args.includes('--quiet') || args[0] === '--version' ? [] : ['--quiet'])]);
      expect(r.status, r.stderr).toBe(exit);
      if (exit === 0) expect(r.stdout.length).toBeGreaterThan(0);
      else expect(r.stderr).toMatch(/^smallworld: /);
    });
  }
});
