/**
 * Scanner reports → findings (pure). OpenVAS / Greenbone XML (`<report>` … `<result>`), Nessus `.nessus` v2
 * (`<ReportHost>` … `<ReportItem>`), and tabular exports (.xlsx / .csv) of the Chinese scanners (绿盟 RSAS, 启明 天镜 …)
 * through a column mapping. Hostile XML is refused before parsing: any DOCTYPE or ENTITY declaration (entity
 * expansion, XXE), and files over MAX_REPORT_BYTES.
 */
import { XMLParser } from 'fast-xml-parser';
import ExcelJS from 'exceljs';

export type Severity = 'critical' | 'high' | 'medium' | 'low';
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low'];
export const SEVERITY_CN: Record<Severity, string> = { critical: '紧急', high: '高危', medium: '中危', low: '低危' };

/** One vulnerability on one host and port as a report states it. */
export interface ReportedFinding {
  hostRef: string;
  ip: string | null;
  port: string;
  vulnId: string;
  name: string;
  severity: Severity;
  cve: string[];
  vulnType: string | null;
  description: string | null;
  solution: string | null;
}

/** A row of a report that could not be used: its number (1-based, after the header for tables), field, rule. */
export interface RowError {
  row: number;
  field: string;
  value: string | null;
  rule: string;
  message: string;
}

export interface ParsedReport {
  findings: ReportedFinding[];
  /** Every host the report covered, also those with no finding: a re-scan closes only what is in this scope. */
  scope: string[];
  errors: RowError[];
  scannedAt: Date | null;
}

export class ReportFormatError extends Error {
  constructor(
    readonly rule: string,
    message: string,
  ) {
    super(message);
  }
}

export const MAX_REPORT_BYTES = 64 * 1024 * 1024;

/** Severity words of the scanners (and of the interface's 风险等级 code table 高/中/低), case-insensitive. */
const SEVERITY_WORDS: Record<string, Severity> = {
  紧急: 'critical', 严重: 'critical', 超危: 'critical', critical: 'critical',
  高: 'high', 高危: 'high', 高风险: 'high', high: 'high',
  中: 'medium', 中危: 'medium', 中风险: 'medium', medium: 'medium',
  低: 'low', 低危: 'low', 低风险: 'low', low: 'low',
};
/** Informational results are not vulnerabilities: skipped, not errors. */
const INFO_WORDS = new Set(['信息', '提示', 'info', 'informational', 'log', 'none', '0']);

export function severityOf(word: string | null | undefined): Severity | 'info' | null {
  if (word === null || word === undefined) return null;
  const w = word.trim().toLowerCase();
  if (INFO_WORDS.has(w)) return 'info';
  return SEVERITY_WORDS[w] ?? null;
}

/** CVSS base score → severity (CVSS v3 bands; 0 is informational). */
export function severityOfScore(score: number): Severity | 'info' {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  if (score > 0) return 'low';
  return 'info';
}

const CVE = /CVE-\d{4}-\d{4,}/gi;
const cvesIn = (text: string | null | undefined): string[] => [...new Set((text ?? '').toUpperCase().match(CVE) ?? [])];

function refuseHostileXml(bytes: Buffer): string {
  if (bytes.length > MAX_REPORT_BYTES) throw new ReportFormatError('max_size', `The report is ${bytes.length} bytes; at most ${MAX_REPORT_BYTES} bytes are accepted`);
  const text = bytes.toString('utf8');
  if (/<!DOCTYPE/i.test(text) || /<!ENTITY/i.test(text)) {
    throw new ReportFormatError('no_doctype', 'The XML declares a DOCTYPE or ENTITY: refused (entity expansion and external entities are not allowed in scanner reports)');
  }
  return text;
}

function xmlParser(arrays: readonly string[]): XMLParser {
  return new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    processEntities: false,
    htmlEntities: false,
    allowBooleanAttributes: true,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    isArray: (name) => arrays.includes(name),
  });
}

const text = (v: unknown): string | null => {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') return v.trim() === '' ? null : v.trim();
  if (typeof v === 'number') return String(v);
  if (typeof v === 'object' && '#text' in (v as Record<string, unknown>)) return text((v as Record<string, unknown>)['#text']);
  return null;
};

