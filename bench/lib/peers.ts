import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { HOST, ROOT, spawnServer, type Child } from './children.js';
import { PATHS, PRISM_CLI, SPEC } from './config.js';
import { post } from './load.js';
import { SEARCH_ANSWER_TYPE, searchAnswer } from './search-answer.js';
import { freePort } from './servers.js';

/**
 * The other mock servers the sandbox is measured against: Prism's mock of the spec, and WireMock
 * and Mockoon serving the baseline's search answer (bench/lib/search-answer.ts) as a static stub,
 * each the way its documentation runs it, with whatever keeps it quiet and fast.
 */

const require = createRequire(join(ROOT, 'package.json'));

/** A devDependency's directory and package.json (its `bin`, its version), found the way Node resolves it. */
function packageOf(name: string): { dir: string; json: { version: string; bin?: string | Record<string, string> } } {
  const file = require.resolve(`${name}/package.json`);
  return { dir: dirname(file), json: JSON.parse(readFileSync(file, 'utf8')) as { version: string; bin?: string | Record<string, string> } };
}

/** The versions the run measured (for the results' diagnostics). */
export function peerVersions(): Record<string, string> {
  return Object.fromEntries(['@stoplight/prism-cli', 'wiremock', '@mockoon/cli'].map((name) => [name, packageOf(name).json.version]));
}

/**
 * The Java runtime WireMock runs on: `$JAVA_HOME/bin/java` when JAVA_HOME is set (as Maven and
 * Gradle do; and a way to try the "no Java" path), else `java` on the PATH. Either the command and
 * its version line, or why there is none.
 */
export function findJava(): { command: string; version: string } | { missing: string } {
  const command = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
  const result = spawnSync(command, ['-version'], { encoding: 'utf8', timeout: 30_000 });
  if (result.error) {
    const code = (result.error as NodeJS.ErrnoException).code;
    return { missing: `${command}: ${code === 'ENOENT' ? 'not found' : result.error.message}${process.env.JAVA_HOME ? ' (from JAVA_HOME)' : ' on the PATH'}; WireMock needs a Java runtime (17 or later)` };
  }
  if (result.status !== 0) return { missing: `${command} -version exited with ${result.status}: ${result.stderr.trim().split('\n')[0]}` };
  return { command, version: `${result.stderr}${result.stdout}`.trim().split('\n')[0]! };
}

/** Retries a start on another free port when the one picked was taken meanwhile. */
async function onFreePort(start: (port: number) => Promise<Child>): Promise<Child> {
  let lastError: Error | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await start(await freePort());
    } catch (error) {
      lastError = error as Error;
      if (!/EADDRINUSE|already in use/i.test(lastError.message)) throw lastError;
    }
  }
  throw lastError!;
}

export function startPrism(timeoutMs: number): Promise<Child> {
  return onFreePort((port) =>
    spawnServer({
      name: 'prism',
      args: [PRISM_CLI, 'mock', SPEC, '-p', String(port), '-h', HOST, '-v', 'error'],
      pollUrl: `http://${HOST}:${port}`,
      timeoutMs,
    }),
  );
}

/**
 * WireMock standalone (the jar the npm package bundles) on its own JVM, with one mapping: POST on
 * the search URL answers the baseline's bytes. No request journal, no request logging, no banner,
 * synchronous responses, no templating or gzip, and a Content-Length rather than chunks (as the
 * baseline frames its answer). Port 0: WireMock prints the port it got.
 */
export async function startWiremock(java: string, dir: string, timeoutMs: number): Promise<Child> {
  const { dir: packageDir } = packageOf('wiremock');
  const jar = readdirSync(join(packageDir, 'build')).find((name) => /^wiremock-standalone-.*\.jar$/.test(name));
  if (!jar) throw new Error(`no wiremock-standalone-*.jar in ${join(packageDir, 'build')}`);
  await mkdir(join(dir, 'mappings'), { recursive: true });
  const mapping = {
    request: { method: 'POST', url: PATHS.search },
    response: { status: 200, body: searchAnswer().toString('utf8'), headers: { 'Content-Type': SEARCH_ANSWER_TYPE } },
  };
  await writeFile(join(dir, 'mappings', 'search.json'), JSON.stringify(mapping));
  // The flags: bench/results/README.md lists them, with why.
  const args = ['-jar', join(packageDir, 'build', jar), '--port', '0', '--bind-address', HOST, '--root-dir', dir, '--no-request-journal', '--disable-request-logging', '--disable-banner'];
  args.push('--async-response-enabled', 'false', '--disable-response-templating', '--disable-gzip', '--use-chunked-encoding', 'never', '--disable-extensions-scanning');
  return spawnServer({ name: 'wiremock', command: java, args, urlPattern: /^port:\s+(\d+)\s*$/m, timeoutMs });
}

