import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The package as a user gets it: `npm pack` (which builds dist/ through `prepare`), then the
// tarball installed into fresh projects of each kind, with nothing of this repository on their
// path but the tarball (the TypeScript compiler is the repository's: it is the user's own tool).
// An install that the README's examples do not survive used to be found only by users: a CommonJS
// project could not require() the package, and the user's tsc checked our sources with its flags.

const run = promisify(execFile);
// Under `npm test`, npm's own settings for this repository are in the environment (npm_config_local_prefix
// names it): the npm runs below must see only the user's.
const NPM_ENV = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const block = (lang: string, marker: string) => [...README.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]!).find((code) => code.includes(marker))!;
const ESM_EXAMPLE = block('ts', "from 'kapture-sandbox'");
const CJS_EXAMPLE = block('js', "require('kapture-sandbox')");
/** The user's strict settings: the package's declarations must pass them, skipLibCheck off. */
const STRICT = { strict: true, noPropertyAccessFromIndexSignature: true, target: 'ES2020', skipLibCheck: false, types: ['node'], outDir: 'out' };

let temp: string;
let tarball: string;
let files: string[];

async function project(name: string, type: 'module' | 'commonjs', typescript: boolean): Promise<string> {
  const dir = join(temp, name);
  await mkdir(dir);
  await run('npm', ['init', '-y'], { cwd: dir, env: NPM_ENV });
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  await writeFile(join(dir, 'package.json'), JSON.stringify({ ...manifest, type }, null, 2));
  // The npm cache holds every dependency already (the repository's own install): no download.
  const packages = [tarball, ...(typescript ? ['@types/node@^20'] : [])];
  await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--save-dev', ...packages], { cwd: dir, env: NPM_ENV, timeout: 90_000 });
  return dir;
}

async function tsc(dir: string, compilerOptions: object): Promise<void> {
  await writeFile(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['*.ts'] }, null, 2));
  const checked = await run(process.execPath, [TSC, '-p', dir], { cwd: dir, timeout: 60_000 }).catch((error: { stdout: string }) => error);
  expect(checked.stdout, 'tsc errors').toBe('');
}

const node = async (dir: string, args: string[]) => (await run(process.execPath, args, { cwd: dir, timeout: 30_000 })).stdout.trim();

