/**
 * What every benchmark result records about where it ran: machine, Node, commit.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createReadStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, platform, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export function gitState(root: string): { commit: string | null; dirty: boolean | null; dirtyFiles: string[] } {
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
    const status = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: root, encoding: 'utf8' });
    const dirtyFiles = status.split('\n').filter((l) => l.trim() !== '').map((l) => l.slice(3));
    return { commit, dirty: dirtyFiles.length > 0, dirtyFiles };
  } catch {
    return { commit: null, dirty: null, dirtyFiles: [] };
  }
}

export function machineInfo(root: string) {
  const cpuList = cpus();
  return {
    cpu: cpuList[0]?.model ?? 'unknown',
    cores: cpuList.length,
    availableParallelism: availableParallelism(),
    memoryBytes: totalmem(),
    os: `${platform()} ${release()}`,
    node: process.version,
    ...gitState(root),
  };
}

/** Writes bench/results/<name>-<timestamp>.json and returns its path. */
export function writeResult(root: string, name: string, data: unknown): string {
  const dir = join(root, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(data, null, 2) + '\n');
  return file;
}

export function positiveInt(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer`);
  return n;
}

/** Microseconds in which some runnable task waited for a CPU since boot (Linux PSI), or null: to flag a busy machine. */
export function cpuPressureMicros(): number | null {
  try {
    const match = /^some .*total=(\d+)/m.exec(readFileSync('/proc/pressure/cpu', 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/**
 * The environment the `smallworld` command sets for itself on its #! line (`env -S VAR=value node`):
 * benchmarks run smallworld's own child processes with it, as users run the command, and peers
 * (the csv-parse floor, graph-tool...) without it.
 */
export function binEnv(root: string): NodeJS.ProcessEnv {
  const first = readFileSync(join(root, 'dist/src/app/cli.js'), 'utf8').split('\n', 1)[0];
  const m = /^#!\/usr\/bin\/env -S (.*) node$/.exec(first);
  const extra: Record<string, string> = {};
  for (const pair of m ? m[1].split(/\s+/) : []) {
    const at = pair.indexOf('=');
    if (at > 0) extra[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return { ...process.env, ...extra };
}

/** Runs `node args...` in `root` and returns what it printed on stdout; rejects naming `what` when it fails. */
export function runChild(root: string, args: string[], env: NodeJS.ProcessEnv = process.env, what = `node ${args.join(' ')}`): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => (code === 0 ? resolvePromise(Buffer.concat(chunks).toString('utf8')) : reject(new Error(`${what} failed (${signal ?? `exit ${code}`})`))));
  });
}

/** Runs `node args...` in `root` and returns its stdout's last line, parsed as JSON. */
export async function runJsonChild<T>(root: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<T> {
  const lines = (await runChild(root, args, env)).trim().split('\n');
  try {
    return JSON.parse(lines[lines.length - 1]) as T;
  } catch {
    throw new Error(`node ${args.join(' ')} printed no JSON line`);
  }
}

/** Reads a file once so that the timed runs find it in the page cache. */
export async function warmFile(file: string): Promise<void> {
  await pipeline(createReadStream(file, { highWaterMark: 8 << 20 }), new Writable({ write: (_chunk, _encoding, done) => done() }));
}
