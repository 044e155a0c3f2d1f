import { describe, expect, it } from 'vitest';
import { charLength, formatSystemNo, maskEmail, maskPhone, validateSystem, type SystemFields } from './systems.rules.js';

const valid: SystemFields = {
  name: '政务服务网上办事大厅',
  systemType: '公众服务',
  gradingLevel: '三级',
  operatingHours: '7*24小时',
  serviceAudience: '社会公众',
  serviceScope: '全市',
  networkNature: '政务外网及互联网',
  interconnection: '与本单位其他系统连接',
  functionDescription: '网上办事',
  preApprovalStatus: '已审批',
  otherNotes: null,
  cloudTestDate: '2024-01-10',
  goLiveDate: '2024-02-29',
  exitDate: null,
  exitReason: null,
  accessUrl: 'https://banshi.beijing.gov.cn/',
  appVendor: '某软件公司',
  contactName: '张三',
  contactMobile: '13812348000',
  contactEmail: 'abc@x.cn',
  contactLandline: '010-12345678',
  techContactName: null,
  techContactMobile: null,
};
const rules = (over: Partial<SystemFields>) => validateSystem({ ...valid, ...over }).map((i) => `${i.field}:${i.rule}`);

describe('information system field rules (业务系统数据)', () => {
  it('accepts a complete valid system', () => expect(rules({})).toEqual([]));

  it('counts characters, not bytes: 200 Chinese characters fit an1..200, 201 do not', () => {
    expect(rules({ name: '政'.repeat(200) })).toEqual([]);
    expect(rules({ name: '政'.repeat(201) })).toEqual(['body.name:max_length']);
    expect(charLength('𠀀政')).toBe(2);
    expect(rules({ contactName: '𠀀'.repeat(50) })).toEqual([]);
  });

  it('an10 dates are real calendar dates YYYY-MM-DD; the exit is not before the go-live', () => {
    expect(rules({ goLiveDate: '2023-02-29' })).toEqual(['body.goLiveDate:date']);
    expect(rules({ goLiveDate: '2024/02/01' })).toEqual(['body.goLiveDate:date']);
    expect(rules({ goLiveDate: '2024-2-1' })).toEqual(['body.goLiveDate:min_length']);
    expect(rules({ exitDate: '2024-02-28', exitReason: '迁移' })).toEqual(['body.exitDate:exit_before_go_live']);
    expect(rules({ exitDate: '2024-02-29', exitReason: '迁移' })).toEqual([]);
    expect(rules({ exitDate: '2024-03-01' })).toEqual(['body.exitReason:exit_reason_required']);
  });

  it('code lists of the spec', () => {
    expect(rules({ gradingLevel: '四级' })).toEqual(['body.gradingLevel:one_of']);
    expect(rules({ networkNature: '专线' })).toEqual([]);
    expect(rules({ networkNature: '内网' })).toEqual(['body.networkNature:one_of']);
    expect(rules({ systemType: '移动APP' })).toEqual([]);
    expect(rules({ operatingHours: '24小时' })).toEqual(['body.operatingHours:one_of']);
  });

  it('required an1.. fields, optional an0.. fields, contacts', () => {
    expect(rules({ name: '', contactLandline: null, techContactName: null })).toEqual(['body.name:required']);
    expect(rules({ contactMobile: '1381234800' })).toEqual(['body.contactMobile:mobile']);
    expect(rules({ contactEmail: 'a@b' })).toEqual(['body.contactEmail:email']);
    expect(rules({ contactEmail: `${'a'.repeat(46)}@x.cn` })).toEqual(['body.contactEmail:max_length']);
    expect(rules({ accessUrl: 'banshi.beijing.gov.cn' })).toEqual(['body.accessUrl:url']);
    expect(rules({ functionDescription: 'x'.repeat(8001) })).toEqual(['body.functionDescription:max_length']);
  });

  it('reports every broken field at once, naming field and rule', () => {
    const issues = validateSystem({ ...valid, name: null, gradingLevel: '五级', contactEmail: 'x' });
    expect(issues.map((i) => i.field)).toEqual(['body.name', 'body.gradingLevel', 'body.contactEmail']);
    expect(issues[0]!.message).toContain('an1..200');
  });

  it('masks and numbers', () => {
    expect(maskPhone('13812348000')).toBe('138****8000');
    expect(maskEmail('abc@x.cn')).toBe('a***@x.cn');
    expect(formatSystemNo('110101', 1)).toBe('110101001');
    expect(formatSystemNo('110101', 1000)).toBe('1101011000');
  });
});
