// Harness of the browser flows: starts the real built server (server/dist) on a temporary data directory with the
// embedded PostgreSQL and free ports, runs the `zhengyun` CLI against it, and talks to its API like a browser would.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const repoRoot = path.resolve(import.meta.dirname, '../..');
const mainJs = path.join(repoRoot, 'server/dist/main.js');

/** TOTP exactly as the server computes it (the built server/dist/platform/crypto/totp.js). */
export async function loadTotp() {
  const file = path.join(repoRoot, 'server/dist/platform/crypto/totp.js');
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: build the server first (npm run build -w server)`);
  return import(pathToFileURL(file).href);
}

/**
 * A code for `secret` at a TOTP step the account has not used yet: the server accepts each step once, so a second
 * sign-in of the same account within 30 s waits for the next step.
 */
export async function freshTotp(secret, usedSteps = new Set()) {
  const { totpCode, currentStep } = await loadTotp();
  for (;;) {
    const step = currentStep();
    // Keep 3 s of margin before the step ends: the code must still be current when the server checks it.
    const secondsLeft = 30 - ((Date.now() / 1000) % 30);
    if (!usedSteps.has(step) && secondsLeft > 3) {
      usedSteps.add(step);
      return totpCode(secret, step);
    }
    await sleep(Math.max(200, secondsLeft * 1000 + 200));
  }
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** One platform instance: `zhengyun start --no-demo` on its own data directory and ports. */
export class Platform {
  constructor({ logFile }) {
    this.dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhengyun-e2e-'));
    this.logFile = logFile;
    this.proc = null;
  }

  async init() {
    this.port = await freePort();
    this.pgPort = await freePort();
    this.baseUrl = `http://127.0.0.1:${this.port}`;
    return this;
  }

  env(extra = {}) {
    const env = { ...process.env, ZHENGYUN_DATA_DIR: this.dataDir, ZHENGYUN_EMBEDDED_PG_PORT: String(this.pgPort), ZHENGYUN_LOG_LEVEL: 'info', ...extra };
    delete env.DATABASE_URL; // the flows run on the embedded PostgreSQL, whatever the caller's shell says
    delete env.ZHENGYUN_CONFIG;
    return { ...env, ...extra };
  }

  /** The URL of the embedded PostgreSQL while the server runs (the CLI then connects to it instead of starting it). */
  runningDatabaseUrl() {
    const password = fs.readFileSync(path.join(this.dataDir, 'postgres.password'), 'utf8').trim();
    return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${this.pgPort}/zhengyun`;
  }

  /** Runs `node server/dist/main.js <args>`; while the server runs, against its database. */
  cli(args) {
    const env = this.proc ? this.env({ DATABASE_URL: this.runningDatabaseUrl() }) : this.env();
    const r = spawnSync(process.execPath, [mainJs, ...args], { cwd: repoRoot, env, encoding: 'utf8', timeout: 120_000 });
    if (r.status !== 0) throw new Error(`zhengyun ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
    return r.stdout;
  }

  /** `zhengyun admin create`; returns the initial password it printed. */
  createAccount({ username, displayName, role, org }) {
    const out = this.cli(['admin', 'create', '--username', username, '--display-name', displayName, '--role', role, ...(org ? ['--org', org] : [])]);
    const m = /Initial password: (\S+)/.exec(out);
    if (!m) throw new Error(`admin create printed no initial password:\n${out}`);
    return m[1];
  }

  async start() {
    if (!fs.existsSync(mainJs)) throw new Error(`${mainJs} is missing: build first (npm run build)`);
    const log = fs.openSync(this.logFile, 'a');
    this.proc = spawn(process.execPath, [mainJs, 'start', '--no-demo', '--host', '127.0.0.1', '--port', String(this.port)], {
      cwd: repoRoot,
      env: this.env(),
      stdio: ['ignore', log, log],
    });
    fs.closeSync(log);
    let exited = null;
    this.proc.once('exit', (code, signal) => (exited = { code, signal }));
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      if (exited) throw new Error(`the server exited during start-up (${JSON.stringify(exited)}); see ${this.logFile}`);
      try {
        const res = await fetch(`${this.baseUrl}/api/health`);
        if (res.ok && (await res.json()).status === 'ok') return;
      } catch {
        // not listening yet
      }
      await sleep(250);
    }
    throw new Error(`the server did not become healthy within 90 s; see ${this.logFile}`);
  }

  /** SIGTERM and wait: the server stops its embedded PostgreSQL itself. */
  async stop() {
    const p = this.proc;
    if (!p) return;
    this.proc = null;
    if (p.exitCode === null && p.signalCode === null) {
      const done = new Promise((r) => p.once('exit', r));
      p.kill('SIGTERM');
      const timer = setTimeout(() => p.kill('SIGKILL'), 30_000);
      await done;
      clearTimeout(timer);
    }
  }

  cleanup() {
    fs.rmSync(this.dataDir, { recursive: true, force: true });
  }

  /** An API session (cookie jar of one) that signs in through the documented steps, enrolling TOTP when asked. */
  api() {
    return new ApiSession(this.baseUrl);
  }
}

export class ApiSession {
  constructor(baseUrl) {
    this.baseUrl = baseUrl;
    this.cookie = '';
    this.usedSteps = new Set();
    this.totpSecret = null;
  }

  async request(method, url, body) {
    const headers = { 'x-requested-with': 'zhengyun' };
    if (this.cookie) headers.cookie = this.cookie;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const send = () => fetch(this.baseUrl + url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    // A kept-alive socket the server closed while a CLI call blocked this process fails before the request is sent: once more.
    const res = await send().catch((e) => (['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE'].includes(e?.cause?.code) ? send() : Promise.reject(e)));
    for (const c of res.headers.getSetCookie()) {
      const m = /^zy_session=([^;]*)/.exec(c);
      if (m) this.cookie = m[1] ? `zy_session=${m[1]}` : '';
    }
    const text = await res.text();
    const json = text ? JSON.parse(text) : null;
    if (!res.ok) throw new Error(`${method} ${url} → ${res.status} ${text}`);
    return json;
  }

  /** Signs in; changes the initial password to `newPassword` and enrols TOTP when the server asks. */
  async signIn(username, password, newPassword) {
    let step = await this.request('POST', '/api/auth/login', { username, password });
    for (let i = 0; i < 5 && step.status !== 'signed_in'; i++) {
      if (step.status === 'password_change_required') {
        step = await this.request('POST', '/api/auth/login/password', { challenge: step.challenge, newPassword });
      } else if (step.status === 'mfa_enrolment_required') {
        this.totpSecret = step.secret;
        step = await this.request('POST', '/api/auth/login/mfa', { challenge: step.challenge, code: await freshTotp(step.secret, this.usedSteps) });
      } else if (step.status === 'mfa_required') {
        if (!this.totpSecret) throw new Error('a second factor is required but its secret is unknown');
        step = await this.request('POST', '/api/auth/login/mfa', { challenge: step.challenge, code: await freshTotp(this.totpSecret, this.usedSteps) });
      } else {
        throw new Error(`unexpected sign-in step ${JSON.stringify(step)}`);
      }
    }
    if (step.status !== 'signed_in') throw new Error(`sign-in of ${username} did not finish: ${JSON.stringify(step)}`);
    return step.me;
  }
}
