import { createHash } from 'node:crypto';
import { readdirSync, statSync, type Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './children.js';
import { round } from './load.js';

/** What the run ran on and at: the machine, the git commit, and a fingerprint of the code (to tell a run whose code changed midway). */

export function machineInfo() {
  const list = cpus();
  let autocannon = 'unknown';
  try {
    autocannon = execFileSync(process.execPath, ['-p', 'require("autocannon/package.json").version'], { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    // stays unknown
  }
  return {
    cores: list.length,
    cpu: list[0]?.model.trim() ?? 'unknown',
    memoryGiB: round(totalmem() / 2 ** 30, 1),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    autocannon,
  };
}

/**
 * A fingerprint of the code under test (path, size and mtime of every file in src/, seeds/, bin/):
 * taken at the start and the end of a run, it tells whether the code changed while the run went on
 * (someone editing the tree: the figures would mix versions).
 */
export function codeFingerprint(): string {
  const parts: string[] = [];
  const walk = (dir: string) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else {
        const info = statSync(path);
        parts.push(`${path}:${info.size}:${info.mtimeMs}`);
      }
    }
  };
  for (const dir of ['src', 'seeds', 'bin']) walk(join(ROOT, dir));
  return createHash('sha1').update(parts.join('\n')).digest('hex');
}

export function gitInfo(): { commit: string; dirtySrc: boolean | null } {
  // A copy of the tree without .git (e.g. `git archive`) may say what it is.
  if (process.env.KAPTURE_BENCH_GIT) return { commit: process.env.KAPTURE_BENCH_GIT, dirtySrc: false };
  try {
    const git = (args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const commit = git(['rev-parse', '--short', 'HEAD']);
    const dirty = git(['status', '--porcelain', '--', 'src', 'seeds', 'bin']) !== '';
    return { commit, dirtySrc: dirty };
  } catch {
    return { commit: 'unknown', dirtySrc: null };
  }
}

/** Bytes of the files directly in a directory (the store's file and whatever it keeps beside it). */
export async function dirSize(dir: string): Promise<number> {
  let total = 0;
  for (const name of await readdir(dir)) total += (await stat(join(dir, name))).size;
  return total;
}