/** Depth-first search for every element of a name (reports nest <report> in <get_reports_response> and again). */
function collect(node: unknown, name: string, out: unknown[] = []): unknown[] {
  if (Array.isArray(node)) {
    for (const n of node) collect(n, name, out);
  } else if (node !== null && typeof node === 'object') {
    for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
      if (k === name) out.push(...(Array.isArray(v) ? v : [v]));
      else if (!k.startsWith('@')) collect(v, name, out);
    }
  }
  return out;
}

/** OpenVAS / Greenbone report XML (GMP get_reports or the exported report). */
export function parseOpenVas(bytes: Buffer): ParsedReport {
  const xml = refuseHostileXml(bytes);
  let doc: unknown;
  try {
    doc = xmlParser(['result', 'ref', 'host']).parse(xml, true);
  } catch (e) {
    throw new ReportFormatError('xml', `Not well-formed XML: ${(e as Error).message}`);
  }
  const results = collect(doc, 'result') as Array<Record<string, unknown>>;
  if (collect(doc, 'report').length === 0) throw new ReportFormatError('openvas_report', 'No <report> element: this is not an OpenVAS / Greenbone report');
  const findings: ReportedFinding[] = [];
  const errors: RowError[] = [];
  const scope = new Set<string>();
  for (const h of collect(doc, 'host')) {
    const ip = (typeof h === 'object' && h !== null ? text((h as Record<string, unknown>)['ip']) : null) ?? text(h);
    if (ip) scope.add(ip);
  }
  results.forEach((r, i) => {
    const hostEl = Array.isArray(r['host']) ? r['host'][0] : r['host'];
    const ip = text(hostEl);
    const nvt = (r['nvt'] ?? {}) as Record<string, unknown>;
    const name = text(r['name']) ?? text(nvt['name']);
    const row = i + 1;
    if (!ip) return errors.push({ row, field: 'host', value: null, rule: 'required', message: 'The result names no host' });
    scope.add(ip);
    if (!name) return errors.push({ row, field: 'name', value: null, rule: 'required', message: 'The result has no name' });
    const threat = text(r['threat']);
    const score = Number(text(r['severity']) ?? text(nvt['cvss_base']) ?? 'NaN');
    const sev = severityOf(threat) ?? (Number.isFinite(score) ? severityOfScore(score) : null);
    if (sev === null) return errors.push({ row, field: 'threat', value: threat, rule: 'severity', message: `Unknown severity "${threat ?? ''}"` });
    if (sev === 'info') return;
    const refs = collect(nvt['refs'] ?? {}, 'ref') as Array<Record<string, unknown>>;
    const cve = [...new Set([...refs.filter((x) => String(x['@type']).toLowerCase() === 'cve').map((x) => String(x['@id']).toUpperCase()), ...cvesIn(text(nvt['cve']))])];
    findings.push({
      hostRef: ip,
      ip,
      port: text(r['port']) ?? '',
      vulnId: String(nvt['@oid'] ?? cve[0] ?? name),
      name: name.slice(0, 500),
      severity: sev,
      cve,
      vulnType: text(nvt['family']),
      description: text(r['description']),
      solution: text(nvt['solution']),
    });
  });
  const started = collect(doc, 'scan_start').map(text).find((x) => x) ?? null;
  return { findings, scope: [...scope], errors, scannedAt: started && !Number.isNaN(Date.parse(started)) ? new Date(started) : null };
}

