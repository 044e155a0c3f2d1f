/**
 * Syslog over TCP (RFC 6587): octet counting (`LEN SP MSG`, §3.4.1) or non-transparent framing (each message ends with
 * LF, §3.4.2). The method is detected once per connection from its first bytes: a digit starts an octet count, anything
 * else (normally `<PRI>`) means newline framing. Frames may arrive split across or packed into TCP chunks.
 * Frames larger than the limit are skipped and counted, never buffered whole.
 */
export const MAX_FRAME_BYTES = 64 * 1024;

export type FramingMode = 'unknown' | 'octet' | 'newline';

const LF = 0x0a;
const SP = 0x20;
const MAX_LEN_DIGITS = 9;

export class FrameDecoder {
  mode: FramingMode = 'unknown';
  /** Frames dropped for exceeding the limit (or cut short by the end of the connection). */
  dropped = 0;
  /** Octet-count headers that were not digits followed by a space: the connection falls back to newline framing. */
  framingErrors = 0;
  private buf: Buffer = Buffer.alloc(0);
  /** Bytes of an oversize frame still to skip (octet counting), or -1 to skip to the next LF (newline framing). */
  private skip = 0;

  constructor(private readonly maxBytes = MAX_FRAME_BYTES) {}

  /** Feeds one chunk; complete frames are appended to `out`. */
  push(chunk: Buffer, out: Buffer[]): void {
    let data = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    this.buf = Buffer.alloc(0);
    if (this.skip !== 0) {
      data = this.skipData(data);
      if (!data.length) return;
    }
    if (this.mode === 'unknown') {
      const first = data[0]!;
      this.mode = first >= 0x30 && first <= 0x39 ? 'octet' : 'newline';
    }
    let pos = 0;
    const n = data.length;
    while (pos < n) {
      if (this.mode === 'octet') {
        let i = pos;
        let len = 0;
        while (i < n && i - pos <= MAX_LEN_DIGITS) {
          const c = data[i]!;
          if (c < 0x30 || c > 0x39) break;
          len = len * 10 + (c - 0x30);
          i++;
        }
        if (i === n && i - pos <= MAX_LEN_DIGITS) break; // header not complete yet
        if (i === pos || data[i] !== SP || i - pos > MAX_LEN_DIGITS) {
          // Not an octet count (a sender mixing in LF-terminated messages): read the rest as newline framing.
          this.framingErrors++;
          this.mode = 'newline';
          continue;
        }
        const start = i + 1;
        if (len > this.maxBytes) {
          this.dropped++;
          const available = n - start;
          if (available >= len) {
            pos = start + len;
            continue;
          }
          this.skip = len - available;
          return;
        }
        if (n - start < len) break; // frame not complete yet
        if (len > 0) out.push(data.subarray(start, start + len));
        pos = start + len;
        // Some senders terminate octet-counted frames with LF as well.
        if (pos < n && data[pos] === LF) pos++;
      } else {
        const lf = data.indexOf(LF, pos);
        if (lf === -1) {
          if (n - pos > this.maxBytes) {
            this.dropped++;
            this.skip = -1;
            return;
          }
          break;
        }
        if (lf - pos > this.maxBytes) this.dropped++;
        else if (lf > pos) out.push(data.subarray(pos, lf));
        pos = lf + 1;
      }
    }
    // Keep the incomplete tail (copied: the chunk may be a pooled buffer).
    if (pos < n) this.buf = Buffer.from(data.subarray(pos));
  }

  /** The connection ended: an unterminated last line is a message; a cut octet-counted frame is dropped. */
  end(out: Buffer[]): void {
    if (this.buf.length) {
      if (this.mode === 'newline') out.push(this.buf);
      else this.dropped++;
    }
    this.buf = Buffer.alloc(0);
    this.skip = 0;
  }

  private skipData(data: Buffer): Buffer {
    if (this.skip > 0) {
      if (data.length <= this.skip) {
        this.skip -= data.length;
        return data.subarray(data.length);
      }
      const rest = data.subarray(this.skip);
      this.skip = 0;
      return rest;
    }
    const lf = data.indexOf(LF);
    if (lf === -1) return data.subarray(data.length);
    this.skip = 0;
    return data.subarray(lf + 1);
  }
}
