import nodemailer, { type Transporter } from 'nodemailer';
import { hmacSm3Hex } from '../../platform/crypto/index.js';

/** What an external channel sends: the notification's text, and the delivery id (idempotency key for receivers). */
export interface OutgoingMessage {
  deliveryId: string;
  kind: string;
  severity: string;
  title: string;
  body: string;
  /** Absolute link into the web UI, when the notification has one. */
  link: string | null;
  createdAt: Date;
}

export interface SmtpSettings {
  /** smtp:// or smtps:// URL (user and password inside); wins over host/port. */
  url?: string | undefined;
  host?: string | undefined;
  port?: number | undefined;
  secure?: boolean | undefined;
  user?: string | undefined;
  password?: string | undefined;
  from: string;
}

/** E-mail over SMTP (nodemailer). UTF-8 subject and body; Message-ID from the delivery id, so a retry is recognisable. */
export class EmailChannel {
  private readonly transport: Transporter | null;

  constructor(private readonly settings: SmtpSettings | null) {
    if (!settings || (!settings.url && !settings.host)) {
      this.transport = null;
      return;
    }
    const auth = settings.user ? { user: settings.user, pass: settings.password ?? '' } : undefined;
    this.transport = settings.url
      ? nodemailer.createTransport(settings.url)
      : nodemailer.createTransport({
          host: settings.host,
          port: settings.port ?? (settings.secure ? 465 : 587),
          secure: settings.secure ?? false,
          ...(auth ? { auth } : {}),
          connectionTimeout: 15_000,
          greetingTimeout: 15_000,
          socketTimeout: 30_000,
        });
  }

  get configured(): boolean {
    return this.transport !== null;
  }

  async send(to: string, m: OutgoingMessage): Promise<void> {
    if (!this.transport) throw new Error('SMTP is not configured (ZHENGYUN_SMTP_URL or ZHENGYUN_SMTP_HOST)');
    const text = [m.body, m.link ? `\n${m.link}` : '', '\n\n—— 政云 Zhengyun'].join('');
    await this.transport.sendMail({
      from: this.settings!.from,
      to,
      subject: m.title,
      text,
      messageId: `<${m.deliveryId}@zhengyun>`,
      headers: { 'X-Zhengyun-Kind': m.kind },
    });
  }

  close(): void {
    this.transport?.close();
  }
}

export type WebhookFormat = 'generic' | 'wecom' | 'dingtalk' | 'feishu';

const SEVERITY_ZH: Record<string, string> = { info: '通知', warning: '预警', critical: '紧急' };

/** The JSON body of a robot message in the format its platform expects (text / markdown messages). */
export function webhookBody(format: WebhookFormat, m: OutgoingMessage): Record<string, unknown> {
  const head = `【${SEVERITY_ZH[m.severity] ?? '通知'}】${m.title}`;
  const text = [head, m.body, m.link ?? ''].filter(Boolean).join('\n');
  switch (format) {
    case 'wecom':
      return { msgtype: 'markdown', markdown: { content: [`**${head}**`, m.body, m.link ? `[查看详情](${m.link})` : ''].filter(Boolean).join('\n') } };
    case 'dingtalk':
      return { msgtype: 'markdown', markdown: { title: m.title, text: [`#### ${head}`, m.body, m.link ? `[查看详情](${m.link})` : ''].filter(Boolean).join('\n\n') } };
    case 'feishu':
      return { msg_type: 'text', content: { text } };
    case 'generic':
      return { id: m.deliveryId, kind: m.kind, severity: m.severity, title: m.title, body: m.body, link: m.link, createdAt: m.createdAt.toISOString() };
  }
}

/** Signature header value: HMAC-SM3 (hex) over `timestamp + "\n" + body` with the webhook's secret. */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return hmacSm3Hex(secret, `${timestamp}\n${body}`);
}

/**
 * POSTs a robot message. With a secret, headers `X-Zhengyun-Timestamp` (Unix ms) and `X-Zhengyun-Signature`
 * (HMAC-SM3 hex) let the receiver check origin and freshness; `X-Zhengyun-Delivery` is the idempotency key.
 * A non-2xx answer, or a JSON answer with a non-zero `errcode` / `code` (企业微信, 钉钉, 飞书), is a failure.
 */
export async function postWebhook(url: string, format: WebhookFormat, secret: string | null, m: OutgoingMessage, timeoutMs = 10_000): Promise<void> {
  const body = JSON.stringify(webhookBody(format, m));
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', 'x-zhengyun-delivery': m.deliveryId };
  if (secret) {
    const ts = String(Date.now());
    headers['x-zhengyun-timestamp'] = ts;
    headers['x-zhengyun-signature'] = webhookSignature(secret, ts, body);
  }
  const res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
  const answer = await res.text();
  if (!res.ok) throw new Error(`webhook answered HTTP ${res.status}: ${answer.slice(0, 200)}`);
  try {
    const j = JSON.parse(answer) as { errcode?: unknown; code?: unknown; errmsg?: unknown; msg?: unknown };
    const code = j.errcode ?? j.code;
    if (typeof code === 'number' && code !== 0) throw new Error(`webhook refused the message: ${code} ${String(j.errmsg ?? j.msg ?? '')}`.trim());
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e;
  }
}
