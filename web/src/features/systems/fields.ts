/**
 * The 信息系统 field rules as the server checks them (server/src/modules/directory/systems.rules.ts): formats of the
 * 业务系统数据 table, lengths in characters (code points), dates YYYY-MM-DD, exit not before go-live.
 */
export const SYSTEM_TYPES = ['业务生产系统', '内部办公', '公众服务', '门户网站', '移动APP', '视频系统', '其他'] as const;
export const GRADING_LEVELS = ['一级', '二级', '三级', '未定级'] as const;
export const OPERATING_HOURS = ['7*24小时', '5*8小时', '其他'] as const;
export const NETWORK_NATURES = ['政务外网', '互联网', '政务外网及互联网', '专线'] as const;

export type FieldName =
  | 'name' | 'systemType' | 'gradingLevel' | 'operatingHours' | 'serviceAudience' | 'serviceScope' | 'networkNature'
  | 'interconnection' | 'functionDescription' | 'preApprovalStatus' | 'otherNotes' | 'cloudTestDate' | 'goLiveDate'
  | 'exitDate' | 'exitReason' | 'accessUrl' | 'appVendor' | 'contactName' | 'contactMobile' | 'contactEmail'
  | 'contactLandline' | 'techContactName' | 'techContactMobile';

export type Kind = 'text' | 'long' | 'date' | 'select';
export interface FieldRule {
  min: number;
  max: number;
  required: boolean;
  kind: Kind;
  options?: readonly string[];
  check?: (v: string) => string | null;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
export function isCalendarDate(v: string): boolean {
  const m = DATE_RE.exec(v);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}
const date = (v: string) => (isCalendarDate(v) ? null : 'date');
const phone = (v: string) => (/^\+?[0-9][0-9 -]*(?:(?:转|ext\.?|#)[0-9]{1,6})?$/.test(v) ? null : 'phone');
const mobile = (v: string) => (/^(?:\+?86[ -]?)?1[3-9][0-9]{9}$/.test(v) ? null : 'mobile');
const email = (v: string) => (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v) ? null : 'email');
const url = (v: string) => (/^https?:\/\/[^\s/]+\S*$/.test(v) ? null : 'url');

const r = (min: number, max: number, required: boolean, kind: Kind = 'text', extra: Partial<FieldRule> = {}): FieldRule => ({ min, max, required, kind, ...extra });

export const FIELDS: Record<FieldName, FieldRule> = {
  name: r(1, 200, true),
  systemType: r(1, 50, true, 'select', { options: SYSTEM_TYPES }),
  gradingLevel: r(1, 50, true, 'select', { options: GRADING_LEVELS }),
  operatingHours: r(1, 50, true, 'select', { options: OPERATING_HOURS }),
  serviceAudience: r(1, 200, true),
  serviceScope: r(1, 200, true),
  networkNature: r(1, 50, true, 'select', { options: NETWORK_NATURES }),
  interconnection: r(1, 50, true),
  functionDescription: r(1, 8000, true, 'long'),
  preApprovalStatus: r(1, 200, true),
  otherNotes: r(1, 200, false),
  cloudTestDate: r(10, 10, false, 'date', { check: date }),
  goLiveDate: r(10, 10, false, 'date', { check: date }),
  exitDate: r(10, 10, false, 'date', { check: date }),
  exitReason: r(1, 200, false),
  accessUrl: r(1, 200, true, 'text', { check: url }),
  appVendor: r(1, 200, true),
  contactName: r(1, 50, true),
  contactMobile: r(1, 20, true, 'text', { check: mobile }),
  contactEmail: r(1, 50, true, 'text', { check: email }),
  contactLandline: r(0, 20, false, 'text', { check: phone }),
  techContactName: r(0, 50, false),
  techContactMobile: r(0, 20, false, 'text', { check: mobile }),
};

export const FIELD_ORDER = Object.keys(FIELDS) as FieldName[];
export const CONTACT_FIELDS: FieldName[] = ['contactMobile', 'contactEmail', 'contactLandline', 'techContactMobile'];

/** Characters as a person counts them (code points). */
export const charLength = (s: string): number => [...s].length;

/** The broken rule of one value (same names as the server's), or null. */
export function ruleOf(field: FieldName, raw: string | null | undefined): { rule: string; max?: number; min?: number } | null {
  const rule = FIELDS[field];
  const v = (raw ?? '').trim();
  if (!v) return rule.required ? { rule: 'required' } : null;
  const n = charLength(v);
  if (n > rule.max) return { rule: 'max_length', max: rule.max };
  if (n < rule.min) return { rule: 'min_length', min: rule.min };
  if (rule.options && !rule.options.includes(v.replace(/\s+/g, ''))) return { rule: 'one_of' };
  const broken = rule.check?.(v);
  return broken ? { rule: broken } : null;
}