/** Nessus v2 (`.nessus`): severity 4 critical, 3 high, 2 medium, 1 low, 0 informational (skipped). */
export function parseNessus(bytes: Buffer): ParsedReport {
  const xml = refuseHostileXml(bytes);
  let doc: unknown;
  try {
    doc = xmlParser(['ReportHost', 'ReportItem', 'cve', 'tag']).parse(xml, true);
  } catch (e) {
    throw new ReportFormatError('xml', `Not well-formed XML: ${(e as Error).message}`);
  }
  const hosts = collect(doc, 'ReportHost') as Array<Record<string, unknown>>;
  if (collect(doc, 'NessusClientData_v2').length === 0) throw new ReportFormatError('nessus_report', 'No <NessusClientData_v2> element: this is not a Nessus v2 report');
  const findings: ReportedFinding[] = [];
  const errors: RowError[] = [];
  const scope = new Set<string>();
  let row = 0;
  let scannedAt: Date | null = null;
  for (const h of hosts) {
    const tags = collect(h['HostProperties'] ?? {}, 'tag') as Array<Record<string, unknown>>;
    const tag = (n: string) => text(tags.find((t) => t['@name'] === n));
    const ip = tag('host-ip') ?? text(h['@name']);
    const start = tag('HOST_START');
    if (start && !scannedAt && !Number.isNaN(Date.parse(start))) scannedAt = new Date(start);
    if (ip) scope.add(ip);
    for (const item of (h['ReportItem'] ?? []) as Array<Record<string, unknown>>) {
      row++;
      if (!ip) {
        errors.push({ row, field: 'ReportHost', value: null, rule: 'required', message: 'The host has no address' });
        continue;
      }
      const sevNum = String(item['@severity'] ?? '');
      const sev = ({ '4': 'critical', '3': 'high', '2': 'medium', '1': 'low', '0': 'info' } as const)[sevNum as '0'] ?? severityOf(text(item['risk_factor']));
      if (!sev) {
        errors.push({ row, field: 'severity', value: sevNum, rule: 'severity', message: `Unknown severity "${sevNum}"` });
        continue;
      }
      if (sev === 'info') continue;
      const name = text(item['@pluginName']) ?? text(item['plugin_name']);
      if (!name) {
        errors.push({ row, field: 'pluginName', value: null, rule: 'required', message: 'The item has no plugin name' });
        continue;
      }
      const port = String(item['@port'] ?? '0');
      const proto = String(item['@protocol'] ?? '');
      const cve = [...new Set(((item['cve'] ?? []) as unknown[]).map((c) => String(text(c)).toUpperCase()).filter((c) => c.startsWith('CVE-')))];
      findings.push({
        hostRef: ip,
        ip,
        port: port === '0' ? '' : proto ? `${port}/${proto}` : port,
        vulnId: `nessus:${String(item['@pluginID'] ?? name)}`,
        name: name.slice(0, 500),
        severity: sev,
        cve,
        vulnType: text(item['@pluginFamily']),
        description: text(item['description']),
        solution: text(item['solution']),
      });
    }
  }
  return { findings, scope: [...scope], errors, scannedAt };
}

/**
 * Column mapping of a tabular export: each target field → the header texts that may carry it (first match wins,
 * compared without spaces). The default fits the usual exports of 绿盟 RSAS and 启明 天镜 (主机/IP地址, 端口, 漏洞名称,
 * 风险等级, CVE编号, 漏洞编号/插件ID, 漏洞类型, 详细描述, 解决办法).
 */
export interface ColumnMapping {
  ip: string[];
  port: string[];
  name: string[];
  severity: string[];
  cve: string[];
  vulnId: string[];
  vulnType: string[];
  description: string[];
  solution: string[];
}

export const DEFAULT_COLUMN_MAPPING: ColumnMapping = {
  ip: ['IP地址', '主机IP', 'IP', '主机地址', '主机', '目标', 'Host'],
  port: ['端口', '端口号', '服务端口', 'Port'],
  name: ['漏洞名称', '漏洞名', '名称', 'Name', 'Vulnerability'],
  severity: ['风险等级', '危险等级', '风险级别', '漏洞等级', '等级', 'Severity', 'Risk'],
  cve: ['CVE编号', 'CVE', 'CVE ID'],
  vulnId: ['漏洞编号', '插件ID', '插件编号', 'ID', 'Plugin ID'],
  vulnType: ['漏洞类型', '类型', '类别', 'Family'],
  description: ['详细描述', '漏洞描述', '描述', 'Description'],
  solution: ['解决办法', '修复建议', '解决方案', '整改建议', 'Solution'],
};

const norm = (s: string) => s.replace(/\s+/g, '').toLowerCase();

