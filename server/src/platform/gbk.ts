/**
 * GBK encoding. Node decodes GBK (TextDecoder, full ICU) but does not encode it; the encoder is the inverse of the
 * decoder over every GBK double-byte sequence, built once on first use. Used by CSV exports in GBK and by the
 * simulator's GBK pushes.
 */

let gbkTable: Uint16Array | null = null;

/**
 * UTF-16 code unit → GBK bytes (hi << 8 | lo; 0: not in GBK), built once from the platform's own GBK decoder. Every
 * GBK character is in the Basic Multilingual Plane, so one code unit indexes it.
 */
function gbkEncoder(): Uint16Array {
  if (gbkTable) return gbkTable;
  const table = new Uint16Array(65536);
  const decoder = new TextDecoder('gbk');
  const pair = new Uint8Array(2);
  for (let hi = 0x81; hi <= 0xfe; hi++) {
    for (let lo = 0x40; lo <= 0xfe; lo++) {
      if (lo === 0x7f) continue;
      pair[0] = hi;
      pair[1] = lo;
      const s = decoder.decode(pair);
      const c = s.charCodeAt(0);
      if (s.length === 1 && c !== 0xfffd && c >= 0x80 && table[c] === 0) table[c] = (hi << 8) | lo;
    }
  }
  gbkTable = table;
  return table;
}

/**
 * Encodes text to GBK; a character GBK lacks (an emoji, a rare CJK extension) becomes `?`, or with `strict` the
 * result is null.
 */
export function encodeGbk(text: string): Buffer;
export function encodeGbk(text: string, opts: { strict: true }): Buffer | null;
export function encodeGbk(text: string, opts: { strict?: boolean } = {}): Buffer | null {
  const table = gbkEncoder();
  const n = text.length;
  const out = Buffer.allocUnsafe(n * 2);
  let o = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      out[o++] = c;
      continue;
    }
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++; // a surrogate pair: one character outside GBK
      if (opts.strict) return null;
      out[o++] = 0x3f;
      continue;
    }
    const code = table[c]!;
    if (code === 0) {
      if (opts.strict) return null;
      out[o++] = 0x3f;
    } else {
      out[o++] = code >> 8;
      out[o++] = code & 0xff;
    }
  }
  return out.subarray(0, o);
}
