import { execFileSync } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdtempSync, readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultGuard, probeDns, probeHttp, probeIcmpMany, probeTcp } from './probes.js';

/** Real local peers on 127.0.0.0/8 only: HTTP, TLS (self-signed, made here with openssl), TCP, UDP. */
const servers: Array<{ close(): unknown }> = [];
let httpPort = 0;
let tlsPort = 0;
let hangPort = 0;
let closedPort = 0;
let silentDnsPort = 0;

const listen = (s: net.Server, host = '127.0.0.1') => new Promise<number>((r) => s.listen(0, host, () => r((s.address() as net.AddressInfo).port)));

beforeAll(async () => {
  const h = http.createServer((req, res) => {
    if (req.url === '/ok') return res.end('<html>政务服务网 正常</html>');
    if (req.url === '/500') return res.writeHead(500).end('error');
    if (req.url === '/loop') return res.writeHead(302, { location: '/loop2' }).end();
    if (req.url === '/loop2') return res.writeHead(302, { location: '/loop' }).end();
    if (req.url === '/moved') return res.writeHead(301, { location: '/ok' }).end();
    if (req.url === '/big') {
      res.writeHead(200);
      const chunk = Buffer.alloc(64 * 1024, 'a');
      let sent = 0;
      const push = () => {
        while (sent < 10 * 1024 * 1024) {
          sent += chunk.length;
          if (!res.write(chunk)) return res.once('drain', push);
        }
        res.end();
      };
      return push();
    }
    if (req.url === '/slow') return; // never answers
    res.writeHead(404).end();
  });
  servers.push(h);
  httpPort = await listen(h);

  const dir = mkdtempSync(join(tmpdir(), 'zy-av-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem'), '-days', '30', '-subj', '/CN=127.0.0.1'], { stdio: 'ignore' });
  const tls = https.createServer({ key: readFileSync(join(dir, 'k.pem')), cert: readFileSync(join(dir, 'c.pem')) }, (_req, res) => res.end('secure ok'));
  servers.push(tls);
  tlsPort = await listen(tls);

  // Accepts and never speaks (a TLS handshake or an HTTP response that never comes).
  const sockets: net.Socket[] = [];
  const hang = net.createServer((s) => sockets.push(s));
  servers.push({ close: () => (sockets.forEach((s) => s.destroy()), hang.close()) });
  hangPort = await listen(hang);

  const tmp = net.createServer();
  closedPort = await listen(tmp);
  await new Promise((r) => tmp.close(r));

  const udp = dgram.createSocket('udp4');
  await new Promise<void>((r) => udp.bind(0, '127.0.0.1', () => r()));
  silentDnsPort = udp.address().port;
  servers.push(udp);
});
afterAll(() => servers.forEach((s) => s.close()));

