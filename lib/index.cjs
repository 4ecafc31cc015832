'use strict';
// The package's entry for CommonJS (require). Node 20 cannot require() the package's ES modules
// (nor its ESM-only dependencies), so this entry starts a sandbox through import(): the same
// library, behind one async function. The rest of the library: `await import('kapture-sandbox')`.

/** @type {import('./index.d.cts').startSandbox} */
async function startSandbox(options) {
  const library = await import('./index.js');
  return library.startSandbox(options);
}

module.exports = { startSandbox };
