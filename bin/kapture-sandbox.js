#!/usr/bin/env node
// Runs the compiled CLI (dist/, what the package ships). In a clone of the repository, where the
// TypeScript sources sit beside it, it runs them through tsx's loader instead: `npm start` and the
// tests never run a stale build.
import { existsSync } from 'node:fs';

const sources = new URL('../src/cli.ts', import.meta.url);
let cli;
let suite;
if (existsSync(sources)) {
  (await import('tsx/esm/api')).register();
  cli = await import(sources.href);
  suite = () => import(new URL('../contracts/index.ts', import.meta.url).href);
} else {
  cli = await import('../dist/src/cli.js');
  suite = () => import('../dist/contracts/index.js');
}
// The contract suite (contracts/) is handed in here: src/ never imports it.
const loadContractSuite = async () => (await suite()).contractSuite;
const code = await cli.main(process.argv.slice(2), { loadContractSuite });
// -1: serving; the process lives until a signal stops it.
if (code >= 0) process.exitCode = code;
