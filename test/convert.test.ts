import { describe, expect, it } from 'vitest';
import { existsSync, lstatSync, mkdirSync, readdirSync, symlinkSync, writeFileSync, readFileSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { CLI, ROOT, runCli, tempFile } from './helpers.js';

const sample = join(ROOT, 'data/sample-social.tsv');

describe('smallworld convert and .swg input', () => {
  it('an .swg gives the same estimate as its edge list, wherever an edge list is accepted', () => {
    const out = tempFile('sample.swg', '');
    const c = runCli(['convert', sample, out, '--quiet', '--force']);
    expect(c.status).toBe(0);
    expect(c.stdout).toMatch(/20000 nodes, 79990 edges/);
    expect(readdirSync(dirname(out)).filter((f) => f.includes('.tmp-'))).toEqual([]);
    const args = ['--samples', '40', '--json', '--threads', '2'];
    const fromText = JSON.parse(runCli(['estimate', sample, ...args]).stdout);
    const fromSwg = JSON.parse(runCli(['estimate', out, ...args]).stdout);
    for (const key of ['meanDistance', 'meanDistanceCi95', 'distanceHistogram', 'nodes', 'edges', 'selfLoops', 'duplicateEdges', 'edgeLines'])
      expect(fromSwg[key], key).toEqual(fromText[key]);
  });

  it('is decided by content, not by name, and refuses a direction mismatch', () => {
    const out = tempFile('looks-like-text.txt', '');
    expect(runCli(['convert', sample, out, '--quiet', '--directed', '--force']).status).toBe(0);
    const r = runCli(['estimate', out, '--samples', '5', '--json', '--directed']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).directed).toBe(true);
    const wrong = runCli(['estimate', out, '--samples', '5']);
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toMatch(/converted as directed/);
  });

  it('refuses a damaged file with one line', () => {
    const out = tempFile('damaged.swg', '');
    runCli(['convert', sample, out, '--quiet', '--force']);
    const bytes = readFileSync(out);
    writeFileSync(out, bytes.subarray(0, bytes.length - 1000));
    const r = runCli(['estimate', out]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^smallworld: ${out}: truncated .swg file`));
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(out)).toBe(true);
  });
});

/** One line on stderr, exit 1, the target named first. */
function expectRefused(r: { status: number | null; stdout: string; stderr: string }, target: string, reason: RegExp): void {
  expect(r.status, r.stderr).toBe(1);
  expect(r.stdout).toBe('');
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr.startsWith(`smallworld: ${target}: `), r.stderr).toBe(true);
  expect(r.stderr.trim()).toMatch(reason);
}

describe('convert writes only regular files (issue #10)', () => {
  const dir = dirname(tempFile('anchor', ''));

  it('convert: refuses a device, before loading the input, and leaves it alone', () => {
    if (!existsSync('/dev/full')) return;
    const before = lstatSync('/dev/full');
    // A missing input would fail the load: the target is checked first.
    const r = runCli(['convert', join(dir, 'no-such-input.tsv'), '/dev/full', '--quiet', '--force']);
    expectRefused(r, '/dev/full', /is a character device, not a regular file: convert writes only regular files$/);
    const after = lstatSync('/dev/full');
    expect(after.isCharacterDevice()).toBe(true);
    expect(after.rdev).toBe(before.rdev);
  });

  it('convert: refuses a directory, a missing directory, a FIFO and a symbolic link with one line', () => {
    const sub = join(dir, 'a-dir');
    mkdirSync(sub, { recursive: true });
    expectRefused(runCli(['convert', sample, sub, '--quiet', '--force']), sub, /is a directory, not a regular file/);
    const missing = join(dir, 'no-such-dir', 'out.swg');
    expectRefused(runCli(['convert', sample, missing, '--quiet']), missing, /cannot be written: directory .*no-such-dir does not exist$/);
    const notDir = join(tempFile('plain-file', 'x'), 'out.swg');
    expectRefused(runCli(['convert', sample, notDir, '--quiet']), notDir, /cannot be written: a part of the path is not a directory$/);
    const link = join(dir, 'link.swg');
    if (!existsSync(link)) symlinkSync(tempFile('link-target.swg', 'keep me'), link);
    expectRefused(runCli(['convert', sample, link, '--quiet', '--force']), link, /is a symbolic link, not a regular file/);
    expect(readFileSync(link, 'utf8')).toBe('keep me');
    const fifo = join(dir, 'fifo');
    if (spawnSync('mkfifo', [fifo]).status === 0)
      expectRefused(runCli(['convert', sample, fifo, '--quiet', '--force']), fifo, /is a FIFO, not a regular file/);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('convert: an existing file is replaced only with --force', () => {
    const out = tempFile('existing.swg', 'old content');
    expectRefused(runCli(['convert', sample, out, '--quiet']), out, /already exists \(use --force to replace it\)$/);
    expect(readFileSync(out, 'utf8')).toBe('old content');
    const r = runCli(['convert', sample, out, '--quiet', '--force']);
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(out).subarray(0, 8).toString()).toBe('SMALLWLD');
    expect(readdirSync(dirname(out)).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('convert: SIGINT and SIGTERM while writing remove the temporary file', async () => {
    // A graph big enough that the write takes a moment: 400k edges.
    const lines: string[] = [];
    for (let i = 0; i < 400_000; i++) lines.push(`${i}\t${(i * 7919 + 13) % 200_003}`);
    const input = tempFile('signal-input.tsv', lines.join('\n') + '\n');
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      const sub = join(dir, `signal-${signal}`);
      mkdirSync(sub, { recursive: true });
      const out = join(sub, 'out.swg');
      const child = spawn(process.execPath, [CLI, 'convert', input, out, '--quiet'], { stdio: 'ignore' });
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child.on('exit', (code, sig) => resolve({ code, signal: sig })),
      );
      let sent = false;
      for (let k = 0; k < 20_000 && !sent && child.exitCode === null; k++) {
        if (readdirSync(sub).some((f) => f.includes('.tmp-'))) {
          child.kill(signal);
          sent = true;
        } else await new Promise((r) => setTimeout(r, 1));
      }
      const end = await exited;
      if (!sent) {
        // The write was too quick to catch on this machine: nothing to test, but it must have finished cleanly.
        console.warn(`convert finished before ${signal} could be sent`);
        expect(end.code).toBe(0);
        continue;
      }
      // Killed by the signal, or finished just before it arrived: either way no temporary file is left.
      expect(readdirSync(sub).filter((f) => f.includes('.tmp-'))).toEqual([]);
      if (end.signal === signal) expect(existsSync(out)).toBe(false);
    }
  });
});