/** Rows of a table (header row first) → findings through the mapping. Required: ip, name, severity. */
export function parseTable(rows: Array<Array<string | null>>, mapping: ColumnMapping = DEFAULT_COLUMN_MAPPING): ParsedReport {
  const header = (rows[0] ?? []).map((h) => norm(h ?? ''));
  const col = (key: keyof ColumnMapping): number => {
    for (const candidate of mapping[key]) {
      const i = header.indexOf(norm(candidate));
      if (i >= 0) return i;
    }
    return -1;
  };
  const idx = Object.fromEntries((Object.keys(mapping) as Array<keyof ColumnMapping>).map((k) => [k, col(k)])) as Record<keyof ColumnMapping, number>;
  const missing = (['ip', 'name', 'severity'] as const).filter((k) => idx[k] < 0);
  if (missing.length > 0) {
    throw new ReportFormatError('columns', `The header row lacks the columns for ${missing.join(', ')} (expected one of: ${missing.map((k) => mapping[k].join(' / ')).join('; ')})`);
  }
  const findings: ReportedFinding[] = [];
  const errors: RowError[] = [];
  const scope = new Set<string>();
  rows.slice(1).forEach((r, i) => {
    const row = i + 1;
    const get = (k: keyof ColumnMapping) => (idx[k] >= 0 ? (r[idx[k]] ?? '').toString().trim() || null : null);
    if (r.every((c) => c === null || String(c).trim() === '')) return;
    const ip = get('ip');
    const name = get('name');
    const sevText = get('severity');
    if (!ip) return errors.push({ row, field: 'ip', value: null, rule: 'required', message: 'No host address in this row' });
    scope.add(ip);
    if (!name) return errors.push({ row, field: 'name', value: null, rule: 'required', message: 'No vulnerability name in this row' });
    const sev = severityOf(sevText);
    if (sev === null) return errors.push({ row, field: 'severity', value: sevText, rule: 'severity', message: `Unknown severity "${sevText ?? ''}" (expected 紧急/高危/中危/低危/信息 or Critical/High/Medium/Low/Info)` });
    if (sev === 'info') return;
    const cve = cvesIn(get('cve'));
    findings.push({
      hostRef: ip,
      ip,
      port: get('port') ?? '',
      vulnId: get('vulnId') ?? cve[0] ?? name,
      name: name.slice(0, 500),
      severity: sev,
      cve,
      vulnType: get('vulnType'),
      description: get('description'),
      solution: get('solution'),
    });
  });
  return { findings, scope: [...scope], errors, scannedAt: null };
}

/** RFC 4180 CSV (quotes, doubled quotes, CRLF or LF; a UTF-8 BOM is dropped). */
export function parseCsv(textIn: string): string[][] {
  const s = textIn.charCodeAt(0) === 0xfeff ? textIn.slice(1) : textIn;
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quoted) {
      if (c === '"') {
        if (s[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && s[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** The first worksheet of an .xlsx as rows of text. */
export async function xlsxRows(bytes: Buffer): Promise<string[][]> {
  if (bytes.length > MAX_REPORT_BYTES) throw new ReportFormatError('max_size', `The file is ${bytes.length} bytes; at most ${MAX_REPORT_BYTES} bytes are accepted`);
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (e) {
    throw new ReportFormatError('xlsx', `Not a readable .xlsx file: ${(e as Error).message}`);
  }
  const ws = wb.worksheets[0];
  if (!ws) throw new ReportFormatError('xlsx', 'The workbook has no worksheet');
  const rows: string[][] = [];
  ws.eachRow({ includeEmpty: false }, (r) => {
    const values: string[] = [];
    for (let c = 1; c <= ws.columnCount; c++) {
      const v = r.getCell(c).value as unknown;
      values.push(v === null || v === undefined ? '' : typeof v === 'object' && v !== null && 'text' in v ? String((v as { text: unknown }).text) : typeof v === 'object' && v !== null && 'result' in v ? String((v as { result: unknown }).result) : String(v));
    }
    rows.push(values);
  });
  return rows;
}

/** The dedup key of a finding: host reference, port and vulnerability id. */
export const dedupKey = (f: Pick<ReportedFinding, 'hostRef' | 'port' | 'vulnId'>) => `${f.hostRef}|${f.port}|${f.vulnId}`;
