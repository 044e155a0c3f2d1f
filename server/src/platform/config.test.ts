import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('configuration', () => {
  it('reads environment variables with their types and defaults', () => {
    const c = loadConfig({}, { ZHENGYUN_PORT: '9090', ZHENGYUN_DEMO: 'no', ZHENGYUN_ROLE: 'api' });
    expect(c.port).toBe(9090);
    expect(c.demo).toBe(false);
    expect(c.role).toBe('api');
    expect(c.host).toBe('127.0.0.1');
  });

  it('stops with a message naming the key, its variable and the rule', () => {
    expect(() => loadConfig({}, { ZHENGYUN_PORT: 'abc', ZHENGYUN_MASTER_KEY: 'short', DATABASE_URL: 'mysql://x' })).toThrow(ConfigError);
    let m = '';
    try {
      loadConfig({}, { ZHENGYUN_PORT: '70000', ZHENGYUN_MASTER_KEY: 'short', DATABASE_URL: 'mysql://x', ZHENGYUN_DEMO: 'maybe' });
    } catch (e) {
      m = (e as Error).message;
    }
    expect(m).toContain('port (ZHENGYUN_PORT): must be at most 65535');
    expect(m).toContain('masterKey (ZHENGYUN_MASTER_KEY): must be 32 hexadecimal characters');
    expect(m).toContain('databaseUrl (DATABASE_URL): must be a postgres:// URL');
    expect(m).toContain('demo (ZHENGYUN_DEMO): must be true or false');
  });

  it('lets command-line flags win over the environment', () => {
    expect(loadConfig({ port: '7000' }, { ZHENGYUN_PORT: '9090' }).port).toBe(7000);
  });
});
