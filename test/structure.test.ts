import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The engine runs whatever suite it is handed (src/ never imports contracts/), and no module of
// src/, contracts/ or bench/ imports itself through others (type-only imports included: they are
// how a cycle starts). The benchmark's modules also stay small enough to read in one sitting.
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    return /\.ts$/.test(name) && !/\.test\.ts$/.test(name) ? [path] : [];
  });
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+'(\.{1,2}\/[^']+)'/g), ...text.matchAll(/import\('(\.{1,2}\/[^']+)'\)/g)];
  return found.map((m) => resolve(dirname(file), m[1]!.replace(/\.js$/, '.ts')));
}

function cyclesIn(all: string[]): string[] {
  const graph = new Map(all.map((file) => [file, imports(file).filter((target) => all.includes(target))]));
  const cycles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const visit = (file: string, path: string[]) => {
    if (state.get(file) === 'done') return;
    if (state.get(file) === 'open') {
      cycles.push([...path.slice(path.indexOf(file)), file].map((f) => relative(ROOT, f)).join(' -> '));
      return;
    }
    state.set(file, 'open');
    for (const target of graph.get(file) ?? []) visit(target, [...path, file]);
    state.set(file, 'done');
  };
  for (const file of all) visit(file, []);
  return cycles;
}

const all = [...files(join(ROOT, 'src')), ...files(join(ROOT, 'contracts'))];
const bench = files(join(ROOT, 'bench'));

describe('the structure of the code', () => {
  it('src/ imports nothing from contracts/', () => {
    const offenders = all
      .filter((file) => file.startsWith(join(ROOT, 'src')))
      .flatMap((file) => imports(file).filter((target) => target.startsWith(join(ROOT, 'contracts'))).map((target) => `${relative(ROOT, file)} -> ${relative(ROOT, target)}`));
    expect(offenders).toEqual([]);
  });

  it('has no import cycle in src/ and contracts/', () => {
    expect(cyclesIn(all)).toEqual([]);
  });

  it('has no import cycle in bench/, and every bench module is under 300 lines', () => {
    expect(cyclesIn(bench)).toEqual([]);
    const long = bench.map((file) => [relative(ROOT, file), readFileSync(file, 'utf8').trimEnd().split('\n').length] as const).filter(([, lines]) => lines >= 300);
    expect(long).toEqual([]);
  });
});
