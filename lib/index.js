// The package's entry for ES modules. An installed package runs its compiled build (dist/, built by
// `npm run build`). In a clone of the repository, where the TypeScript sources sit beside it, it
// loads them through tsx's scoped loader (which affects nothing else in the process), so the
// repository's own tests never run a stale build. Types: dist/src/index.d.ts.
// test/library-entry.test.ts checks that these names are exactly src/index.ts's runtime exports.
import { existsSync } from 'node:fs';

const sources = new URL('../src/index.ts', import.meta.url);
const library = existsSync(sources)
  ? await (await import('tsx/esm/api')).tsImport(sources.href, import.meta.url)
  : await import('../dist/src/index.js');

export const { startSandbox, ERROR_CODES, OPERATION_IDS, defaultKeys, DEFAULT_TENANT, controlClient, VerifyError } = library;
