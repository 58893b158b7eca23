import type { Context } from 'hono';

/** What a load balancer asks a node: may it send phones here? */
export interface NodeHealth {
  ok: boolean;
  /** For the operator reading the body: mode, Redis reachability, lag. */
  detail: { mode: 'single' | 'cluster'; node?: string; reachable?: boolean; lagMs?: number; applied?: number; epoch?: string; draining?: boolean };
}

export const SINGLE_NODE_HEALTH: NodeHealth = { ok: true, detail: { mode: 'single' } };

/** GET /healthz: 200 while this node can serve, 503 while it cannot reach Redis or lags behind the log (docs/scaling.md). */
export function healthRoute(health: () => NodeHealth) {
  return (c: Context) => {
    const { ok, detail } = health();
    c.header('cache-control', 'no-store');
    return c.json({ ok, ...detail }, ok ? 200 : 503);
  };
}
