import { open, readdir, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Counters, CustomerRecord, KeyRecord, StoreData } from '../records.js';

/** A change: full records, so replaying one twice changes nothing. */
export type LogRecord = { put: CustomerRecord } | { keys: KeyRecord[] } | { counters: Counters };

/** One line of the change log: everything one commit (one request) changed, applied whole or not at all. */
export type LogLine = { commit: LogRecord[] };

export function logFile(store: string, generation: number): string {
  return `${store}.log.${generation}`;
}

/** The generations of the log files beside the store, oldest first. */
export async function logGenerations(store: string): Promise<number[]> {
  const prefix = `${basename(store)}.log.`;
  const names = await readdir(dirname(store));
  return names
    .filter((name) => name.startsWith(prefix) && /^\d+$/.test(name.slice(prefix.length)))
    .map((name) => Number(name.slice(prefix.length)))
    .sort((a, b) => a - b);
}

/**
 * Brings a snapshot up to date: deletes logs the snapshot already holds, replays the others in
 * order. A last line cut short by a crash (its commit was never acknowledged) is dropped whole
 * and cut off the file, so later appends start on a clean line. Answers the generation to append to next.
 */
export async function replayLogs(store: string, data: StoreData): Promise<number> {
  const snapshotGeneration = data.generation ?? 1;
  const generations = await logGenerations(store);
  const index = new Map(data.customers.map((customer, position) => [customer.id, position]));
  let current = snapshotGeneration;
  for (const generation of generations) {
    const file = logFile(store, generation);
    if (generation < snapshotGeneration) {
      await rm(file, { force: true });
      continue;
    }
    current = generation;
    const isLast = generation === generations[generations.length - 1];
    await replayFile(file, isLast, (line) => {
      for (const record of line.commit) apply(data, index, record);
    });
  }
  const maxId = data.customers.reduce((max, c) => Math.max(max, c.id), 0);
  const maxContact = data.customers.reduce((max, c) => c.contacts.reduce((m, k) => Math.max(m, k.id), max), 0);
  data.counters.customerId = Math.max(data.counters.customerId, maxId + 1);
  data.counters.contactId = Math.max(data.counters.contactId, maxContact + 1);
  return current;
}

async function replayFile(file: string, isLast: boolean, onLine: (line: LogLine) => void): Promise<void> {
  const handle = await open(file, 'r+');
  try {
    const text = (await handle.readFile()).toString('utf8');
    const end = text.lastIndexOf('\n') + 1;
    if (end < text.length) {
      if (!isLast) throw new Error(`${file} ends in the middle of a line, yet a newer log follows it: the store is damaged`);
      await handle.truncate(Buffer.byteLength(text.slice(0, end)));
    }
    const lines = text.slice(0, end).split('\n');
    lines.pop();
    lines.forEach((text, number) => {
      let line: LogLine;
      try {
        line = JSON.parse(text) as LogLine;
        if (!Array.isArray(line.commit)) throw new Error('no "commit" list');
      } catch (error) {
        throw new Error(`${file} line ${number + 1} is not a change record (${(error as Error).message}): the store is damaged`);
      }
      onLine(line);
    });
  } finally {
    await handle.close();
  }
}

function apply(data: StoreData, index: Map<number, number>, record: LogRecord): void {
  if ('put' in record) {
    const position = index.get(record.put.id);
    if (position === undefined) {
      index.set(record.put.id, data.customers.length);
      data.customers.push(record.put);
    } else {
      data.customers[position] = record.put;
    }
  } else if ('keys' in record) {
    data.keys = record.keys;
  } else if ('counters' in record) {
    data.counters.customerId = Math.max(data.counters.customerId, record.counters.customerId);
    data.counters.contactId = Math.max(data.counters.contactId, record.counters.contactId);
  }
}

/** For tests and tools: the log files of a store, with their full paths. */
export async function logFiles(store: string): Promise<string[]> {
  return (await logGenerations(store)).map((generation) => join(dirname(store), `${basename(store)}.log.${generation}`));
}
