import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * A throw-away OpenLDAP server for the LDAP tests: its own slapd process on free loopback ports (ldap:// and ldaps:// with
 * a self-signed certificate), a generated slapd.conf and an mdb database in a temporary directory, loaded with the
 * users below through slapadd. Needs Debian's `slapd` and `ldap-utils` (and `openssl`); CI installs them.
 */

export const BASE_DN = 'dc=zhengyun,dc=test';
export const SERVICE_DN = `cn=reader,ou=services,${BASE_DN}`;
export const SERVICE_PASSWORD = 'Reader-pw-2026';

export interface TestUser {
  uid: string;
  password: string | null;
  dn: string;
  cn: string;
  mail?: string;
  phone?: string;
}

export const USERS = {
  alice: { uid: 'alice', password: 'Alice-pw-1!', dn: `uid=alice,ou=people,${BASE_DN}`, cn: 'Alice Wang', mail: 'alice@zhengyun.test', phone: '+86 10 6500 0001' },
  zhangsan: { uid: 'zhangsan', password: '张三的密码Zs9', dn: `uid=zhangsan,ou=people,${BASE_DN}`, cn: '张三', mail: 'zhangsan@zhengyun.test' },
  nopass: { uid: 'nopass', password: null, dn: `uid=nopass,ou=people,${BASE_DN}`, cn: 'No Password' },
  dupPeople: { uid: 'dup', password: 'Dup-pw-1', dn: `uid=dup,ou=people,${BASE_DN}`, cn: 'Dup One' },
  dupStaff: { uid: 'dup', password: 'Dup-pw-2', dn: `uid=dup,ou=staff,${BASE_DN}`, cn: 'Dup Two' },
} satisfies Record<string, TestUser>;

/** An Active Directory–shaped entry (objectClass `user`, `sAMAccountName`). */
export const AD_USER = {
  sAMAccountName: 'lisi',
  password: 'Lisi-pw-3#',
  dn: `cn=Li Si,ou=ad,${BASE_DN}`,
  displayName: '李四',
  mail: 'lisi@zhengyun.test',
  phone: '010-6500-0003',
};

export interface Slapd {
  url: string;
  ldapsUrl: string;
  stop(): Promise<void>;
}

const SCHEMA_DIR = '/etc/ldap/schema';
const MODULE_DIR = '/usr/lib/ldap';

export const SLAPD_MISSING =
  'The LDAP tests need OpenLDAP from Debian: run `apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y slapd ldap-utils` (see docs/ldap.md)';

/** Fails (never skips) with the command that installs what is missing. */
export function requireSlapd(
  dirs: readonly string[] = ['/usr/sbin', '/usr/bin', '/sbin', '/bin', ...(process.env.PATH ?? '').split(':').filter(Boolean)],
  schemaDir = SCHEMA_DIR,
): { slapd: string; slapadd: string; slappasswd: string } {
  const find = (name: string) => dirs.map((d) => path.join(d, name)).find((p) => fs.existsSync(p));
  const slapd = find('slapd');
  const slapadd = find('slapadd');
  const slappasswd = find('slappasswd');
  if (!slapd || !slapadd || !slappasswd || !fs.existsSync(path.join(schemaDir, 'inetorgperson.schema'))) {
    throw new Error(SLAPD_MISSING);
  }
  return { slapd, slapadd, slappasswd };
}

