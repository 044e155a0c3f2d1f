import type { RequestContext } from '../../platform/context.js';
import { systemContext } from '../../platform/context.js';
import { withTx, type Db } from '../../platform/db/database.js';
import type { FieldCipher } from '../../platform/crypto/sm.js';
import type { Logger } from '../../platform/logger.js';
import { recordAudit } from '../audit/index.js';
import { ldapFailure, verifyLdapCredentials, type LdapConnectionConfig, type LdapVerifyResult } from './ldap.client.js';
import { findSetting, saveSetting } from './settings.repository.js';
import {
  DEFAULT_LDAP_SETTINGS,
  storedLdapSettingsSchema,
  type LdapSettingsUpdate,
  type LdapSettingsView,
  type LdapTestResult,
  type StoredLdapSettings,
} from './settings.schemas.js';

export interface SettingsDeps {
  db: Db;
  cipher: FieldCipher;
  logger?: Logger;
}

/** LDAP settings as loaded for a sign-in: decrypted, ready for the client, or why they cannot be used. */
export type LoadedLdap = { enabled: boolean; config: LdapConnectionConfig } | { enabled: boolean; error: LdapVerifyResult & { ok: false } };

/**
 * System settings (系统配置) owned by the system administrator: LDAP / Active Directory sign-in for now. Every write
 * and every connection test is audited; the bind password is stored SM4-encrypted and never returned.
 */
export class SettingsService {
  constructor(private readonly deps: SettingsDeps) {}

  async getLdap(ctx: RequestContext): Promise<LdapSettingsView> {
    return withTx(this.deps.db, ctx, async (trx) => {
      const row = await findSetting(trx, 'ldap');
      return toView(parseStored(row?.value), row?.updatedAt ?? null);
    });
  }

  async updateLdap(ctx: RequestContext, input: LdapSettingsUpdate): Promise<LdapSettingsView> {
    return withTx(this.deps.db, ctx, async (trx) => {
      const row = await findSetting(trx, 'ldap', { forUpdate: true });
      const before = parseStored(row?.value);
      const { bindPassword, ...rest } = input;
      const next: StoredLdapSettings = {
        ...rest,
        bindDn: rest.bindDn.trim(),
        userSearchBase: rest.userSearchBase.trim(),
        bindPasswordEnc:
          bindPassword === undefined ? before.bindPasswordEnc : bindPassword === null ? null : this.deps.cipher.encrypt(bindPassword),
      };
      const updatedAt = await saveSetting(trx, 'ldap', next, ctx.actor.kind === 'user' ? ctx.actor.userId : null);
      const view = toView(next, updatedAt);
      await recordAudit(trx, ctx, {
        action: 'settings.ldap_update',
        targetType: 'system_setting',
        targetId: 'ldap',
        before: row ? toView(before, row.updatedAt) : null,
        after: view,
        details: { bindPassword: bindPassword === undefined ? 'kept' : bindPassword === null ? 'removed' : 'replaced' },
      });
      return view;
    });
  }

  /**
   * Tries a sign-in against the stored settings (enabled or not, so they can be checked before switching on) and
   * audits the attempt. The password is neither stored nor logged.
   */
  async testLdap(ctx: RequestContext, username: string, password: string): Promise<LdapTestResult> {
    const loaded = await this.loadLdap(ctx);
    const result = 'config' in loaded ? await verifyLdapCredentials(loaded.config, username, password) : loaded.error;
    await withTx(this.deps.db, ctx, (trx) =>
      recordAudit(trx, ctx, {
        action: 'settings.ldap_test',
        targetType: 'system_setting',
        targetId: 'ldap',
        outcome: result.ok ? 'success' : 'failure',
        details: result.ok ? { username, dn: result.profile.dn } : { username, reason: result.reason, message: result.message },
      }),
    );
    if (result.ok) {
      const { dn, ...attributes } = result.profile;
      return { ok: true, dn, attributes };
    }
    return { ok: false, error: { code: `settings.ldap.${result.reason}`, message: result.message } };
  }

  /** Loads and decrypts the LDAP settings. */
  async loadLdap(ctx: RequestContext = systemContext('ldap')): Promise<LoadedLdap> {
    const stored = await withTx(this.deps.db, ctx, async (trx) => parseStored((await findSetting(trx, 'ldap'))?.value));
    let bindPassword: string | null = null;
    if (stored.bindPasswordEnc) {
      try {
        bindPassword = this.deps.cipher.decrypt(stored.bindPasswordEnc);
      } catch (e) {
        this.deps.logger?.error({ err: e }, 'LDAP bind password cannot be decrypted');
        return {
          enabled: stored.enabled,
          error: ldapFailure('service_bind_failed', 'the stored bind password cannot be decrypted (was the master key changed?); enter it again'),
        };
      }
    }
    const { bindPasswordEnc: _enc, enabled, ...rest } = stored;
    return { enabled, config: { ...rest, bindPassword } };
  }
}

function parseStored(value: unknown): StoredLdapSettings {
  if (value === undefined || value === null) return DEFAULT_LDAP_SETTINGS;
  const parsed = storedLdapSettingsSchema.safeParse({ ...DEFAULT_LDAP_SETTINGS, ...(value as object) });
  return parsed.success ? parsed.data : DEFAULT_LDAP_SETTINGS;
}

function toView(s: StoredLdapSettings, updatedAt: Date | null): LdapSettingsView {
  return {
    enabled: s.enabled,
    url: s.url,
    startTls: s.startTls,
    tlsRejectUnauthorized: s.tlsRejectUnauthorized,
    bindDn: s.bindDn,
    bindPasswordSet: s.bindPasswordEnc !== null,
    userSearchBase: s.userSearchBase,
    userFilter: s.userFilter,
    attributes: { ...s.attributes },
    timeoutMs: s.timeoutMs,
    updatedAt: updatedAt ? updatedAt.toISOString() : null,
  };
}
