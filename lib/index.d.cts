// Types of the CommonJS entry (lib/index.cjs): the ES module build's own types.
import type { Sandbox, SandboxOptions } from '../dist/src/index.js' with { 'resolution-mode': 'import' };

export type { Sandbox, SandboxOptions };

/**
 * Starts a sandbox (see the ES module entry's `startSandbox`).
 *
 * @example
 * const { startSandbox } = require('kapture-sandbox');
 * const sandbox = await startSandbox({ port: 0, inMemory: true });
 * // ... point your Kapture client at sandbox.url
 * await sandbox.close();
 */
export declare function startSandbox(options?: SandboxOptions): Promise<Sandbox>;
