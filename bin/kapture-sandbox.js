#!/usr/bin/env node
// The sources are TypeScript run through tsx's loader, so a clone works with `npm install` alone:
// no build step to forget.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli.ts');
// The contract suite (contracts/) is handed in here: src/ never imports it.
const loadContractSuite = async () => (await import('../contracts/index.ts')).contractSuite;
const code = await main(process.argv.slice(2), { loadContractSuite });
// -1: serving; the process lives until a signal stops it.
if (code >= 0) process.exitCode = code;