describe('HTTP(S) probes', () => {
  it('status and keyword present', async () => {
    const r = await probeHttp(`http://127.0.0.1:${httpPort}/ok`, { keyword: '政务服务网' }, 3000);
    expect(r.ok).toBe(true);
    expect(r.httpStatus).toBe(200);
    expect(r.rttMs).toBeGreaterThan(0);
  });
  it('keyword that must be absent', async () => {
    const r = await probeHttp(`http://127.0.0.1:${httpPort}/ok`, { keyword: '正常', keywordAbsent: true }, 3000);
    expect(r.ok).toBe(false);
    expect(r.detail).toContain('不应出现');
  });
  it('a 500 is down', async () => {
    const r = await probeHttp(`http://127.0.0.1:${httpPort}/500`, {}, 3000);
    expect(r).toMatchObject({ ok: false, httpStatus: 500 });
  });
  it('follows a redirect, or refuses to by policy', async () => {
    expect((await probeHttp(`http://127.0.0.1:${httpPort}/moved`, { keyword: '正常' }, 3000)).ok).toBe(true);
    const no = await probeHttp(`http://127.0.0.1:${httpPort}/moved`, { followRedirects: false, expectStatus: [200] }, 3000);
    expect(no).toMatchObject({ ok: false, httpStatus: 301 });
  });
  it('a redirect loop ends with a recorded result', async () => {
    const r = await probeHttp(`http://127.0.0.1:${httpPort}/loop`, {}, 3000);
    expect(r.ok).toBe(false);
    expect(r.detail).toContain('重定向循环');
  });
  it('a 10 MB body is read only up to the cap', async () => {
    const r = await probeHttp(`http://127.0.0.1:${httpPort}/big`, { maxBodyBytes: 65536 }, 5000);
    expect(r.ok).toBe(true);
    expect(r.detail).toContain('65536');
  });
  it('a response that never comes times out', async () => {
    const t0 = Date.now();
    const r = await probeHttp(`http://127.0.0.1:${httpPort}/slow`, {}, 400);
    expect(r.ok).toBe(false);
    expect(r.detail).toContain('超时');
    expect(Date.now() - t0).toBeLessThan(3000);
  });
  it('a TLS handshake that never finishes times out', async () => {
    const r = await probeHttp(`https://127.0.0.1:${hangPort}/`, {}, 400);
    expect(r.ok).toBe(false);
    expect(r.detail).toContain('TLS');
  });
  it('self-signed: the chain is invalid (fails unless allowed) and the expiry is read', async () => {
    const strict = await probeHttp(`https://127.0.0.1:${tlsPort}/`, {}, 3000);
    expect(strict.ok).toBe(false);
    expect(strict.detail).toContain('证书链无效');
    const lax = await probeHttp(`https://127.0.0.1:${tlsPort}/`, { allowUntrustedTls: true }, 3000);
    expect(lax.ok).toBe(true);
    const days = (lax.tlsExpiresAt!.getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(28);
    expect(days).toBeLessThan(31);
    const soon = await probeHttp(`https://127.0.0.1:${tlsPort}/`, { allowUntrustedTls: true, tlsMinDays: 60 }, 3000);
    expect(soon.ok).toBe(false);
  });
  it('an address the operator may not probe is refused and recorded', async () => {
    const r = await probeHttp('http://169.254.169.254/latest', {}, 1000, defaultGuard());
    expect(r.ok).toBe(false);
    expect(r.detail).toContain('不允许');
    const only = defaultGuard(['127.0.0.0/8']);
    expect(only('127.0.0.5')).toBeNull();
    expect(only('10.1.1.1')).toContain('不在允许');
  });
});

describe('TCP probes', () => {
  it('open, closed, IPv6 loopback', async () => {
    expect((await probeTcp('127.0.0.1', httpPort, 1000)).ok).toBe(true);
    const c = await probeTcp('127.0.0.1', closedPort, 1000);
    expect(c.ok).toBe(false);
    expect(c.detail).toContain('ECONNREFUSED');
    const v6 = await probeTcp('::1', closedPort, 1000);
    expect(v6.ok).toBe(false);
    expect(v6.detail).toMatch(/连接失败|超时/);
  });
});

describe('DNS probes', () => {
  it('a resolver that never answers times out', async () => {
    const t0 = Date.now();
    const r = await probeDns('gov.example', { server: `127.0.0.1:${silentDnsPort}` }, 500);
    expect(r.ok).toBe(false);
    expect(r.detail).toMatch(/超时|失败/);
    expect(Date.now() - t0).toBeLessThan(3000);
  });
  it('an invalid server is named', async () => {
    const r = await probeDns('gov.example', { server: 'not a server' }, 500);
    expect(r.detail).toContain('not a server');
  });
});

describe('ICMP probes (fping)', () => {
  it('many loopback targets in one process', async () => {
    const r = await probeIcmpMany(['127.0.0.1', '127.0.0.2', '::1', '169.254.1.1'], { count: 2, timeoutMs: 500, guard: defaultGuard() });
    expect(r.get('127.0.0.1')).toMatchObject({ ok: true, lossPct: 0 });
    expect(r.get('127.0.0.2')!.ok).toBe(true);
    expect(r.get('169.254.1.1')!.detail).toContain('不允许');
  });
});
