import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { VENDOR } from './http.js';

/**
 * Test-only HTTP proxies in front of a real sandbox, each breaking one behaviour (or, `disguised`,
 * hiding that it is a sandbox). The contract suite must fail against each broken one, naming what
 * is broken: that is how we know its checks can fail. The sandbox's own code is never touched.
 */
export type ProxiedRequest = { method: string; path: string; headers: Record<string, string>; body: unknown };
export type ProxiedAnswer = { status: number; headers: Record<string, string>; body: unknown };

export type Mutation = {
  /** Rewrites a request before it is forwarded, or answers it instead (it is then never forwarded). */
  request?(request: ProxiedRequest): ProxiedRequest | { answer: ProxiedAnswer };
  /** Rewrites the sandbox's answer (JSON answers only). */
  answer?(request: ProxiedRequest, answer: ProxiedAnswer): ProxiedAnswer;
};

export type Proxy = {
  url: string;
  /** Every request received, as received (before any rewrite). */
  seen: ProxiedRequest[];
  close(): Promise<void>;
};

const HOP_BY_HOP = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive']);

export async function startProxy(upstream: string, mutation: Mutation): Promise<Proxy> {
  const seen: ProxiedRequest[] = [];
  const server = createServer((req, res) => {
    handle(upstream, mutation, seen, req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(upstream: string, mutation: Mutation, seen: ProxiedRequest[], req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string' && !HOP_BY_HOP.has(name)) headers[name] = value;
  const original: ProxiedRequest = { method: req.method ?? 'GET', path: req.url ?? '/', headers, body: parse(text) };
  seen.push(structuredClone(original));
  const rewritten = mutation.request ? mutation.request(structuredClone(original)) : original;
  if ('answer' in rewritten) return write(res, rewritten.answer);
  // Follows the client: when it gives up (a hang), so does the proxy.
  const abort = new AbortController();
  res.on('close', () => abort.abort());
  let response: Response;
  try {
    response = await fetch(upstream + rewritten.path, {
      method: rewritten.method,
      headers: rewritten.headers,
      signal: abort.signal,
      ...(rewritten.method === 'GET' || rewritten.method === 'HEAD' || text === '' ? {} : { body: typeof rewritten.body === 'string' ? rewritten.body : JSON.stringify(rewritten.body) }),
    });
  } catch {
    res.destroy();
    return;
  }
  const answerText = await response.text();
  const answerHeaders: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (!HOP_BY_HOP.has(name) && name !== 'content-encoding') answerHeaders[name] = value;
  });
  const json = parse(answerText);
  const answer: ProxiedAnswer = { status: response.status, headers: answerHeaders, body: json };
  write(res, typeof json !== 'string' && mutation.answer ? mutation.answer(rewritten, answer) : answer);
}

function write(res: ServerResponse, answer: ProxiedAnswer): void {
  const payload = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
  res.writeHead(answer.status, { ...answer.headers, 'content-length': Buffer.byteLength(payload) });
  res.end(payload);
}

/** The JSON of a text, or the text itself when it is not JSON. */
function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

type Customer = { generationDate: string; contacts: Array<{ generationDate: { month: number } }> };

function listed(request: ProxiedRequest, answer: ProxiedAnswer): Customer[] {
  const isList = request.path === VENDOR.search || request.path === VENDOR.select;
  const message = (answer.body as { message?: unknown } | null)?.message;
  return isList && Array.isArray(message) ? (message as Customer[]) : [];
}

function items(body: unknown): Array<Record<string, unknown>> {
  const all = Array.isArray(body) ? body : [body];
  return all.filter((item): item is Record<string, unknown> => item !== null && typeof item === 'object');
}

function withoutSandboxHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !name.startsWith('x-sandbox-')));
}

const JSON_HEADERS = { 'content-type': 'application/json;charset=UTF-8' };

