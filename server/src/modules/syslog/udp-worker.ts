/**
 * The UDP socket of the syslog receiver lives in a worker thread that does nothing but drain it: a burst of datagrams
 * is read from the kernel buffer even while the main thread validates and writes a batch (a stall of a few hundred
 * milliseconds would otherwise overflow the receive buffer at 20,000 messages/s). Every 10 ms, or every 2,000
 * datagrams, the worker hands the main thread one transferred ArrayBuffer with the datagrams, their lengths and their
 * senders. The worker's code is plain JavaScript evaluated in place, so it runs the same under tsx, vitest and the
 * compiled build.
 */
import { Worker } from 'node:worker_threads';

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const dgram = require('node:dgram');
const { host, port, type, recvBufferBytes } = workerData;
const socket = dgram.createSocket({ type, reuseAddr: false });
let queue = [];
let ips = [];
let bytes = 0;
function flush() {
  if (queue.length === 0) return;
  const data = new Uint8Array(bytes);
  const lengths = new Uint32Array(queue.length);
  let off = 0;
  for (let i = 0; i < queue.length; i++) {
    data.set(queue[i], off);
    lengths[i] = queue[i].length;
    off += queue[i].length;
  }
  parentPort.postMessage({ kind: 'batch', data, lengths, ips }, [data.buffer, lengths.buffer]);
  queue = [];
  ips = [];
  bytes = 0;
}
socket.on('message', (msg, rinfo) => {
  queue.push(msg);
  ips.push(rinfo.address);
  bytes += msg.length;
  if (queue.length >= 2000) flush();
});
const timer = setInterval(flush, 10);
socket.once('error', (err) => parentPort.postMessage({ kind: 'error', message: String(err && err.message || err), code: err && err.code }));
socket.bind({ address: host, port, exclusive: true }, () => {
  let granted = 0;
  for (let size = recvBufferBytes; size >= 262144; size = Math.floor(size / 2)) {
    try { socket.setRecvBufferSize(size); break; } catch {}
  }
  try { granted = socket.getRecvBufferSize(); } catch {}
  socket.on('error', (err) => parentPort.postMessage({ kind: 'socket_error', message: String(err && err.message || err) }));
  parentPort.postMessage({ kind: 'listening', recvBufferBytes: granted });
});
parentPort.on('message', (m) => {
  if (m === 'close') {
    socket.close(() => {
      clearInterval(timer);
      flush();
      parentPort.postMessage({ kind: 'closed' });
    });
  }
});
`;

type FromWorker =
  | { kind: 'batch'; data: Uint8Array; lengths: Uint32Array; ips: string[] }
  | { kind: 'listening'; recvBufferBytes: number }
  | { kind: 'error'; message: string; code?: string }
  | { kind: 'socket_error'; message: string }
  | { kind: 'closed' };

export class UdpWorker {
  private constructor(private readonly worker: Worker) {}

  /**
   * Binds `host:port` in a worker; each datagram is passed to `onDatagram` on the main thread. Rejects with the
   * bind error (EADDRINUSE …).
   */
  static async start(
    opts: { host: string; port: number; type: 'udp4' | 'udp6'; recvBufferBytes: number },
    onDatagram: (msg: Buffer, ip: string) => void,
    onSocketError: (message: string) => void,
  ): Promise<{ udp: UdpWorker; recvBufferBytes: number }> {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: opts });
    const udp = new UdpWorker(worker);
    const recvBufferBytes = await new Promise<number>((resolve, reject) => {
      worker.on('message', (m: FromWorker) => {
        if (m.kind === 'batch') {
          const buf = Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength);
          let off = 0;
          for (let i = 0; i < m.lengths.length; i++) {
            const len = m.lengths[i]!;
            onDatagram(buf.subarray(off, off + len), m.ips[i]!);
            off += len;
          }
        } else if (m.kind === 'listening') resolve(m.recvBufferBytes);
        else if (m.kind === 'error') {
          void worker.terminate();
          reject(Object.assign(new Error(m.message), { code: m.code }));
        } else if (m.kind === 'socket_error') onSocketError(m.message);
      });
      worker.once('error', reject);
    });
    worker.on('error', (e) => onSocketError(e.message));
    return { udp, recvBufferBytes };
  }

  /** Closes the socket; resolves after the worker handed over its last datagrams. */
  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      const done = (m: FromWorker) => {
        if (m.kind === 'closed') {
          this.worker.off('message', done);
          resolve();
        }
      };
      this.worker.on('message', done);
      this.worker.postMessage('close');
      setTimeout(resolve, 2000).unref();
    });
    await this.worker.terminate();
  }
}