export async function startSlapd(): Promise<Slapd> {
  const bin = requireSlapd();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zy-slapd-'));
  const dbDir = path.join(dir, 'db');
  fs.mkdirSync(dbDir);
  const hash = (pw: string) => execFileSync(bin.slappasswd, ['-h', '{SSHA}', '-s', pw], { encoding: 'utf8' }).trim();

  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')],
    { stdio: 'ignore' },
  );

  // The little of Active Directory's schema a sign-in needs, with AD's OIDs. Debian's msuser.schema defines
  // sAMAccountName without an equality rule, so (sAMAccountName=x) would never match there.
  const adSchema = path.join(dir, 'ad.schema');
  fs.writeFileSync(
    adSchema,
    [
      "attributetype ( 1.2.840.113556.1.4.221 NAME 'sAMAccountName' EQUALITY caseIgnoreMatch SUBSTR caseIgnoreSubstringsMatch",
      '  SYNTAX 1.3.6.1.4.1.1466.115.121.1.15{256} SINGLE-VALUE )',
      "attributetype ( 1.2.840.113556.1.4.656 NAME 'userPrincipalName' EQUALITY caseIgnoreMatch SUBSTR caseIgnoreSubstringsMatch",
      '  SYNTAX 1.3.6.1.4.1.1466.115.121.1.15{1024} SINGLE-VALUE )',
      "objectclass ( 1.2.840.113556.1.5.9 NAME 'user' SUP organizationalPerson STRUCTURAL",
      '  MAY ( sAMAccountName $ userPrincipalName $ displayName $ mail $ givenName ) )',
      '',
    ].join('\n'),
  );

  const conf = path.join(dir, 'slapd.conf');
  fs.writeFileSync(
    conf,
    [
      ...['core', 'cosine', 'inetorgperson'].map((s) => `include ${SCHEMA_DIR}/${s}.schema`),
      `include ${adSchema}`,
      `pidfile ${path.join(dir, 'slapd.pid')}`,
      `argsfile ${path.join(dir, 'slapd.args')}`,
      `modulepath ${MODULE_DIR}`,
      'moduleload back_mdb',
      `TLSCertificateFile ${path.join(dir, 'cert.pem')}`,
      `TLSCertificateKeyFile ${path.join(dir, 'key.pem')}`,
      'database mdb',
      'maxsize 10485760',
      `suffix "${BASE_DN}"`,
      `rootdn "cn=admin,${BASE_DN}"`,
      `rootpw ${hash('Admin-pw-root')}`,
      `directory ${dbDir}`,
      // Passwords are only ever used to bind; nothing reads them. Anonymous clients see nothing.
      'access to attrs=userPassword by self write by anonymous auth by * none',
      'access to * by users read by * none',
      '',
    ].join('\n'),
  );

  const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
  const attr = (name: string, value: string) => (/^[\x20-\x7e]*$/.test(value) && !value.startsWith(' ') ? `${name}: ${value}` : `${name}:: ${b64(value)}`);
  const entries: string[][] = [
    [`dn: ${BASE_DN}`, 'objectClass: dcObject', 'objectClass: organization', 'o: Zhengyun test', 'dc: zhengyun'],
    ...['people', 'staff', 'services', 'ad'].map((ou) => [`dn: ou=${ou},${BASE_DN}`, 'objectClass: organizationalUnit', `ou: ${ou}`]),
    [`dn: ${SERVICE_DN}`, 'objectClass: organizationalRole', 'objectClass: simpleSecurityObject', 'cn: reader', `userPassword: ${hash(SERVICE_PASSWORD)}`],
    ...Object.values(USERS).map((u: TestUser) => [
      `dn: ${u.dn}`,
      'objectClass: inetOrgPerson',
      `uid: ${u.uid}`,
      attr('cn', u.cn),
      attr('sn', u.cn),
      ...(u.mail ? [`mail: ${u.mail}`] : []),
      ...(u.phone ? [`telephoneNumber: ${u.phone}`] : []),
      ...(u.password ? [`userPassword: ${hash(u.password)}`] : []),
    ]),
    [
      `dn: ${AD_USER.dn}`,
      'objectClass: user',
      `userPrincipalName: lisi@zhengyun.test`,
      'cn: Li Si',
      'sn: Li',
      `sAMAccountName: ${AD_USER.sAMAccountName}`,
      attr('displayName', AD_USER.displayName),
      `mail: ${AD_USER.mail}`,
      `telephoneNumber: ${AD_USER.phone}`,
      `userPassword: ${hash(AD_USER.password)}`,
    ],
  ];
  const ldif = path.join(dir, 'data.ldif');
  fs.writeFileSync(ldif, entries.map((e) => e.join('\n')).join('\n\n') + '\n');
  try {
    execFileSync(bin.slapadd, ['-f', conf, '-l', ldif], { stdio: 'pipe' });
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`slapadd failed: ${String((e as { stderr?: Buffer }).stderr ?? e)}`, { cause: e });
  }

  const port = await freePort();
  const tlsPort = await freePort();
  const url = `ldap://127.0.0.1:${port}`;
  const ldapsUrl = `ldaps://127.0.0.1:${tlsPort}`;
  const child: ChildProcess = spawn(bin.slapd, ['-f', conf, '-h', `${url}/ ${ldapsUrl}/`, '-d', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const stop = async () => {
    process.off('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await stop();
      throw new Error(`slapd exited at start-up: ${output.trim()}`);
    }
    if ((await canConnect(port)) && (await canConnect(tlsPort))) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`slapd did not listen on ${url} within 15 s: ${output.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { url, ldapsUrl, stop };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * The LDAP settings are one row for the whole database, and test files run in parallel: each file that writes it holds
 * this session-level advisory lock (on its own owner connection) from its first write to its end.
 */
export async function lockLdapSettings(client: { query(sql: string): Promise<unknown> }): Promise<void> {
  await client.query('select pg_advisory_lock(784201777)');
}
