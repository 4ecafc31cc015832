import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { link, readFile, rename, unlink, writeFile } from 'node:fs/promises';

/** Who holds a store: written once, whole, into `<store>.lock`. */
type Holder = { pid: number; token: string; since: string; startTicks?: string | undefined };

export type StoreLock = { release(): Promise<void> };

/** Locks this process holds, so that one process opening a store twice is refused as well. */
const held = new Set<string>();

/**
 * Takes the store's lock, `<file>.lock`, or throws naming the process that holds it: two sandboxes
 * on one store would each keep their own state and overwrite the other's (acknowledged data lost).
 * A lock whose process is gone (`kill -9`) is taken over. A pid can be reused by an unrelated
 * process after a crash (containers restart their pids from 1), so the lock also records the
 * process's start time where the system tells it (Linux `/proc`): a live pid that started at
 * another time does not hold the lock.
 */
export async function lockStore(file: string): Promise<StoreLock> {
  const path = `${file}.lock`;
  if (held.has(path)) throw new Error(`${file} is already open in this process: close that sandbox first, or pass another db`);
  const me: Holder = { pid: process.pid, token: randomUUID(), since: new Date().toISOString(), startTicks: startTicks(process.pid) };
  const draft = `${path}.${me.token}.tmp`;
  await writeFile(draft, `${JSON.stringify(me)}\n`);
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      // link() fails if the lock exists, and the lock appears complete or not at all.
      if (await tryLink(draft, path)) {
        held.add(path);
        return { release: () => release(path, me.token) };
      }
      const holder = await readHolder(path);
      if (holder === 'gone') continue;
      if (holder !== 'unreadable' && isAlive(holder)) {
        throw new Error(
          `${file} is in use by another sandbox (pid ${holder.pid}, started ${holder.since}): two sandboxes on one store lose each other's writes. ` +
            `Stop that one (Ctrl-C in its terminal, or kill ${holder.pid}), or pass another --db (or --in-memory)`,
        );
      }
      await takeOver(path, holder === 'unreadable' ? undefined : holder.token);
    }
    throw new Error(`cannot take the lock ${path}: other processes keep taking it. Try again, or pass another --db`);
  } finally {
    await unlink(draft).catch(() => undefined);
  }
}

/**
 * Moves a dead holder's lock aside. Of two processes taking over at once, only one rename
 * succeeds; if what was moved is not the lock judged dead (another process took it over in
 * between), it is put back and the caller looks again.
 */
async function takeOver(path: string, staleToken: string | undefined): Promise<void> {
  const aside = `${path}.${randomUUID()}.stale`;
  try {
    await rename(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const moved = await readHolder(aside);
  if (moved !== 'gone' && moved !== 'unreadable' && moved.token !== staleToken) await tryLink(aside, path);
  await unlink(aside).catch(() => undefined);
}

async function release(path: string, token: string): Promise<void> {
  held.delete(path);
  const holder = await readHolder(path);
  // Never remove a lock another process has taken over since.
  if (holder !== 'gone' && holder !== 'unreadable' && holder.token === token) await unlink(path).catch(() => undefined);
}

async function tryLink(from: string, to: string): Promise<boolean> {
  try {
    await link(from, to);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

async function readHolder(path: string): Promise<Holder | 'gone' | 'unreadable'> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw error;
  }
  try {
    const holder = JSON.parse(text) as Partial<Holder>;
    if (typeof holder.pid === 'number' && typeof holder.token === 'string') return holder as Holder;
  } catch {
    // Not ours, or damaged: no live process can be named from it.
  }
  return 'unreadable';
}

function isAlive(holder: Holder): boolean {
  const ticks = startTicks(holder.pid);
  if (holder.pid === process.pid) {
    // Our own pid: this process (another worker thread) if it started when this one did, else a
    // previous process that had our pid; where the start time is unknown, the latter.
    return ticks !== undefined && ticks === holder.startTicks;
  }
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  return holder.startTicks === undefined || ticks === undefined || ticks === holder.startTicks;
}

/** The process's start time in clock ticks since boot (field 22 of /proc/PID/stat), where there is a /proc. */
function startTicks(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}
