// `npm run build` (run by `prepare` and `prepack`): compiles src/, seeds/ and contracts/ to dist/
// (JavaScript and .d.ts), then copies the data files the compiled code reads at run time to where
// it looks for them: dist/src/spec.js reads ../openapi/, dist/src/control/ serves ../console/, and
// dist/src/version.js reads ../package.json (which also tells Node that dist/ holds ES modules).
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const root = new URL('../', import.meta.url);
const at = (path) => new URL(path, root);

rmSync(at('dist'), { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const compiled = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
if (compiled.status !== 0) {
  console.error('build: tsc failed (above); dist/ is incomplete');
  process.exit(1);
}
cpSync(at('openapi'), at('dist/openapi'), { recursive: true });
cpSync(at('src/console'), at('dist/src/console'), { recursive: true });
const { version } = JSON.parse(readFileSync(at('package.json'), 'utf8'));
writeFileSync(at('dist/package.json'), `${JSON.stringify({ private: true, type: 'module', version }, null, 2)}\n`);
