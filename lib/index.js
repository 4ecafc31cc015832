// The package's entry for plain Node (node:test, mocha, scripts): Node cannot load the TypeScript
// sources itself, so they are imported through tsx's scoped loader, which affects nothing else in
// the importing process. Types come from src/index.ts (the "types" condition in package.json).
// test/library-entry.test.ts checks that these names are exactly src/index.ts's runtime exports.
import { tsImport } from 'tsx/esm/api';

const library = await tsImport('../src/index.ts', import.meta.url);

export const { startSandbox, ERROR_CODES, OPERATION_IDS, defaultKeys, DEFAULT_TENANT, controlClient, VerifyError } = library;