beforeAll(async () => {
  temp = await mkdtemp(join(tmpdir(), 'kapture-package-'));
  const { stdout } = await run('npm', ['pack', '--silent', '--pack-destination', temp], { cwd: ROOT, env: NPM_ENV, timeout: 120_000 });
  tarball = join(temp, stdout.trim().split('\n').pop()!);
  files = (await run('tar', ['-tzf', tarball])).stdout.trim().split('\n').map((f) => f.replace(/^package\//, ''));
}, 150_000);
afterAll(() => rm(temp, { recursive: true, force: true }));

describe('the packed package', () => {
  it('holds the runtime files only', () => {
    for (const file of ['package.json', 'README.md', 'bin/kapture-sandbox.js', 'lib/index.js', 'lib/index.cjs', 'lib/index.d.cts', 'dist/src/index.js', 'dist/src/index.d.ts', 'dist/src/cli.js', 'dist/contracts/index.js', 'dist/openapi/kapture-customer-api.yaml', 'dist/openapi/profiles/current.json', 'dist/src/console/index.html', 'dist/package.json']) {
      expect(files).toContain(file);
    }
    const out = files.filter((f) => /^(test|bench|\.ci|scripts|src|seeds|contracts|postman|docs|openapi)\//.test(f) || /\.test\.|(?<!\.d)\.ts$|tsconfig/.test(f));
    expect(out).toEqual([]);
  });

  it("the types a user's compiler reads name only the package's dependencies and node: modules", () => {
    // From the entries' types through every relative import: a package named there must be one an
    // install brings (a devDependency such as @types/express is not there for the user).
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    const installed = new Set(Object.keys(manifest.dependencies));
    const queue = [manifest.exports['.'].import.types, manifest.exports['.'].require.types].map((file: string) => join(ROOT, file));
    const seen = new Set<string>();
    const foreign: string[] = [];
    while (queue.length > 0) {
      const file = queue.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      expect(files, 'a types file the entries import is in the package').toContain(relative(ROOT, file));
      for (const [, name] of readFileSync(file, 'utf8').matchAll(/(?:from|import\()\s*'([^']+)'/g)) {
        if (name!.startsWith('.')) queue.push(join(dirname(file), name!.replace(/\.js$/, '.d.ts')));
        else if (!name!.startsWith('node:') && !installed.has(name!.split('/').slice(0, name!.startsWith('@') ? 2 : 1).join('/'))) foreign.push(`${relative(ROOT, file)}: ${name}`);
      }
    }
    expect(seen.size).toBeGreaterThan(2);
    expect(foreign).toEqual([]);
  });

  it('in a CommonJS project (npm init -y), require() works: the README\'s node:test file passes, and no tsx is there', async () => {
    const dir = await project('cjs', 'commonjs', false);
    expect(existsSync(join(dir, 'node_modules/tsx'))).toBe(false);
    await writeFile(join(dir, 'kapture.test.js'), CJS_EXAMPLE);
    const { stdout } = await run(process.execPath, ['--test', 'kapture.test.js'], { cwd: dir, timeout: 30_000 });
    expect(stdout).toMatch(/# pass 1\b/);
    expect(stdout).toMatch(/# fail 0\b/);
  }, 120_000);

  it('in an ES module project, the README example runs as written, and so do serve and contract', async () => {
    const dir = await project('esm', 'module', false);
    await writeFile(join(dir, 'example.js'), `${ESM_EXAMPLE}\nconsole.log(res.status, (await res.json()).message[0].id);\n`);
    expect(await node(dir, ['example.js'])).toBe('200 272930');
    expect(await node(dir, ['node_modules/.bin/kapture-sandbox', '--version'])).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
    await serveInstalled(dir);
    // The contract suite ships compiled too (dist/contracts/), and runs against a sandbox of its own.
    const contract = await node(dir, ['node_modules/.bin/kapture-sandbox', 'contract']);
    expect(contract).toMatch(/\d+ checks: \d+ passed, 0 failed/);
  }, 120_000);

  it('in a strict TypeScript ES module project, the README example typechecks (with keys.add seedCustomers) and runs', async () => {
    const dir = await project('ts-esm', 'module', true);
    const code = `${ESM_EXAMPLE.replace('await sandbox.close();', '')}
const body = (await res.json()) as { message: Array<{ id: number }> };
const key = await sandbox.keys.add({ key: 'qa-key', tenant: 777, seedCustomers: 3 });
const health = await sandbox.health();
await sandbox.close();
console.log(res.status, body.message[0]!.id, key.tenant, health.tenants.includes(777));
`;
    await writeFile(join(dir, 'example.ts'), code);
    await tsc(dir, { ...STRICT, module: 'nodenext', moduleResolution: 'nodenext' });
    expect(await node(dir, ['out/example.js'])).toBe('200 272930 777 true');
  }, 120_000);

  it('in a strict TypeScript CommonJS project, import { startSandbox } typechecks and runs', async () => {
    const dir = await project('ts-cjs', 'commonjs', true);
    const code = `import { startSandbox, type Sandbox } from 'kapture-sandbox';

async function main(): Promise<string> {
  const sandbox: Sandbox = await startSandbox({ port: 0, inMemory: true });
  try {
    const res = await fetch(\`\${sandbox.url}/search-customer-by-customer-id.html\`, {
      method: 'POST',
      headers: { Authorization: 'Basic sandbox-key', 'Content-Type': 'application/json' },
      body: JSON.stringify({ customer_id: '272930' }),
    });
    const body = (await res.json()) as { message: Array<{ id: number }> };
    await sandbox.keys.add({ key: 'qa-key', tenant: 777, seedCustomers: 3 });
    return \`\${res.status} \${body.message[0]!.id}\`;
  } finally {
    await sandbox.close();
  }
}
main().then(console.log);
`;
    await writeFile(join(dir, 'example.ts'), code);
    await tsc(dir, { ...STRICT, module: 'nodenext', moduleResolution: 'nodenext' });
    expect(await node(dir, ['out/example.js'])).toBe('200 272930');
    // Older settings (module commonjs, node10 resolution: no "exports") find the same types.
    await rm(join(dir, 'out'), { recursive: true });
    await tsc(dir, { ...STRICT, module: 'commonjs', moduleResolution: 'node10', esModuleInterop: true });
    expect(await node(dir, ['out/example.js'])).toBe('200 272930');
  }, 120_000);
});

/** `kapture-sandbox serve` from the installed package: the compiled CLI finds its spec and console files. */
async function serveInstalled(dir: string): Promise<void> {
  const child = spawn(process.execPath, ['node_modules/.bin/kapture-sandbox', 'serve', '--port', '0', '--in-memory'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk;
      const found = /listening on (http:\/\/\S+)/.exec(output)?.[1];
      if (found) resolve(found);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${output}`)));
  });
  try {
    expect((await fetch(`${url}/__sandbox/console`)).headers.get('content-type')).toContain('text/html');
    expect((await fetch(`${url}/__sandbox/openapi.json`)).status).toBe(200);
    expect((await (await fetch(`${url}/__sandbox/health`)).json()) as object).toMatchObject({ status: 'ok', customers: 53 });
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }
  expect(output).toContain('kapture-sandbox stopped (SIGTERM)');
  expect(await readdir(dir)).not.toContain('data');
}
