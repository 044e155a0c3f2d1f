import { describe, expect, it } from 'vitest';
import { chainHash, GENESIS_HASH } from './audit.chain.js';
import { ChainVerifier, fieldsOf, type StoredRecord, type VerifyResult } from './audit.verify.js';
import { filterSummary, shanghaiTime } from './audit.export.js';

function chain(n: number, start = 1, prev = GENESIS_HASH): StoredRecord[] {
  const out: StoredRecord[] = [];
  for (let i = 0; i < n; i++) {
    const seq = String(start + i);
    const base = {
      seq,
      occurredAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)),
      actorUserId: null,
      actorUsername: `user${i}`,
      actorOrgId: null,
      actorKind: 'user',
      action: 'users.update',
      targetType: 'user',
      targetId: `t${i}`,
      outcome: 'success',
      before: { name: `old${i}` },
      after: { name: `new${i}`, roles: ['a', 'b'] },
      details: null,
      sourceIp: '10.0.0.1',
      requestId: `r${i}`,
    };
    const hash = chainHash(prev, base);
    out.push({ ...base, prevHash: prev, hash });
    prev = hash;
  }
  return out;
}

/** Runs the verifier the way verifyAuditChain does: rows in seq order, then broken links resolved against all hashes. */
function verify(rows: StoredRecord[], anchor: { firstSeq: string; prevHash: string } | null = null): VerifyResult {
  const sorted = [...rows].sort((a, b) => Number(a.seq) - Number(b.seq));
  const v = new ChainVerifier(anchor);
  for (const r of sorted) v.add(r);
  const owners = new Map(sorted.map((r) => [r.hash, r.seq] as const));
  const wanted = new Set(v.pendingHashes());
  return v.finish(new Map([...owners].filter(([h]) => wanted.has(h))));
}

const kinds = (r: VerifyResult) => r.problems.map((p) => `${p.seq}:${p.kind}`);

describe('ChainVerifier', () => {
  it('accepts an intact chain, and an empty log', () => {
    const r = verify(chain(20));
    expect(r).toMatchObject({ ok: true, checked: 20, firstSeq: '1', lastSeq: '20', problems: [] });
    expect(r.lastHash).toMatch(/^[0-9a-f]{64}$/);
    expect(verify([])).toMatchObject({ ok: true, checked: 0, firstSeq: null, lastSeq: null });
  });

  it('names an altered field as altered at its seq', () => {
    const rows = chain(10);
    rows[4] = { ...rows[4]!, after: { name: 'forged', roles: ['a', 'b'] } };
    expect(kinds(verify(rows))).toEqual(['5:altered']);
  });

  it('names a record whose hash alone was overwritten as altered, without blaming its successor', () => {
    const rows = chain(10);
    rows[3] = { ...rows[3]!, hash: 'f'.repeat(64) };
    expect(kinds(verify(rows))).toEqual(['4:altered']);
  });

  it('names an altered and re-hashed record through the broken link of its successor', () => {
    const rows = chain(10);
    const forged = { ...fieldsOf(rows[3]!), actorUsername: 'someone-else' };
    rows[3] = { ...rows[3]!, ...forged, hash: chainHash(rows[3]!.prevHash, forged) };
    const r = verify(rows);
    expect(kinds(r)).toEqual(['5:removed']);
    expect(r.problems[0]!.message).toContain('removed or rewritten');
  });

  it('names removed records in the middle, at the start, and a range', () => {
    expect(kinds(verify(chain(10).filter((r) => r.seq !== '5')))).toEqual(['5:removed']);
    expect(kinds(verify(chain(10).filter((r) => r.seq !== '1')))).toEqual(['1:removed']);
    const r = verify(chain(10).filter((r) => !['4', '5', '6'].includes(r.seq)));
    expect(kinds(r)).toEqual(['4:removed']);
    expect(r.problems[0]!.message).toContain('4–6 (3 records)');
  });

  it('names records swapped between positions as reordered', () => {
    const rows = chain(10);
    const a = rows[4]!;
    const b = rows[5]!;
    rows[4] = { ...b, seq: a.seq };
    rows[5] = { ...a, seq: b.seq };
    const r = verify(rows);
    expect(r.ok).toBe(false);
    expect(kinds(r)).toEqual(['5:reordered', '6:reordered', '7:reordered']);
    expect(r.problems[0]!.message).toContain('now at seq 6');
  });

  it('names a link back to the genesis in the middle of the chain as relinked', () => {
    const rows = chain(6);
    const f = fieldsOf(rows[3]!);
    rows[3] = { ...rows[3]!, prevHash: GENESIS_HASH, hash: chainHash(GENESIS_HASH, f) };
    expect(kinds(verify(rows))).toEqual(['4:relinked', '5:removed']);
  });

  it('starts from the retention anchor after pruning', () => {
    const all = chain(30);
    const kept = all.slice(10);
    const anchor = { firstSeq: '11', prevHash: all[9]!.hash };
    expect(verify(kept, anchor)).toMatchObject({ ok: true, checked: 20, firstSeq: '11' });
    expect(kinds(verify(kept.slice(1), anchor))).toEqual(['11:removed']);
    expect(kinds(verify(kept, { firstSeq: '11', prevHash: GENESIS_HASH }))).toEqual(['11:relinked']);
    expect(kinds(verify(all.slice(9), anchor))).toEqual(['10:relinked']);
  });

  it('catches an anchor moved past the start the last recorded retention run left', () => {
    const all = chain(30);
    // Record 20 is a retention run that kept seq 11 onwards.
    const f = { ...fieldsOf(all[19]!), action: 'audit.prune', details: { removed: 10, retentionDays: 180, firstSeq: '11' } };
    all[19] = { ...all[19]!, ...f, hash: chainHash(all[19]!.prevHash, f) };
    for (let i = 20; i < 30; i++) {
      const g = fieldsOf(all[i]!);
      all[i] = { ...all[i]!, prevHash: all[i - 1]!.hash, hash: chainHash(all[i - 1]!.hash, g) };
    }
    expect(verify(all.slice(10), { firstSeq: '11', prevHash: all[9]!.hash }).ok).toBe(true);
    const r = verify(all.slice(12), { firstSeq: '13', prevHash: all[11]!.hash });
    expect(kinds(r)).toEqual(['11:removed']);
  });

  it('caps the problems it lists but counts them all', () => {
    const rows = chain(50).map((r) => ({ ...r, actorUsername: 'x' }));
    const v = new ChainVerifier(null, 10);
    for (const r of rows) v.add(r);
    const res = v.finish(new Map());
    expect(res).toMatchObject({ ok: false, problemCount: 50, truncated: true });
    expect(res.problems).toHaveLength(10);
  });
});

describe('export formatting', () => {
  it('shows times in Asia/Shanghai', () => {
    expect(shanghaiTime('2026-01-31T20:05:09.123Z')).toBe('2026-02-01 04:05:09');
  });
  it('summarises the filters in Chinese', () => {
    expect(filterSummary({})).toBe('筛选条件：全部记录');
    expect(filterSummary({ actor: 'zhang', outcome: 'failure', action: 'auth.' })).toBe('筛选条件：操作人包含「zhang」；操作以「auth.」开头；结果 失败');
  });
});
