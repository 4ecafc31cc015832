import type { ErrorCode } from '../errors.js';
import type { OperationId } from '../operations/ids.js';
import { builtInProfile, type Profile, type Shape, type ShapeAnswers, type Template } from '../vendor/profile.js';
import { customersOf, isFailureBody } from '../contract/reading.js';
import { failureTemplateOf, successTemplate, type Safety } from './infer.js';
import type { Observation, Observed } from './observe.js';
import { typeShape } from './redact.js';

/** Every aspect a calibration can observe; what it did not is listed in the profile's `unobserved`. */
export const ASPECTS = [
  'document.answers.selectCustomers',
  'document.answers.searchCustomer',
  'document.answers.addCustomer',
  'document.answers.updateCustomer',
  'document.answers.addContacts',
  'document.batch',
  'document.unsetFields',
  'document.addRequires',
  'document.emptyMeansAbsent',
  'document.failure',
  'document.errors.AuthKeyInvalid',
  'document.errors.APIExpired',
  'document.errors.ReqFieldMissing',
  'document.errors.ServerFailure',
  'document.errors.CustomerNotFound',
  'current.answers.selectCustomers',
  'current.answers.searchCustomer',
  'current.answers.addCustomer',
  'current.answers.updateCustomer',
  'current.answers.addContacts',
  'current.batch',
  'current.unsetFields',
  'current.addRequires',
  'current.emptyMeansAbsent',
  'current.failure',
  'current.errors.AuthKeyInvalid',
  'current.errors.APIExpired',
  'current.errors.ReqFieldMissing',
  'current.errors.ServerFailure',
  'current.errors.CustomerNotFound',
] as const;

/** String fields a customer may leave unset: omitted (Gson) or `""` tells the profile's unsetFields. */
const UNSET_STRINGS = ['address', 'state', 'city', 'country', 'pinCode', 'customerCode', 'classification', 'customerType'];

export type BuildOptions = { name: string; description: string; secrets: string[] };

/**
 * The profile an account answers by: the built-in `document` profile, with every aspect the run
 * observed replaced by what the account answered, the evidence of each (an example body with
 * values replaced by their types) and the aspects it could not observe.
 */
export function buildProfile(observed: Observed, options: BuildOptions): Profile {
  const base = structuredClone(builtInProfile('document'));
  const safety: Safety = { seen: observed.seen, secrets: options.secrets };
  const done = new Set<string>();
  const evidence: Record<string, unknown> = {};
  const note = (aspect: string, observation: Observation) => {
    evidence[observation.aspect] = { request: observation.request, status: observation.exchange.status, example: typeShape(observation.exchange.json ?? '<not JSON>') };
    done.add(aspect);
  };

  for (const observation of observed.observations) {
    const json = observation.exchange.json;
    if (json === null || typeof json !== 'object' || Array.isArray(json)) continue;
    const body = json as Record<string, unknown>;
    const [shapeName, kind, ...rest] = observation.aspect.split('.') as [Shape, string, ...string[]];
    const shape = base.shapes[shapeName];
    if (!shape) continue;
    if (kind === 'answers' && !isFailureBody(body)) {
      const operation = rest[0] as OperationId;
      const inferred = successTemplate(body, shape.answers[operation], safety);
      if (Object.keys(inferred.template).length === 0) continue;
      shape.answers[operation] = inferred.template;
      note(`${shapeName}.answers.${operation}`, observation);
      if (operation === 'searchCustomer' || operation === 'selectCustomers') unsetFieldsFrom(shape, body) && done.add(`${shapeName}.unsetFields`);
    } else if (kind === 'errors' && isFailureBody(body)) {
      learnError(shape, shapeName, rest[0] as ErrorCode, rest[1] as OperationId, body, safety, done);
      note(`${shapeName}.errors.${rest[0]}`, observation);
    } else if (kind === 'batch' && !isFailureBody(body)) {
      const answered = customersOf(body)?.length ?? 0;
      if (answered === 0) continue;
      shape.batch = answered >= 2 ? 'all' : 'first';
      note(`${shapeName}.batch`, observation);
    } else if (kind === 'addRequires') {
      // Without email: accepted means name plus phone (or email) is enough; refused, email is mandatory.
      shape.addRequires = isFailureBody(body) ? [['name'], ['email'], ['phone']] : [['name'], ['phone', 'email']];
      note(`${shapeName}.addRequires`, observation);
    } else if (kind === 'emptyMeansAbsent') {
      // Refused for an empty field: "" is a value; accepted (or refused for want of a field): "" is not sent.
      shape.emptyMeansAbsent = !(isFailureBody(body) && /empty/i.test(String(body.message ?? body.Message ?? '')));
      note(`${shapeName}.emptyMeansAbsent`, observation);
    } else if (kind === 'upsert' || kind === 'updateBySource') {
      evidence[observation.aspect] = { request: observation.request, status: observation.exchange.status, example: typeShape(body) };
    }
  }
  const profile: Profile = {
    name: options.name,
    description: options.description,
    shapes: base.shapes,
    evidence,
    unobserved: ASPECTS.filter((aspect) => !done.has(aspect)),
  };
  return profile;
}

/** `""` in an unset field: empty; such a field left out: omit; neither seen: unknown. */
function unsetFieldsFrom(shape: ShapeAnswers, body: Record<string, unknown>): boolean {
  const customers = customersOf(body) ?? [];
  if (customers.length === 0) return false;
  if (customers.some((c) => UNSET_STRINGS.some((field) => c[field] === ''))) shape.unsetFields = 'empty';
  else if (customers.some((c) => UNSET_STRINGS.some((field) => !(field in c)))) shape.unsetFields = 'omit';
  else return false;
  return true;
}

function learnError(shape: ShapeAnswers, shapeName: string, code: ErrorCode, operation: OperationId, body: Record<string, unknown>, safety: Safety, done: Set<string>): void {
  const entry = shape.errors[code];
  const inferred = failureTemplateOf(body, shape.failure, safety);
  if (inferred.messageKey === undefined) return;
  // The failure body most refusals share is learnt from the refused key; another shape on one operation is its own.
  if (code === 'AuthKeyInvalid' || !done.has(`${shapeName}.failure`)) {
    if (!sameShape(shape.failure, inferred.template)) shape.failure = inferred.template;
    done.add(`${shapeName}.failure`);
  } else if (!sameShape(shape.failure, inferred.template)) {
    const own: Template = { ...inferred.template };
    if (inferred.message !== undefined) own[inferred.messageKey] = inferred.message;
    entry.bodyByOperation = { ...entry.bodyByOperation, [operation]: own };
  }
  // A specific text (the field a ReqFieldMissing names) is the sandbox's own; a fixed one is learnt.
  if (entry.specific || inferred.message === undefined) return;
  if (operation === 'selectCustomers' || entry.message === undefined) entry.message = inferred.message;
  const byOperation = { ...entry.byOperation, [operation]: inferred.message };
  entry.byOperation = Object.fromEntries(Object.entries(byOperation).filter(([op, text]) => op !== 'selectCustomers' && text !== entry.message));
  if (Object.keys(entry.byOperation).length === 0) delete entry.byOperation;
}

/** The same keys with the same fixed words (the text itself aside). */
function sameShape(a: Template, b: Template): boolean {
  return JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());
}
