/**
 * Field rules of 信息系统 (业务系统数据 in interfaces.json). Pure functions shared by the API and the .xlsx import, so
 * both report the same field and rule. Lengths count characters (code points), not bytes or UTF-16 units.
 */
import type { FieldIssue } from '../../platform/errors.js';

export const SYSTEM_TYPES = ['业务生产系统', '内部办公', '公众服务', '门户网站', '移动APP', '视频系统', '其他'] as const;
/** 信息系统定级情况 as the spec prints it: 一级、二级、三级、未定级. */
export const GRADING_LEVELS = ['一级', '二级', '三级', '未定级'] as const;
export const OPERATING_HOURS = ['7*24小时', '5*8小时', '其他'] as const;
export const NETWORK_NATURES = ['政务外网', '互联网', '政务外网及互联网', '专线'] as const;

/** The editable attributes, as text (dates YYYY-MM-DD); null/absent = not given. */
export interface SystemFields {
  name: string;
  systemType: string;
  gradingLevel: string;
  operatingHours: string;
  serviceAudience: string | null;
  serviceScope: string | null;
  networkNature: string;
  interconnection: string | null;
  functionDescription: string | null;
  preApprovalStatus: string | null;
  otherNotes: string | null;
  cloudTestDate: string | null;
  goLiveDate: string | null;
  exitDate: string | null;
  exitReason: string | null;
  accessUrl: string | null;
  appVendor: string | null;
  contactName: string;
  contactMobile: string;
  contactEmail: string;
  contactLandline: string | null;
  techContactName: string | null;
  techContactMobile: string | null;
}

export const PERSONAL_FIELDS = ['contactMobile', 'contactEmail', 'contactLandline', 'techContactMobile'] as const;

/** Characters as a person counts them (code points): '政务云' is 3, an emoji is 1. */
export const charLength = (s: string): number => [...s].length;

