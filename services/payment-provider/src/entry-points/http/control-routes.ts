import { Router } from 'express';
import { validate } from '@surge/http-kit';
import type { FaultSwitch } from '../../domain/faults';
import { faultsBody } from './schemas';

/**
 * `/_control/faults`: switch faults on and off. Mounted only outside production, so a
 * deployed simulator cannot be told to misbehave.
 */
export function controlRoutes(faults: FaultSwitch): Router {
  const router = Router();

  router.get('/faults', (_req, res) => {
    res.json(faults.current);
  });

  router.put('/faults', (req, res) => {
    res.json(faults.replace(validate(faultsBody, req.body)));
  });

  router.delete('/faults', (_req, res) => {
    faults.clear();
    res.status(204).end();
  });

  return router;
}
