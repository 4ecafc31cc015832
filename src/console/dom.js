// Every value from the sandbox reaches the page through textContent or attributes set one by one:
// nothing here parses markup, so a customer named "<img onerror=...>" is shown, never run.

/**
 * @param {string} tag
 * @param {Record<string, string | number | boolean | undefined>} [attributes]
 * @param {...(Node | string | number | undefined | null)} children
 */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === undefined || child === null) continue;
    node.append(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
  return node;
}

/** @param {string} id */
export function byId(id) {
  const node = document.getElementById(id);
  if (!node) throw new Error(`the console page has no element #${id}`);
  return node;
}

/** @param {HTMLElement} node @param {...Node} children */
export function replace(node, ...children) {
  node.replaceChildren(...children);
}

/** @param {unknown} value */
export function json(value) {
  return JSON.stringify(value, null, 2);
}

/** Fills a <select> with an "any" choice then the given values. */
export function options(select, anyLabel, values) {
  replace(select, el('option', { value: '' }, anyLabel), ...values.map((v) => el('option', { value: v }, v)));
}

export const OPERATIONS = ['addCustomer', 'updateCustomer', 'selectCustomers', 'searchCustomer', 'addContacts'];
export const ERROR_CODES = ['APIExpired', 'AuthKeyInvalid', 'ServerFailure', 'ReqFieldMissing', 'CustomerNotFound'];
