import { describe, expect, it } from 'vitest';
import { webhookBody, webhookSignature, type OutgoingMessage } from './notifications.channels.js';
import { deadlineStage, MAX_ATTEMPTS, retryDelayMs } from './notifications.deadlines.js';
import { keyPeriodInputSchema } from './notifications.schemas.js';
import { hmacSm3Hex } from '../../platform/crypto/index.js';

const at = (h: number) => new Date(Date.UTC(2026, 2, 2, h));

describe('deadline stages', () => {
  it('warns from 80 % of the allowed time, is due from the due time', () => {
    expect(deadlineStage({ startedAt: at(0), dueAt: at(10), now: at(7) })).toBe('none');
    expect(deadlineStage({ startedAt: at(0), dueAt: at(10), now: at(8) })).toBe('warning');
    expect(deadlineStage({ startedAt: at(0), dueAt: at(10), now: at(10) })).toBe('due');
    expect(deadlineStage({ startedAt: at(0), dueAt: at(10), now: at(11) })).toBe('due');
  });
  it('uses working time when given (a night does not count)', () => {
    // 7.5 working hours allowed, 5 used although 20 clock hours passed: no warning yet.
    expect(deadlineStage({ startedAt: at(0), dueAt: at(30), now: at(20), elapsedMs: 5 * 3_600_000, allowedMs: 7.5 * 3_600_000 })).toBe('none');
    expect(deadlineStage({ startedAt: at(0), dueAt: at(30), now: at(20), elapsedMs: 6 * 3_600_000, allowedMs: 7.5 * 3_600_000 })).toBe('warning');
  });
  it('backs off 1, 2, 4 … minutes up to an hour', () => {
    expect([1, 2, 3, 4].map(retryDelayMs)).toEqual([60_000, 120_000, 240_000, 480_000]);
    expect(retryDelayMs(20)).toBe(3_600_000);
    expect(MAX_ATTEMPTS).toBeGreaterThan(3);
  });
});

describe('robot messages', () => {
  const m: OutgoingMessage = { deliveryId: 'd1', kind: 'workflow.overdue', severity: 'critical', title: '办理超时', body: '请尽快办理', link: 'https://x/todo', createdAt: at(1) };
  it('shapes the body per platform', () => {
    expect(webhookBody('wecom', m)).toEqual({ msgtype: 'markdown', markdown: { content: '**【紧急】办理超时**\n请尽快办理\n[查看详情](https://x/todo)' } });
    expect(webhookBody('dingtalk', m)).toMatchObject({ msgtype: 'markdown', markdown: { title: '办理超时' } });
    expect(webhookBody('feishu', m)).toEqual({ msg_type: 'text', content: { text: '【紧急】办理超时\n请尽快办理\nhttps://x/todo' } });
    expect(webhookBody('generic', m)).toMatchObject({ id: 'd1', kind: 'workflow.overdue', title: '办理超时', createdAt: at(1).toISOString() });
  });
  it('signs timestamp and body with HMAC-SM3', () => {
    expect(webhookSignature('k', '1700000000000', '{"a":1}')).toBe(hmacSm3Hex('k', '1700000000000\n{"a":1}'));
    expect(webhookSignature('k', '1700000000000', '{"a":1}')).not.toBe(webhookSignature('k', '1700000000001', '{"a":1}'));
  });
});

describe('key-guarantee period input', () => {
  const base = { name: '两会', startsAt: '2026-03-01T00:00:00+08:00', endsAt: '2026-03-15T00:00:00+08:00' };
  it('names the field and the rule', () => {
    expect(keyPeriodInputSchema.safeParse(base).success).toBe(true);
    const back = keyPeriodInputSchema.safeParse({ ...base, endsAt: base.startsAt });
    expect(back.error?.issues[0]).toMatchObject({ path: ['endsAt'], message: 'must be after startsAt' });
    const nodes = keyPeriodInputSchema.safeParse({ ...base, scope: 'nodes' });
    expect(nodes.error?.issues[0]?.path).toEqual(['nodeIds']);
  });
});
