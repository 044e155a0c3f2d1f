/**
 * The query endpoint (查询-响应) of a simulated provider: a small HTTP server answering the platform's poller
 * (ingestion/poller.service.ts) for each of the provider's nodes under `/{node code}`:
 *
 *   GET /{node}/platform-status  → the node's platform as a whole (capacity and allocation)
 *   GET /{node}/quotas           → resources allotted to each information system
 *   GET /{node}/vm-states        → run status of every cloud host
 *
 * The poller signs its GETs like a provider's pushes (token `zhengyun`, the endpoint's signing secret); when the secret
 * of a node is known the signature is checked (401 otherwise). A provider in an outage answers 503.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SIGNATURE_HEADERS, signRequest } from '../modules/ingestion/index.js';
import type { FleetNode, FleetProvider } from './fleet.js';
import { beijingDateTime } from './random.js';

export function platformStatusAnswer(node: FleetNode, now: number) {
  const storageTotalGb = (node.capacity.standardTiB + node.capacity.highPerfTiB + node.capacity.staticTiB) * 1024;
  return {
    status: 'normal' as const,
    cpuTotal: node.capacity.cpu,
    cpuAllocated: node.hosts.reduce((s, h) => s + h.vcpu, 0),
    memoryTotalGb: node.capacity.memoryGiB,
    memoryAllocatedGb: node.hosts.reduce((s, h) => s + h.memoryGiB, 0),
    storageTotalGb,
    storageAllocatedGb: node.hosts.reduce((s, h) => s + h.standardStorageGiB + h.highPerfStorageGiB, 0),
    vmCount: node.hosts.length,
    updatedAt: beijingDateTime(now),
  };
}

export function quotasAnswer(node: FleetNode) {
  return node.systems.map((s) => ({
    systemId: s.systemId,
    systemName: s.name.slice(0, 200),
    cpuCores: s.hosts.reduce((t, h) => t + h.vcpu, 0),
    memoryGb: s.hosts.reduce((t, h) => t + h.memoryGiB, 0),
    storageGb: s.hosts.reduce((t, h) => t + h.standardStorageGiB + h.highPerfStorageGiB, 0),
    bandwidthMbps: s.publicIps.reduce((t, p) => t + p.bandwidthMbps, 0),
    publicIpCount: s.publicIps.length,
  }));
}

export function vmStatesAnswer(node: FleetNode, now: number) {
  return node.hosts.map((h) => ({ cloudHostId: h.cloudHostId, runStatus: 'RUNN', updatedAt: beijingDateTime(now) }));
}

export interface QueryEndpointServer {
  provider: FleetProvider;
  /** Base URL of a node's endpoint: http://127.0.0.1:port/{node}. */
  baseUrl(nodeCode: string): string;
  /** Sets the signing secret the platform uses for a node (then signatures are checked). */
  setSecret(nodeCode: string, secret: string): void;
  requests: number;
  close(): Promise<void>;
}

export async function startQueryEndpoint(
  provider: FleetProvider,
  opts: { host?: string; port?: number; isDown?: () => boolean; now?: () => number } = {},
): Promise<QueryEndpointServer> {
  const host = opts.host ?? '127.0.0.1';
  const secrets = new Map<string, string>();
  const now = opts.now ?? Date.now;
  const state = { requests: 0 };
  const server = http.createServer((req, res) => {
    state.requests++;
    const send = (status: number, body: unknown) => {
      const text = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    };
    const url = req.url ?? '/';
    const m = /^\/([A-Za-z0-9_-]{2,30})\/(platform-status|quotas|vm-states)(?:\?.*)?$/.exec(url);
    if (req.method !== 'GET' || !m) return send(404, { error: 'not found' });
    const node = provider.nodes.find((n) => n.code === m[1]);
    if (!node) return send(404, { error: `no node ${m[1]}` });
    const secret = secrets.get(node.code);
    if (secret) {
      const h = (k: string) => (typeof req.headers[k] === 'string' ? (req.headers[k] as string) : '');
      const expected = signRequest(secret, { method: 'GET', pathWithQuery: url, timestamp: h(SIGNATURE_HEADERS.timestamp), nonce: h(SIGNATURE_HEADERS.nonce), body: '' });
      if (h('authorization') !== 'Bearer zhengyun' || h(SIGNATURE_HEADERS.signature) !== expected) return send(401, { error: 'signature invalid' });
    }
    if (opts.isDown?.()) return send(503, { error: 'provider unavailable (simulated outage)' });
    const t = now();
    if (m[2] === 'platform-status') return send(200, platformStatusAnswer(node, t));
    if (m[2] === 'quotas') return send(200, quotasAnswer(node));
    return send(200, vmStatesAnswer(node, t));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    provider,
    baseUrl: (nodeCode) => `http://${host}:${port}/${nodeCode}`,
    setSecret: (nodeCode, secret) => void secrets.set(nodeCode, secret),
    get requests() {
      return state.requests;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
