import { asciiHeader, VendorError } from '../errors.js';
import { WRITES, type OperationId } from '../operations/ids.js';
import type { Handler } from '../operations/registry.js';
import { checkItem, type ItemOptions } from '../validation/request-fields.js';
import type { ShapeAnswers } from '../vendor/profile.js';

/** The field rules applied to every item of a body, and the warnings they raise. */

const MAX_WARNINGS_IN_HEADER = 20;
const MAX_WARNINGS_HEADER_LENGTH = 4096;

/**
 * The values of each item, as the field rules accept them; the first refused item throws
 * ReqFieldMissing. Warnings are appended to `warnings`.
 */
export function checkItems(
  operation: OperationId,
  handler: Handler,
  answers: ShapeAnswers,
  items: Array<Record<string, unknown>>,
  isArray: boolean,
  mapped: readonly string[] | undefined,
  warnings: string[],
): Array<Record<string, unknown>> {
  const options = itemOptions(operation, handler, answers, mapped);
  const writesCustomer = operation === 'addCustomer' || operation === 'updateCustomer';
  const updates = writesCustomer && handler.rules.known.includes('customer_id');
  const values = new Array<Record<string, unknown>>(items.length);
  for (let index = 0; index < items.length; index++) {
    const item = items[index]!;
    if (writesCustomer && index > 0) {
      const isUpdate = Object.hasOwn(item, 'customer_id');
      if (isUpdate !== updates) {
        throw new VendorError(
          'ReqFieldMissing',
          `Mandatory field missing: the body mixes adds and updates (item [${index}] ${isUpdate ? 'has' : 'lacks'} customer_id, item [0] ${isUpdate ? 'lacks' : 'has'} it): send them in separate requests`,
        );
      }
    }
    const verdict = checkItem(handler.rules, item, isArray ? `[${index}].` : '', options);
    if (!verdict.ok) throw new VendorError('ReqFieldMissing', verdict.message);
    for (let i = 0; i < verdict.warnings.length; i++) warnings.push(verdict.warnings[i]!);
    values[index] = verdict.values;
  }
  return values;
}

/** Options per shape's answers, handler and key fields, made once: checking a request allocates none. */
const optionsCache = new WeakMap<ShapeAnswers, Map<Handler, ItemOptions>>();
/** A key's `fields` as a set, made once per list (key records are replaced, never edited). */
const mappedSets = new WeakMap<readonly string[], ReadonlySet<string>>();

function itemOptions(operation: OperationId, handler: Handler, answers: ShapeAnswers, mapped: readonly string[] | undefined): ItemOptions {
  // A key's `fields` are the customer data its API was configured to write: they restrict what
  // add, update and add-contacts store, never the lookup parameters of select and search.
  if (mapped && WRITES.has(operation)) {
    let set = mappedSets.get(mapped);
    if (!set) mappedSets.set(mapped, (set = new Set(mapped)));
    return { ...baseOptions(handler, answers), mapped: set };
  }
  return baseOptions(handler, answers);
}

function baseOptions(handler: Handler, answers: ShapeAnswers): ItemOptions {
  let byHandler = optionsCache.get(answers);
  if (!byHandler) optionsCache.set(answers, (byHandler = new Map()));
  let options = byHandler.get(handler);
  if (!options) {
    options = Object.freeze({
      ...(handler.addRequires ? requiresOf(answers) : {}),
      emptyMeansAbsent: !answers.emptyMeansAbsent ? false : handler.shape === 'document' ? 'warn' : 'silent',
    } satisfies ItemOptions);
    byHandler.set(handler, options);
  }
  return options;
}

/** The profile's add requirements, when they differ from the spec's (name, email and phone). */
function requiresOf(answers: ShapeAnswers): { requires?: string[][] } {
  const groups = answers.addRequires;
  const asSpec = groups.length === 3 && groups.every((group) => group.length === 1) && ['name', 'email', 'phone'].every((f) => groups.some((g) => g[0] === f));
  return asSpec ? {} : { requires: groups };
}

/**
 * `X-Sandbox-Warnings`: short ASCII messages joined by `; `, bounded so that the header stays
 * far below what HTTP clients accept (undici refuses answers with more than 16 KiB of headers).
 */
export function warningHeaders(warnings: readonly string[]): Record<string, string> {
  if (warnings.length === 0) return {};
  let header = '';
  let shown = 0;
  for (const warning of warnings) {
    const next = (header ? '; ' : '') + asciiHeader(warning);
    if (shown === MAX_WARNINGS_IN_HEADER || header.length + next.length > MAX_WARNINGS_HEADER_LENGTH) break;
    header += next;
    shown++;
  }
  if (shown < warnings.length) header += `; ${warnings.length - shown} more warnings not shown`;
  return { 'X-Sandbox-Warnings': header };
}