interface Rule {
  /** Format as printed in interfaces.json. */
  format: string;
  min: number;
  max: number;
  required: boolean;
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
const oneOf = (values: readonly string[]) => (v: string) => (values.includes(v) ? null : 'one_of');
const phone = (v: string) => (/^\+?[0-9][0-9 -]*(?:(?:转|ext\.?|#)[0-9]{1,6})?$/.test(v) ? null : 'phone');
const mobile = (v: string) => (/^(?:\+?86[ -]?)?1[3-9][0-9]{9}$/.test(v) ? null : 'mobile');
const email = (v: string) => (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v) ? null : 'email');
const url = (v: string) => (/^https?:\/\/[^\s/]+\S*$/.test(v) ? null : 'url');

export const RULES: Record<keyof SystemFields, Rule> = {
  name: { format: 'an1..200', min: 1, max: 200, required: true },
  systemType: { format: 'an1..50', min: 1, max: 50, required: true, check: oneOf(SYSTEM_TYPES) },
  gradingLevel: { format: 'an1..50', min: 1, max: 50, required: true, check: oneOf(GRADING_LEVELS) },
  operatingHours: { format: 'an1..50', min: 1, max: 50, required: true, check: oneOf(OPERATING_HOURS) },
  serviceAudience: { format: 'an1..200', min: 1, max: 200, required: true },
  serviceScope: { format: 'an1..200', min: 1, max: 200, required: true },
  networkNature: { format: 'an1..50', min: 1, max: 50, required: true, check: oneOf(NETWORK_NATURES) },
  interconnection: { format: 'an1..50', min: 1, max: 50, required: true },
  functionDescription: { format: 'an1..8000', min: 1, max: 8000, required: true },
  preApprovalStatus: { format: 'an1..200', min: 1, max: 200, required: true },
  otherNotes: { format: 'an1..200', min: 1, max: 200, required: false },
  cloudTestDate: { format: 'an10', min: 10, max: 10, required: false, check: date },
  goLiveDate: { format: 'an10', min: 10, max: 10, required: false, check: date },
  exitDate: { format: 'an10', min: 10, max: 10, required: false, check: date },
  exitReason: { format: 'an1..200', min: 1, max: 200, required: false },
  accessUrl: { format: 'an1..200', min: 1, max: 200, required: true, check: url },
  appVendor: { format: 'an1..200', min: 1, max: 200, required: true },
  contactName: { format: 'an1..50', min: 1, max: 50, required: true },
  contactMobile: { format: 'an1..20', min: 1, max: 20, required: true, check: mobile },
  contactEmail: { format: 'an1..50', min: 1, max: 50, required: true, check: email },
  contactLandline: { format: 'an0..20', min: 0, max: 20, required: false, check: phone },
  techContactName: { format: 'an0..50', min: 0, max: 50, required: false },
  techContactMobile: { format: 'an0..20', min: 0, max: 20, required: false, check: mobile },
};

export const FIELD_ORDER = Object.keys(RULES) as Array<keyof SystemFields>;

const RULE_MESSAGES: Record<string, string> = {
  required: 'Required',
  min_length: 'Too short',
  max_length: 'Too long',
  one_of: 'Not one of the allowed values',
  date: 'Must be a date YYYY-MM-DD',
  phone: 'Must be a telephone number',
  mobile: 'Must be a mobile number (11 digits starting with 1)',
  email: 'Must be an e-mail address',
  url: 'Must be a full http:// or https:// address',
  exit_before_go_live: 'The exit date must not be before the go-live date',
  exit_reason_required: 'Give the reason for the exit',
};

/** Trims text and normalises spelling variants the spec itself uses ("7*24 小时", "移动 APP"). */
export function normalise(field: keyof SystemFields, value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  let v = value.trim();
  if (field === 'operatingHours' || field === 'systemType') v = v.replace(/\s+/g, '');
  if (field === 'contactEmail') v = v.toLowerCase();
  return v === '' ? null : v;
}

/**
 * Checks every field against its printed format; `prefix` names the field in the issue (`body.` or `rows[3].`).
 * Returns all issues, never stops at the first.
 */
export function validateSystem(input: Partial<Record<keyof SystemFields, string | null>>, prefix = 'body.'): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const add = (field: string, rule: string, value: unknown, extra = '') =>
    issues.push({ field: `${prefix}${field}`, rule, message: `${RULE_MESSAGES[rule] ?? rule}${extra}`, value });
  for (const field of FIELD_ORDER) {
    const rule = RULES[field];
    const v = input[field] ?? null;
    if (v === null || v === '') {
      if (rule.required) add(field, 'required', v, ` (${rule.format})`);
      continue;
    }
    const n = charLength(v);
    if (n > rule.max) add(field, 'max_length', v, ` (${rule.format}: at most ${rule.max} characters, got ${n})`);
    else if (n < rule.min) add(field, 'min_length', v, ` (${rule.format}: at least ${rule.min} characters, got ${n})`);
    else if (rule.check) {
      const broken = rule.check(v);
      if (broken) add(field, broken, v, ` (${rule.format})`);
    }
  }
  const { goLiveDate, exitDate } = input;
  if (goLiveDate && exitDate && isCalendarDate(goLiveDate) && isCalendarDate(exitDate) && exitDate < goLiveDate) add('exitDate', 'exit_before_go_live', exitDate);
  if (exitDate && !input.exitReason) add('exitReason', 'exit_reason_required', null);
  return issues;
}

/** 13812348000 → 138****8000; short numbers keep only their last two digits. */
export function maskPhone(v: string | null): string | null {
  if (!v) return v;
  const digits = [...v];
  if (digits.length >= 8) return `${digits.slice(0, 3).join('')}****${digits.slice(-4).join('')}`;
  return `****${digits.slice(-2).join('')}`;
}

/** abc@x.cn → a***@x.cn */
export function maskEmail(v: string | null): string | null {
  if (!v) return v;
  const at = v.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${[...v][0]}***${v.slice(at)}`;
}

export function formatSystemNo(unitCode: string, seq: number): string {
  return `${unitCode}${String(seq).padStart(3, '0')}`;
}