/**
 * Mockoon's CLI (its package's `bin`, run by this Node) with an environment of one route: POST on
 * the search URL answers the baseline's bytes, templating off. Mockoon logs every request to
 * stdout at info level and has no flag to stop that (`--disable-log-to-file` only keeps it off
 * disk): that log is part of what its CLI costs. Its port 0 is not reported back, so a free one is picked.
 */
export async function startMockoon(dir: string, timeoutMs: number): Promise<Child> {
  const { dir: packageDir, json } = packageOf('@mockoon/cli');
  const bin = typeof json.bin === 'string' ? json.bin : json.bin?.['mockoon-cli'];
  if (!bin) throw new Error(`@mockoon/cli ${json.version}: no mockoon-cli in its package.json's bin`);
  await mkdir(dir, { recursive: true });
  const data = join(dir, 'mockoon-environment.json');
  await writeFile(data, JSON.stringify(mockoonEnvironment()));
  return onFreePort((port) =>
    spawnServer({
      name: 'mockoon',
      args: [join(packageDir, bin), 'start', '--data', data, '--port', String(port), '--hostname', HOST, '--disable-log-to-file', '--disable-admin-api'],
      urlPattern: new RegExp(`Server started on port (${port})`),
      timeoutMs,
    }),
  );
}

/** A Mockoon environment (data format of migration 33, @mockoon/cli 9.x) with the one static route. */
function mockoonEnvironment() {
  const response = {
    uuid: 'bench-search-answer',
    body: searchAnswer().toString('utf8'),
    latency: 0,
    statusCode: 200,
    label: 'the baseline search answer',
    headers: [{ key: 'Content-Type', value: SEARCH_ANSWER_TYPE }],
    bodyType: 'INLINE',
    filePath: '',
    databucketID: '',
    sendFileAsBody: false,
    rules: [],
    rulesOperator: 'OR',
    disableTemplating: true,
    fallbackTo404: false,
    default: true,
    crudKey: 'id',
    callbacks: [],
  };
  const route = { uuid: 'bench-search', type: 'http', documentation: '', method: 'post', endpoint: PATHS.search.slice(1), responses: [response], responseMode: null, streamingMode: null, streamingInterval: 0 };
  return {
    uuid: 'kapture-bench',
    lastMigration: 33,
    name: 'kapture-bench',
    endpointPrefix: '',
    latency: 0,
    port: 0,
    hostname: HOST,
    routes: [route],
    rootChildren: [{ type: 'route', uuid: route.uuid }],
    folders: [],
    proxyMode: false,
    proxyHost: '',
    proxyRemovePrefix: false,
    tlsOptions: { enabled: false, type: 'CERT', pfxPath: '', certPath: '', keyPath: '', caPath: '', passphrase: '' },
    cors: false,
    headers: [],
    proxyReqHeaders: [],
    proxyResHeaders: [],
    data: [],
    callbacks: [],
  };
}

/** One search: a static peer must answer exactly the baseline's bytes, with its Content-Type, or its figures are not comparable. */
export async function probeStaticAnswer(server: Child, body: string): Promise<void> {
  const answer = await post(server.url, PATHS.search, body);
  const type = answer.headers.get('content-type');
  const expected = searchAnswer().toString('utf8');
  if (answer.status !== 200 || type !== SEARCH_ANSWER_TYPE || answer.text !== expected) {
    throw new Error(
      `${server.name} answered HTTP ${answer.status}, Content-Type ${type}, ${Buffer.byteLength(answer.text)} bytes ` +
        `(expected 200, ${SEARCH_ANSWER_TYPE}, the baseline's ${Buffer.byteLength(expected)} bytes): ${answer.text.slice(0, 300)}`,
    );
  }
}
