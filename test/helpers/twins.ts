import { startSandbox, type Sandbox } from '../../src/index.js';
import { DISGUISED, startProxy, type Mutation, type ProxiedAnswer, type ProxiedRequest } from './broken-sandbox.js';
import { post, VENDOR } from './http.js';

/**
 * Test-only twins of real Kapture accounts: a real sandbox answering by one generation's profile,
 * behind a proxy that hides that it is a sandbox (no control surface, no X-Sandbox-* headers), and
 * optionally one more rewrite (an account that answers otherwise, or one that drifted). The
 * sandbox's own code is never touched.
 */
export type Twin = {
  url: string;
  upstream: Sandbox;
  /** The planted customers' ids: runs that use today's clock name them (--customer-id) rather than find them by date. */
  customerIds: string[];
  close(): Promise<void>;
};

/** Values planted in the twin's customers: none may ever reach a calibrated profile. */
export const PLANTED = {
  names: ['Zuleika Planted-Name', 'Ottoline Secretperson'],
  phones: ['9811122233', '9844455566'],
  emails: ['zuleika.planted@example.org', 'ottoline.secret@example.org'],
  key: 'twin-key-7f3a9c2e-do-not-write',
};

/** One instant for twins, sandboxes and runs: what these tests prove must not depend on today. */
export const TWIN_NOW = new Date('2026-06-15T06:30:00.000Z');
export const twinNow = () => TWIN_NOW;

/**
 * A twin of an account of `profile`'s generation, with two customers made of the planted values
 * (created "now", so select finds them), answering to PLANTED.key only.
 */
export async function startTwin(profile: 'document' | 'current', extra: Mutation = {}): Promise<Twin> {
  const upstream = await startSandbox({ port: 0, inMemory: true, customers: 3, now: twinNow, profile });
  await upstream.keys.add({ key: PLANTED.key, tenant: 1, name: 'twin account key' });
  const customerIds: string[] = [];
  for (const [i, name] of PLANTED.names.entries()) {
    const answer = await post(upstream.url, VENDOR.add, { name, phone: PLANTED.phones[i], email: PLANTED.emails[i], city: 'Kozhikode' }, { key: PLANTED.key });
    const id = (answer.json as Record<string, unknown> | undefined)?.['Kapture Customer Id'];
    if (typeof id !== 'string') throw new Error(`the twin could not plant a customer: ${answer.text}`);
    customerIds.push(id);
  }
  const proxy = await startProxy(upstream.url, compose(DISGUISED, extra));
  return {
    url: proxy.url,
    upstream,
    customerIds,
    close: async () => {
      await proxy.close();
      await upstream.close();
    },
  };
}

/** `first`, then `second`, on requests and answers. */
export function compose(first: Mutation, second: Mutation): Mutation {
  return {
    request: (request) => {
      const once = first.request ? first.request(request) : request;
      return 'answer' in once || !second.request ? once : second.request(once);
    },
    answer: (request, answer) => {
      const once = first.answer ? first.answer(request, answer) : answer;
      return second.answer ? second.answer(request, once) : once;
    },
  };
}

type Body = Record<string, unknown>;

function isSearch(request: ProxiedRequest): boolean {
  return request.path === VENDOR.search;
}

function rewrite(answer: ProxiedAnswer, change: (body: Body) => Body): ProxiedAnswer {
  const body = answer.body;
  return body !== null && typeof body === 'object' && !Array.isArray(body) ? { ...answer, body: change(body as Body) } : answer;
}

/** Ways a twin answers otherwise (an account's choice) or drifts (an account that changed). */
export const ANSWERS_OTHERWISE = {
  /** A search of several items answers the first item's customers only (nothing public says otherwise). */
  firstItemOnly: {
    answer: (request, answer) =>
      isSearch(request) && Array.isArray(request.body) && request.body.length > 1
        ? rewrite(answer, (body) => (Array.isArray(body.message) ? { ...body, message: body.message.slice(0, 1) } : body))
        : answer,
  },
} satisfies Record<string, Mutation>;

export const DRIFTS = {
  /** Search answers its customers under another key. */
  renamedKey: {
    answer: (request, answer) =>
      isSearch(request) ? rewrite(answer, ({ message, ...rest }) => (Array.isArray(message) ? { customers: message, ...rest } : { message, ...rest })) : answer,
  },
  /** Today's pull answers its customers under another key. */
  renamedPullKey: {
    answer: (request, answer) =>
      request.path === VENDOR.select && JSON.stringify(request.body).includes('createStartDate')
        ? rewrite(answer, ({ 'Customer Details': customers, ...rest }) => ({ Customers: customers, ...rest }))
        : answer,
  },
  /** Search and select say "ok" where they said "success". */
  statusWord: {
    answer: (request, answer) => rewrite(answer, (body) => (body.status === 'success' ? { ...body, status: 'ok' } : body)),
  },
  /** Customers' generationDate as ISO 8601 rather than Gson's format. */
  dateFormat: {
    answer: (request, answer) =>
      request.path === VENDOR.search || request.path === VENDOR.select
        ? rewrite(answer, (body) => {
            if (Array.isArray(body.message)) for (const customer of body.message as Body[]) customer.generationDate = '2026-06-15T06:30:00Z';
            return body;
          })
        : answer,
  },
  /** Failures say "Failed" (document twin) where they said "Fail". */
  failureWord: {
    answer: (_request, answer) => rewrite(answer, (body) => (body.Status === 'Fail' ? { ...body, Status: 'Failed' } : body.status === 'failed' ? { ...body, status: 'Failed' } : body)),
  },
} satisfies Record<string, Mutation>;
