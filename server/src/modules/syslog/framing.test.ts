import { describe, expect, it } from 'vitest';
import { FrameDecoder } from './framing.js';

function feed(d: FrameDecoder, chunks: Array<string | Buffer>, end = false): string[] {
  const out: Buffer[] = [];
  for (const c of chunks) d.push(typeof c === 'string' ? Buffer.from(c) : c, out);
  if (end) d.end(out);
  return out.map((b) => b.toString());
}

describe('octet counting (RFC 6587 §3.4.1)', () => {
  it('reads frames packed into one chunk, including LF inside a message', () => {
    const d = new FrameDecoder();
    expect(feed(d, ['5 hello11 line1\nline23 abc'])).toEqual(['hello', 'line1\nline2', 'abc']);
    expect(d.mode).toBe('octet');
  });

  it('reassembles frames split across chunks at every byte, the length header too', () => {
    const msg = '<13>1 2026-11-30T06:01:45Z vm app - - - 中文 message';
    const frame = Buffer.from(`${Buffer.byteLength(msg)} ${msg}`);
    const stream = Buffer.concat([frame, frame, frame]);
    for (let cut = 1; cut < stream.length; cut += 7) {
      const d = new FrameDecoder();
      const parts = [stream.subarray(0, cut), stream.subarray(cut, cut + 3), stream.subarray(cut + 3)];
      expect(feed(d, parts)).toEqual([msg, msg, msg]);
    }
    const d = new FrameDecoder();
    expect(feed(d, [...stream].map((b) => Buffer.from([b])))).toEqual([msg, msg, msg]);
  });

  it('skips an oversize frame, counts it, and reads the next one', () => {
    const d = new FrameDecoder(100);
    const big = 'x'.repeat(250);
    expect(feed(d, [`250 ${big.slice(0, 60)}`, big.slice(60, 200), `${big.slice(200)}4 next`])).toEqual(['next']);
    expect(d.dropped).toBe(1);
  });

  it('tolerates an LF after each counted frame', () => {
    expect(feed(new FrameDecoder(), ['3 abc\n3 def\n'])).toEqual(['abc', 'def']);
  });

  it('falls back to newline framing on a header that is no length', () => {
    const d = new FrameDecoder();
    expect(feed(d, ['3 abc<13>x\n<13>y\n'])).toEqual(['abc', '<13>x', '<13>y']);
    expect(d.framingErrors).toBe(1);
  });

  it('counts a frame cut short by the end of the connection', () => {
    const d = new FrameDecoder();
    expect(feed(d, ['10 abc'], true)).toEqual([]);
    expect(d.dropped).toBe(1);
  });
});

describe('newline framing (RFC 6587 §3.4.2)', () => {
  it('splits on LF across chunks and ignores empty lines', () => {
    const d = new FrameDecoder();
    expect(feed(d, ['<13>Nov 30 06:01:45 vm a: one\n<13>Nov', ' 30 06:01:45 vm a: two\n\n<13>x'])).toEqual([
      '<13>Nov 30 06:01:45 vm a: one',
      '<13>Nov 30 06:01:45 vm a: two',
    ]);
    expect(d.mode).toBe('newline');
    expect(feed(d, [], true)).toEqual(['<13>x']);
  });

  it('drops an oversize line without buffering it and resumes after its LF', () => {
    const d = new FrameDecoder(100);
    expect(feed(d, ['<13>' + 'y'.repeat(150), 'y'.repeat(500), 'tail\n<13>ok\n'])).toEqual(['<13>ok']);
    expect(d.dropped).toBe(1);
    const e = new FrameDecoder(100);
    expect(feed(e, ['<13>' + 'y'.repeat(150) + '\n<13>ok\n'])).toEqual(['<13>ok']);
    expect(e.dropped).toBe(1);
  });

  it('keeps the incomplete tail as a copy (chunks may be reused by the caller)', () => {
    const d = new FrameDecoder();
    const chunk = Buffer.from('<13>abc');
    feed(d, [chunk]);
    chunk.fill(0x41);
    expect(feed(d, ['def\n'])).toEqual(['<13>abcdef']);
  });
});