/** One broken behaviour each. */
export const BROKEN = {
  /**
   * Update answers success but changes nothing: the sandbox gets only the customer_id (so keys
   * and unknown customers are still refused as they should be), never the fields.
   */
  updateNotPersisted: {
    request: (request) =>
      request.path === VENDOR.add && items(request.body)[0]?.customer_id !== undefined
        ? { ...request, body: items(request.body).map((item) => ({ customer_id: item.customer_id })) }
        : request,
  },
  /** Customers' generationDate as ISO 8601 instead of Gson's format. */
  isoDates: {
    answer: (request, answer) => {
      for (const customer of listed(request, answer)) {
        const parsed = Date.parse(`${customer.generationDate} GMT+0530`);
        customer.generationDate = new Date(Number.isNaN(parsed) ? 0 : parsed).toISOString();
      }
      return answer;
    },
  },
  /** Add accepts a body that lacks a mandatory field (the sandbox's ReqFieldMissing becomes a success). */
  missingFieldAccepted: {
    answer: (request, answer) =>
      request.path === VENDOR.add && answer.headers['x-sandbox-error'] === 'ReqFieldMissing'
        ? { status: 200, headers: withoutSandboxHeaders(answer.headers), body: { Message: 'Customer Added Successfully', 'Kapture Customer Id': '999999', Status: 'Success' } }
        : answer,
  },
  /** Contacts' Calendar month 1-based (April = 4). */
  oneBasedMonth: {
    answer: (request, answer) => {
      for (const customer of listed(request, answer)) for (const contact of customer.contacts ?? []) contact.generationDate.month += 1;
      return answer;
    },
  },
  /** The expired key works like the good one. */
  expiredKeyAccepted: {
    request: (request) =>
      request.headers.authorization === 'Basic expired-key' ? { ...request, headers: { ...request.headers, authorization: 'Basic sandbox-key' } } : request,
  },
  /** Select answers every customer, whatever the range. */
  selectIgnoresRange: {
    request: (request) =>
      request.path === VENDOR.select
        ? { ...request, body: Array.isArray(request.body) ? items(request.body).map(widen) : widen(items(request.body)[0] ?? {}) }
        : request,
  },
  /** Add answers with update's lowercase keys. */
  addAnswerCasing: {
    answer: (request, answer) => {
      const body = answer.body as Record<string, unknown> | null;
      if (request.path !== VENDOR.add || !body || body.Status !== 'Success' || !('Kapture Customer Id' in body)) return answer;
      return { ...answer, body: { message: body.Message, 'Kapture Customer Id': body['Kapture Customer Id'], status: body.Status } };
    },
  },
} satisfies Record<string, Mutation>;

/** A range that holds everything; a body without both dates is left as it is (it must still fail). */
function widen(item: Record<string, unknown>): Record<string, unknown> {
  return item.start_date !== undefined && item.end_date !== undefined ? { ...item, start_date: '2000-01-01', end_date: '2099-12-31' } : item;
}

/**
 * A sandbox that looks like a real Kapture account: no control surface, no X-Sandbox-* headers.
 * For the "safe by default" tests.
 */
export const DISGUISED: Mutation = {
  request: (request) =>
    request.path.startsWith('/__sandbox')
      ? { answer: { status: 404, headers: { 'content-type': 'text/html' }, body: '<html>Not Found</html>' } }
      : request,
  answer: (_request, answer) => ({ ...answer, headers: withoutSandboxHeaders(answer.headers) }),
};

/** Disguised, and quoting the key it was sent in every search answer (a careless service): for the redaction tests. */
export const ECHOES_KEY: Mutation = {
  request: DISGUISED.request!,
  answer: (request, answer) =>
    request.path === VENDOR.search
      ? { status: 200, headers: JSON_HEADERS, body: { Message: `Invalid Auth Key: ${request.headers.authorization ?? 'none'}`, Status: 'Fail' } }
      : DISGUISED.answer!(request, answer),
};
