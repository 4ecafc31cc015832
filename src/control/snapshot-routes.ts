import type { Router } from 'express';
import { isSnapshotName, MAX_SNAPSHOTS } from '../snapshots.js';
import type { ControlDeps } from './deps.js';
import { ControlError, validBody } from './errors.js';

/** Named snapshots of customers, id counters and keys. */
export function snapshotRoutes(router: Router, deps: ControlDeps): void {
  router.get('/snapshots', (_req, res) => {
    res.json({ snapshots: deps.snapshots.list() });
  });

  router.post('/snapshots', async (req, res) => {
    const { name } = validBody<{ name: string }>('SnapshotRequest', req.body, '{"name": "before-checkout"}');
    if (!deps.snapshots.has(name) && deps.snapshots.size >= MAX_SNAPSHOTS) {
      throw new ControlError(409, `there are already ${MAX_SNAPSHOTS} snapshots: delete one (DELETE /__sandbox/snapshots/{name}) or reuse a name`);
    }
    const { customers, counters, keys } = deps.store.data;
    res.status(201).json(await deps.snapshots.save(name, { customers, counters, keys }, deps.now()));
  });

  router.delete('/snapshots/:name', async (req, res) => {
    const name = snapshotName(req.params.name);
    if (!(await deps.snapshots.remove(name))) throw notFound(name);
    res.json({ deleted: name });
  });

  router.post('/snapshots/:name/restore', async (req, res) => {
    const name = snapshotName(req.params.name);
    const data = await deps.snapshots.data(name);
    if (!data) throw notFound(name);
    deps.store.replace({ version: 1, ...data });
    await deps.store.commit();
    res.json(deps.snapshots.list().find((s) => s.name === name));
  });
}

function snapshotName(name: string): string {
  if (!isSnapshotName(name)) throw new ControlError(400, `snapshot name "${name}" is invalid: use 1 to 64 letters, digits, - or _`);
  return name;
}

function notFound(name: string): ControlError {
  return new ControlError(404, `no snapshot "${name}": list them with GET /__sandbox/snapshots`);
}
