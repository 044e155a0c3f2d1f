import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, unique, type TestApp } from '../../test/harness.js';
import { createOrg, signedInUser } from '../../test/fixtures.js';
import { systemContext } from '../../platform/context.js';

describe('cloud nodes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());

  it('shows every signed-in user which provider runs a node, though RLS hides the provider’s own record from a unit', async () => {
    const provider = await createOrg(t, { kind: 'cloud_provider', name: unique('节点服务商') });
    const code = unique('N').slice(0, 20);
    await t.container.directory.ensureCloudNode(systemContext(), { code, name: '测试节点', cloudType: 'service', providerOrgId: provider.id });
    const unit = await createOrg(t, { kind: 'user_unit' });
    const staff = (await signedInUser(t, { orgId: unit.id, roles: ['unit_staff'] })).session;
    const res = await t.app.inject({ url: '/api/cloud-nodes', headers: staff.headers });
    expect(res.statusCode).toBe(200);
    const node = (res.json().items as Array<{ code: string; provider: { id: string; name: string } | null }>).find((n) => n.code === code);
    expect(node?.provider).toEqual({ id: provider.id, name: provider.name });
    expect((await t.app.inject({ url: `/api/organisations/${provider.id}`, headers: staff.headers })).statusCode).toBe(404);
  });
});
