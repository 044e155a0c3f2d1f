-- Service catalog (服务目录), provider price lists (报价) and budget estimates (预算测算) — issue 3.
-- The first catalog version is seed 004 §3.1 (catalog.json) and is loaded here, as data, so that every database has
-- exactly one, transactional, versioned copy (see docs/decisions.md "Catalog seed as a data migration").

-- Catalog versions: edited as a draft (a copy of a published version), then published; never edited once published.
create table catalog_versions (
  id uuid primary key default gen_random_uuid(),
  version_no integer not null unique check (version_no > 0),
  name text not null check (char_length(name) between 1 and 100),
  status text not null default 'draft' check (status in ('draft','published','retired')),
  -- Effective dates (null = from the framework agreement's signing / open-ended).
  effective_from date,
  effective_to date,
  framework_period text check (char_length(framework_period) <= 200),
  based_on_id uuid references catalog_versions(id),
  source text check (char_length(source) <= 300),
  published_at timestamptz,
  published_by uuid references users(id),
  created_by uuid references users(id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (effective_to is null or effective_from is null or effective_to >= effective_from)
);

-- Items of a version: basic 基础服务 (priced, weighted), baseline 基础安全保障 (free), extension 扩展服务 (providers price).
create table catalog_items (
  id uuid primary key default gen_random_uuid(),
  version_id uuid not null references catalog_versions(id) on delete cascade,
  code text not null check (code ~ '^[0-9A-Za-z_-]{1,20}$'),
  kind text not null check (kind in ('basic','baseline','extension')),
  category text not null check (char_length(category) between 1 and 100),
  subcategory text check (char_length(subcategory) <= 100),
  item text not null check (char_length(item) between 1 and 500),
  english_name text check (char_length(english_name) <= 200),
  -- Billing unit as printed, and parsed: factor × unit symbol of a dimension (`100 GB` → 100, GB, data).
  billing_unit_text text check (char_length(billing_unit_text) <= 30),
  unit_factor numeric(12,4),
  unit_symbol text,
  unit_dimension text check (unit_dimension in ('data','bandwidth','vcpu','tflops','count')),
  billing_period text check (billing_period in ('month','year','occurrence','message','certificate_year','one_off')),
  price_period_text text check (char_length(price_period_text) <= 20),
  max_unit_price numeric(14,2) check (max_unit_price >= 0),
  weight numeric(7,6) check (weight >= 0 and weight <= 1),
  remark text check (char_length(remark) <= 500),
  aliases text[] not null default '{}',
  sort_order integer not null,
  status text not null default 'active' check (status in ('active','retired')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (version_id, code),
  check (kind <> 'basic' or (billing_unit_text is not null and billing_period is not null))
);
create index catalog_items_version_idx on catalog_items (version_id, sort_order);

-- Provider price lists: one cloud provider's unit prices for a catalog version, with effective dates.
create table price_lists (
  id uuid primary key default gen_random_uuid(),
  provider_id uuid not null references organisations(id),
  -- The provider's name when the list was made: agencies read approved lists without seeing the organisation row.
  provider_name text not null,
  catalog_version_id uuid not null references catalog_versions(id),
  version_no integer not null check (version_no > 0),
  effective_from date not null,
  effective_to date,
  status text not null default 'draft' check (status in ('draft','submitted','approved','rejected')),
  note text check (char_length(note) <= 500),
  submitted_at timestamptz,
  submitted_by uuid references users(id),
  decided_at timestamptz,
  decided_by uuid references users(id),
  decision_comment text check (char_length(decision_comment) <= 500),
  created_by uuid references users(id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (provider_id, version_no),
  check (effective_to is null or effective_to >= effective_from)
);
create index price_lists_provider_idx on price_lists (provider_id, effective_from);

create table price_list_items (
  price_list_id uuid not null references price_lists(id) on delete cascade,
  item_code text not null,
  unit_price numeric(14,2) not null check (unit_price >= 0),
  billing_unit_text text not null check (char_length(billing_unit_text) between 1 and 30),
  billing_period text not null check (billing_period in ('month','year','occurrence','message','certificate_year','one_off')),
  primary key (price_list_id, item_code)
);

-- A provider sees and writes its own lists; everybody allowed to read prices sees approved lists (RLS backstop:
-- the repositories filter the same way).
alter table price_lists enable row level security;
alter table price_lists force row level security;
create policy price_lists_scope on price_lists
  using (status = 'approved' or exists (select 1 from organisations o where o.id = price_lists.provider_id))
  with check (exists (select 1 from organisations o where o.id = price_lists.provider_id));
alter table price_list_items enable row level security;
alter table price_list_items force row level security;
create policy price_list_items_scope on price_list_items
  using (exists (select 1 from price_lists p where p.id = price_list_items.price_list_id))
  with check (exists (select 1 from price_lists p where p.id = price_list_items.price_list_id));

-- 预算测算: an agency's draft estimate of an order, owned by the user unit (unit_id).
create table estimates (
  id uuid primary key default gen_random_uuid(),
  unit_id uuid not null references organisations(id),
  title text not null check (char_length(title) between 1 and 200),
  catalog_version_id uuid not null references catalog_versions(id),
  -- The price list the estimate is priced with; null = the catalog's maximum prices.
  price_list_id uuid references price_lists(id),
  budget numeric(16,2) check (budget >= 0),
  ceiling numeric(16,2) check (ceiling >= 0),
  milestone_percents numeric(7,4)[] not null default '{}',
  status text not null default 'draft' check (status in ('draft')),
  created_by uuid references users(id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index estimates_unit_idx on estimates (unit_id, updated_at desc);

create table estimate_lines (
  estimate_id uuid not null references estimates(id) on delete cascade,
  line_no integer not null check (line_no > 0),
  item_code text check (char_length(item_code) <= 20),
  item_text text check (char_length(item_text) <= 500),
  category text check (char_length(category) <= 100),
  subcategory text check (char_length(subcategory) <= 100),
  quantity numeric(20,4) not null check (quantity >= 0),
  unit_text text check (char_length(unit_text) <= 30),
  months integer check (months between 0 and 120),
  primary key (estimate_id, line_no),
  check (item_code is not null or item_text is not null)
);

alter table estimates enable row level security;
alter table estimates force row level security;
create policy estimates_scope on estimates
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and exists (select 1 from organisations o where o.id = estimates.unit_id))
  with check (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
              and exists (select 1 from organisations o where o.id = estimates.unit_id));
alter table estimate_lines enable row level security;
alter table estimate_lines force row level security;
create policy estimate_lines_scope on estimate_lines
  using (exists (select 1 from estimates e where e.id = estimate_lines.estimate_id))
  with check (exists (select 1 from estimates e where e.id = estimate_lines.estimate_id));

-- Version 1: seed 004 §3.1 (catalog.json), published. Prices from maxUnitPriceText, weights from weightText; the
-- extension items, printed without codes, are numbered 3001… in printed order.
insert into catalog_versions (version_no, name, status, framework_period, source, published_at)
values (1, '市级政务云服务目录（框架采购）', 'published', '自签订本框架协议之日起两年',
        'seed 004 采购需求及最高限制单价 §3.1 服务目录和取费要求', now());

insert into catalog_items (version_id, code, kind, category, subcategory, item, english_name, billing_unit_text, unit_factor,
                           unit_symbol, unit_dimension, billing_period, price_period_text, max_unit_price, weight, remark,
                           aliases, sort_order)
select v.id, x.* from catalog_versions v, (values
  ('1001', 'basic', '计算服务', '平台云主机服务（包含 X86、ARM、C86）', 'vCPU（vCPU ARM 架构主频不低于 2.4GHz，C86 和 x86 主频不低于 2.2GHz，平均虚拟化率，即物理 CPU/虚拟 CPU≥1/4，虚拟 CPU 利用率不低于物理 CPU 的 25% ）', 'Platform cloud host – vCPU', '1 CPU', 1, 'vCPU', 'vcpu', 'month', '元/月', 14.02, 0.1, '提供云主机备份服务，数据备份空间需单独计费', '{}'::text[], 1),
  ('1002', 'basic', '计算服务', '平台云主机服务（包含 X86、ARM、C86）', '内存', 'Platform cloud host – memory', '1 GB', 1, 'GB', 'data', 'month', '元/月', 41.15, 0.16, null, '{}'::text[], 2),
  ('1003', 'basic', '计算服务', '物理服务器租用服务（包含 X86、ARM、C86）', '配置 1：双路每 CPU 核数≥32核，主频≥2.0GHz，128G内存，2块 600GSAS 硕盘，2个 HBA 卡，2个万兆端口', 'Physical server rental – configuration 1', '1 台', 1, '台', 'count', 'month', '元/月', 354.23, 0.02, '原则上适用于云主机无法支撑应用系统正常运行的情况', '{}'::text[], 3),
  ('1004', 'basic', '计算服务', '物理服务器租用服务（包含 X86、ARM、C86）', '物理服务器配置2：四路每CPU核数≥48 核，主频≥2.6Ghz，256G内存，2块600SAS硬盘，2个HBA卡，2个万兆端口', 'Physical server rental – configuration 2', '1 台', 1, '台', 'count', 'month', '元/月', 374.52, 0.02, null, '{}'::text[], 4),
  ('1005', 'basic', '计算服务', '物理服务器增配服务（包含 X86、ARM、C86）', '内存-32GB 内存', 'Physical server add-on – 32 GB memory', '1 条', 1, '条', 'count', 'month', '元/月', 200.60, 0.01, null, '{}'::text[], 5),
  ('1006', 'basic', '计算服务', '物理服务器增配服务（包含 X86、ARM、C86）', '硬盘配置 1-480GB SSD', 'Physical server add-on – disk config 1 (480GB SSD)', '1 块', 1, '块', 'count', 'month', '元/月', 122.68, 0.01, null, '{}'::text[], 6),
  ('1007', 'basic', '计算服务', '物理服务器增配服务（包含 X86、ARM、C86）', '硬盘配置 2-600GB SAS', 'Physical server add-on – disk config 2 (600GB SAS)', '1 块', 1, '块', 'count', 'month', '元/月', 102.83, 0.01, null, '{}'::text[], 7),
  ('1008', 'basic', '计算服务', '物理服务器增配服务（包含 X86、ARM、C86）', '硬盘配置 3-4TBSATA', 'Physical server add-on – disk config 3 (4TB SATA)', '1 块', 1, '块', 'count', 'month', '元/月', 191.73, 0.01, null, '{}'::text[], 8),
  ('1009', 'basic', '计算服务', 'GPU 卡算力服务（适配 X86、ARM、C86）', 'GPU 显存（需同时租用算力资源、云主机或物理服务器资源，联合使用）', 'GPU compute – GPU memory', '1 GB', 1, 'GB', 'data', 'month', '元/月', 45.00, 0.03, null, '{}'::text[], 9),
  ('1010', 'basic', '计算服务', 'GPU 卡算力服务（适配 X86、ARM、C86）', '半精度浮点运算能力（需同时租用 GPU 显存、云主机或物理服务器资源，联合使用）', 'GPU compute – half-precision FLOPS', '1 TFLOPS', 1, 'TFLOPS', 'tflops', 'month', '元/月', 8.00, 0.06, null, '{}'::text[], 10),
  ('1011', 'basic', '存储服务（兼容 X86、ARM、C86）', '普通性能存储', '普通存储（单盘技术指标: 单盘 IOPS 2000-5000）', 'Standard-performance storage', '100 GB', 100, 'GB', 'data', 'month', '元/月', 28.60, 0.08, '提供普通性能存储服务，IOPS 随磁盘容量增加而增加。', '{}'::text[], 11),
  ('1012', 'basic', '存储服务（兼容 X86、ARM、C86）', '高性能存储', '高性能存储（单盘技术指标：单盘 IOPS 10000-25000）', 'High-performance storage', '100 GB', 100, 'GB', 'data', 'month', '元/月', 64.25, 0.1, '提供高性能存储服务,IOPS 随磁盘容量增加而增加。', '{}'::text[], 12),
  ('1013', 'basic', '存储服务（兼容 X86、ARM、C86）', '静态存储', '提供大容量、高可靠的数据存储服务，具备 PB 级线性扩展能力', 'Static (object-style) storage', '1 TB', 1, 'TB', 'data', 'month', '元/月', 72.75, 0.08, '提供静态数据存储', '{}'::text[], 13),
  ('1014', 'basic', '存储服务（兼容 X86、ARM、C86）', '本地备份服务', '本地备份服务', 'Local backup service', '100 GB', 100, 'GB', 'data', 'month', '元/月', 88.45, 0.03, '通过备份策略实现文件、操作系统、数据库的本地备份（不包含备份存储空间费用）', '{}'::text[], 14),
  ('1015', 'basic', '存储服务（兼容 X86、ARM、C86）', '异地备份服务', '异地备份服务', 'Off-site backup service', '100 GB', 100, 'GB', 'data', 'month', '元/月', 138.90, 0.03, '通过备份策略实现文件、操作系统、数据库的异地备份（不包含备份存储空间费用）', '{}'::text[], 15),
  ('1016', 'basic', '网络服务（兼容 X86、ARM、C86）', '互联网链路服务', '互联网链路带宽', 'Internet link bandwidth', '1 Mb', 1, 'Mb', 'bandwidth', 'month', '元/月', 49.55, 0.08, '须提供多线运营商接入服务，保证稳定可靠。', '{}'::text[], 16),
  ('1017', 'basic', '网络服务（兼容 X86、ARM、C86）', '互联网链路服务', '互联网 IP 地址租用服务、并提供备案服务', 'Internet IP address rental incl. filing (备案)', '1 IP', 1, 'IP', 'count', 'month', '元/月', 76.05, 0.02, '提供互联网地址租用，并且提供网站域名备案服务。', '{}'::text[], 17),
  ('1018', 'basic', '网络服务（兼容 X86、ARM、C86）', '主机负载均衡服务', '主机负载均衡服务', 'Host load balancing', '1 IP（内网）', 1, 'IP（内网）', 'count', 'month', '元/月', 66.47, 0.06, '提供主机应用集群负载均衡服务', '{}'::text[], 18),
  ('1019', 'basic', '网络服务（兼容 X86、ARM、C86）', '远程接入服务', '远程接入服务', 'Remote access (bastion) account', '1 账号', 1, '账号', 'count', 'month', '元/月', 356.37, 0.01, '每个账号结合身份验证通过 VPN 远程接入堡垒机进行维护（免费提供1个账号）', '{}'::text[], 19),
  ('1020', 'basic', '网络服务（兼容 X86、ARM、C86）', 'VPN 服务', 'SSL VPN 接入', 'SSL VPN access', '1 套', 1, '套', 'count', 'month', '元/月', 257.72, 0.01, '用户通过 SSL VPN 访问业务系统。每套 10 个并发用户。所需带宽参照“互联网链路带宽”购买。', array['SSL VPN服务']::text[], 20),
  ('1021', 'basic', '网络服务（兼容 X86、ARM、C86）', 'VPN 服务', 'IPSec VPN 接入', 'IPSec VPN access', '1Mb 带宽', 1, 'Mb', 'bandwidth', 'month', '元/月', 127.78, 0.01, '提供 IPSec 隧道接入服务，隧道带宽按需灵活调整，用户可利用 VPN 隧道进行大量数据传输。', '{}'::text[], 21),
  ('1022', 'basic', '网络服务（兼容 X86、ARM、C86）', 'SSL 证书服务', '提供 SSL 证书服务', 'SSL certificate service', '1 域名', 1, '域名', 'count', 'month', '元/月', 313.69, 0.02, '为网站提供 https 保护，对流量进行加密，防止数据被窃取。', '{}'::text[], 22),
  ('1023', 'basic', '网络服务（兼容 X86、ARM、C86）', 'Web 应用防火墙（WAF）', '针对网站及 Web应用系统提供应用层安全防护，支持各类 SQL 注入、XSS 攻击、网页木马、WEBSHELL 等 Web 威胁防护 （200Mbps）', 'Web application firewall (WAF)', '1 套', 1, '套', 'count', 'month', '元/月', 98.86, 0.04, '在网站前端架设 WAF 防护服务，保证用户网站对已知安全隐患进行防护，实时升级漏洞补丁，配置防护策略，可起到前端防护作用。', array['web应用防火墙服务', 'WAF防护', 'Web应用防火墙']::text[], 23),
  ('2001', 'baseline', '安全管理服务', '运维人员管理', '7x24 小时运维人员管理、安全登记', 'O&M personnel management', null, null, null, null, null, null, null, null, '免费提供（用户无需另行购买即可享受服务）', '{}'::text[], 24),
  ('2002', 'baseline', '安全管理服务', '机房运维管理', '机房设备管理、安全控制', 'Machine-room O&M management', null, null, null, null, null, null, null, null, '免费提供（用户无需另行购买即可享受服务）', '{}'::text[], 25),
  ('2003', 'baseline', '安全管理服务', '应急演练', '协助使用单位进行安全应急演练', 'Emergency drills', null, null, null, null, null, null, null, null, '免费提供（用户无需另行购买即可享受服务）', '{}'::text[], 26),
  ('2004', 'baseline', '安全技术服务', '物理访问控制', '机房进出控制、监控等', 'Physical access control', null, null, null, null, null, null, null, null, '免费提供（用户无需另行购买即可享受服务）', '{}'::text[], 27),
  ('2005', 'baseline', '安全技术服务', '机房三防服务', '机房防火、防盗、防雷电', 'Machine-room fire/theft/lightning protection', null, null, null, null, null, null, null, null, '免费提供（用户无需另行购买即可享受服务）', '{}'::text[], 28),
  ('2006', 'baseline', '安全技术服务', '设备访问审计', '设备访问记录、日志统计、安全事件', 'Device access audit', null, null, null, null, null, null, null, null, '免费提供（用户无需另行购买即可享受服务）', '{}'::text[], 29),
  ('2007', 'baseline', '安全技术服务', '出口流量监测', '出口流量控制、检测，并且可观测数据，互联网网络行为审计', 'Egress traffic monitoring', null, null, null, null, null, null, null, null, '免费提供（用户无需另行购买即可享受服务）', '{}'::text[], 30),
  ('2008', 'baseline', '安全技术服务', '本地抗 DDoS 防护', '云平台整体提供总带宽为 20Gb 的抗 DDoS 防护', 'Local anti-DDoS protection', null, null, null, null, null, null, null, null, '免费提供（用户无需另行购买即可享受服务）', '{}'::text[], 31),
  ('2009', 'baseline', '安全技术服务', '防火墙安全防护', '出口安全', 'Firewall protection', null, null, null, null, null, null, null, null, '免费提供（用户无需另行购买即可享受服务）', '{}'::text[], 32),
  ('2010', 'baseline', '安全技术服务', '防入侵监测', 'IPS 防入侵监测', 'Intrusion prevention (IPS)', null, null, null, null, null, null, null, null, '免费提供（用户无需另行购买即可享受服务）', '{}'::text[], 33),
  ('2011', 'baseline', '安全技术服务', '远程接入服务', '免费提供 1 个远程登录堡垒机的运维账号', 'Remote access (1 free bastion account)', null, null, null, null, null, null, null, null, '免费提供（用户无需另行购买即可享受服务）', '{}'::text[], 34),
  ('2012', 'baseline', '安全技术服务', '租户隔离', '租户虚拟化层隔离', 'Tenant isolation', null, null, null, null, null, null, null, null, '免费提供（用户无需另行购买即可享受服务）', '{}'::text[], 35),
  ('2013', 'baseline', '安全技术服务', '租户内部访问控制', '租户内部访问权限控制，用户可以自由分配', 'Intra-tenant access control', null, null, null, null, null, null, null, null, '免费提供（用户无需另行购买即可享受服务）', '{}'::text[], 36),
  ('2014', 'baseline', '安全技术服务', '云主机监控', '提供云上资源的基本监控，包括 CPU、内存使用率等', 'Cloud host monitoring', null, null, null, null, null, null, null, null, '免费提供（用户无需另行购买即可享受服务）', '{}'::text[], 37),
  ('2015', 'baseline', '安全技术服务', '角色权限管理', '提供通过代入角色实现获取操作权限', 'Role/permission management', null, null, null, null, null, null, null, null, '免费提供（用户无需另行购买即可享受服务）', '{}'::text[], 38),
  ('2016', 'baseline', '安全技术服务', '监控平台接入服务', '可提供租户管辖内的云资源监控数据接口调用', 'Monitoring-platform access (API)', null, null, null, null, null, null, null, null, '免费提供（用户无需另行购买即可享受服务）', '{}'::text[], 39),
  ('2017', 'baseline', '安全技术服务', '云主机深度监控服务', '7*24 小时深度监测云主机资源、硬件设备监控、云平台层应急处置等内容', 'Deep cloud-host monitoring', null, null, null, null, null, null, null, null, '免费提供（用户无需另行购买即可享受服务）', '{}'::text[], 40),
  ('3001', 'extension', '基础软件支撑服务', '商用操作系统套餐', 'Windows Server 套餐：Windows Server 租用、安装及维护。国产 Linux 套餐：国产 Linux操作系统服务租用、安装及维护。', 'Commercial OS package', null, null, null, null, null, null, null, null, '由云服务商提供租用、安装、调优，排错，技术支持服务。', '{}'::text[], 41),
  ('3002', 'extension', '基础软件支撑服务', '开源操作系统套餐', '提供开源操作系统安装和维护服务。', 'Open-source OS package', null, null, null, null, null, null, null, null, '由云服务商提供安装、调优，排错，技术支持服务。', '{}'::text[], 42),
  ('3003', 'extension', '基础软件支撑服务', '商用应用中间件套餐', '国产商用应用中间件租用、安装及维护', 'Commercial middleware package', null, null, null, null, null, null, null, null, '由云服务商提供租用、安装、调优、排错、技术支持服务。', '{}'::text[], 43),
  ('3004', 'extension', '基础软件支撑服务', '开源应用中间件套餐', '主流开源应用中间件安装及维护服务（3种以上开源中间件）', 'Open-source middleware package', null, null, null, null, null, null, null, null, '由云服务商提供调优，排错，技术支持服务。（1套包括 1种开源中间件软件）', '{}'::text[], 44),
  ('3005', 'extension', '基础软件支撑服务', '商用数据库套餐', '国产商用数据库租用、安装及维护（至少支持 3 种国产数据库）', 'Commercial database package', null, null, null, null, null, null, null, null, '由云服务商提供商用数据库的租用、安装、调优、排错、技术支持服务。', '{}'::text[], 45),
  ('3006', 'extension', '基础软件支撑服务', '开源数据库套餐', '开源数据库安装及维护服务', 'Open-source database package', null, null, null, null, null, null, null, null, '由云服务商提供开源数据库的租用、安装、调优、排错、技术支持服务。（1套包括 1种开源数据库软件）', '{}'::text[], 46),
  ('3007', 'extension', '平台即服务（PaaS服务）', '云原生数据库（集中式）服务', '云原生数据库（集中式）服务', 'Cloud-native database (centralised)', null, null, null, null, null, null, null, null, '提供云原生关系型数据库，支持高可用架构。', '{}'::text[], 47),
  ('3008', 'extension', '平台即服务（PaaS服务）', '云原生数据库（分布式）服务', '云原生数据库（分布式）服务', 'Cloud-native database (distributed)', null, null, null, null, null, null, null, null, '提供云原生关系型数据库，采用分布式架构，支持分库分表、全局索引等能力。', '{}'::text[], 48),
  ('3009', 'extension', '平台即服务（PaaS服务）', '内存型数据库（分布式缓存 redis)服务', '内存型数据库（分布式缓存 redis)服务', 'In-memory database (distributed Redis cache)', null, null, null, null, null, null, null, null, '兼容开源 Redis 协议标准，支持多版本存储引擎，拥有数据可持久化存储、可用性高、弹性扩展和智能运维等特性', '{}'::text[], 49),
  ('3010', 'extension', '平台即服务（PaaS服务）', '容器服务', '容器服务', 'Container service', null, null, null, null, null, null, null, null, '提供容器服务，支持 Docker 镜像，支持多个 Kubernetes 版本，提供集群管理、容器生命周期管理能力。', '{}'::text[], 50),
  ('3011', 'extension', '平台即服务（PaaS服务）', '微服务框架', '微服务框架', 'Microservice framework', null, null, null, null, null, null, null, null, '支持应用托管和微服务管理，支持应用托管和微服务管理，支持基于原生SpringCloud、Dubbo 等应用托管。', '{}'::text[], 51),
  ('3012', 'extension', '平台即服务（PaaS服务）', '消息队列服务', '消息队列（RocketMQ)服务', 'Message queue service', null, null, null, null, null, null, null, null, '分布式消息中间件，提供消息订阅和发布、消息轨迹查询、定时（延时）消息、资源统计等能力，提供 TCP 协议和 HTTP 协议层面的接入方式，支持Java、C++、.NET 等多种编程语言。', '{}'::text[], 52),
  ('3013', 'extension', '平台即服务（PaaS服务）', '消息队列服务', '消息队列(kafka)服务', 'Message queue service', null, null, null, null, null, null, null, null, '兼容开源 Apache Kafka,可直接使用开源Apache Kafka客户端与消息队列Kafka 版通讯', '{}'::text[], 53),
  ('3014', 'extension', '平台即服务（PaaS服务）', 'API 网关服务', 'API 服务网关服务', 'API gateway service', null, null, null, null, null, null, null, null, '支持 API 服务总线、API 组织管理和API 运维监控等功能', '{}'::text[], 54),
  ('3015', 'extension', '平台即服务（PaaS服务）', '应用监控服务', '应用监控服务', 'Application monitoring service', null, null, null, null, null, null, null, null, '能够对应用进行全方位监控，支持自动生成应用拓扑，快速定位出错误接口和慢接口（慢 SQL）、重现调用参数、发现系统瓶颈。', '{}'::text[], 55),
  ('3016', 'extension', '迁移服务', '云主机迁移（包含 X86、ARM、C86）', '每个 VM 业务迁移', 'Cloud-host (VM) migration', null, null, null, null, null, null, null, null, '由云服务商提供使用单位现有虚拟化业务迁移上云，包括迁移前调研、迁移、测试、上线、技术支持服务。（不包括迁移到托管区）', '{}'::text[], 56),
  ('3017', 'extension', '迁移服务', '物理主机迁移（包含X86、ARM、C86）', '每台 X86 物理主机迁移', 'Physical-host migration', null, null, null, null, null, null, null, null, '由云服务商提供使用单位现有物理主机业务迁移上云，包括迁移前调研、迁移、测试、上线、技术支持服务。（不包括迁移到托管区）', '{}'::text[], 57),
  ('3018', 'extension', '迁移服务', '单机数据库迁移', '数据迁移服务（包括商用数据库和开源数据库）', 'Single-instance DB migration', null, null, null, null, null, null, null, null, '由云服务商提供使用单位现有单机数据库业务迁移上云，只限于同构数据库架构迁移，包括迁移前调研、迁移、测试、上线、技术支持服务。（1套为 1 个数据库实例）', '{}'::text[], 58),
  ('3019', 'extension', '迁移服务', '高可用数据库迁移', '数据迁移服务（包括商用数据库和开源数据库）', 'HA database migration', null, null, null, null, null, null, null, null, '由云服务商提供使用单位现有高可用（例如 HA、ORACLE RAC)数据库业务迁移上云，只限于同构数据库架构迁移，包括迁移前调研、迁移、测试、上线、技术支持服务。（1套为 1个数据库实例）', '{}'::text[], 59),
  ('3020', 'extension', '安全服务', '云端抗 DDOS 服务', '云端抗 DDOS 服务', 'Cloud anti-DDoS', null, null, null, null, null, null, null, null, '根据流量提供云端抗 DDOS 服务，避免业务遭受拒绝服务攻击（攻击流量在20G 以内）', '{}'::text[], 60),
  ('3021', 'extension', '安全服务', '云端 APT 防护服务', '云端 APT 防护服务', 'Cloud APT protection', null, null, null, null, null, null, null, null, '对未知攻击威胁进行检测和防护，发现隐蔽威胁、木马后门等异常威胁。', '{}'::text[], 61),
  ('3022', 'extension', '安全服务', '主机杀毒服务', '主机杀毒服务', 'Host antivirus', null, null, null, null, null, null, null, null, '对云主机进行定期的病毒查杀，杀毒软件集中控制，对网络性能无影响。', '{}'::text[], 62),
  ('3023', 'extension', '安全服务', '主机防护', '主机防护', 'Host protection', null, null, null, null, null, null, null, null, '主机防护：提供符合等保三级要求的主机权限管理及安全防护。', '{}'::text[], 63),
  ('3024', 'extension', '安全服务', '主机安全加固', '主机安全加固', 'Host security hardening', null, null, null, null, null, null, null, null, '针对漏扫或等级测评结果对操作系统进行安全加固，用以解决等级测评结果中所显示的漏洞。', '{}'::text[], 64),
  ('3025', 'extension', '安全服务', '网页防篡改服务', '网页防篡改服务', 'Web-page anti-tampering', null, null, null, null, null, null, null, null, '提供网页防篡改服务。通过防篡改软件对用户页面进行实时防护，减少用户页面被恶意篡改的可能性。', '{}'::text[], 65),
  ('3026', 'extension', '安全检测监测、审计服务', '主机漏洞扫描', '主机漏洞扫描', 'Host vulnerability scanning', null, null, null, null, null, null, null, null, '为用户提供针对主机层面的安全扫描服务，并反馈相关结果。', '{}'::text[], 66),
  ('3027', 'extension', '安全检测监测、审计服务', '主机日志审计服务', '主机日志分析', 'Host log audit', null, null, null, null, null, null, null, null, '针对操作系统进行日志收集，用于了解主机安全情况及资源使用情况', '{}'::text[], 67),
  ('3028', 'extension', '安全检测监测、审计服务', '数据库审计服务', '数据库审计服务', 'Database audit', null, null, null, null, null, null, null, null, '支持 Oracle、SQL-Server、DB2、MySQL等数据库审计。（1套为 1个数据库实例）。', '{}'::text[], 68),
  ('3029', 'extension', '其他服务', 'CDN 加速', '提供内容加速及视频加速服务', 'CDN acceleration', null, null, null, null, null, null, null, null, '将源站内容分发至最接近用户的节点，使用户可就近取得所需内容，提高用户访问的响应速度和成功率。', '{}'::text[], 69),
  ('3030', 'extension', '其他服务', '密码应用安全支撑服务', '提供身份认证、数据加解密、数据安全传输 、签名验签、密钥管理等密码应用安全支撑服务', 'Cryptographic application security support', null, null, null, null, null, null, null, null, '用于支持云服务用户采用符合国家密码管理部门要求的密码技术保障云上系统安全。', '{}'::text[], 70),
  ('3031', 'extension', '其他服务', '短信服务', '提供短信服务', 'SMS service', null, null, null, null, null, null, null, null, '提供短信验证，通知等服务', '{}'::text[], 71)
) as x(code, kind, category, subcategory, item, english_name, billing_unit_text, unit_factor, unit_symbol, unit_dimension,
       billing_period, price_period_text, max_unit_price, weight, remark, aliases, sort_order)
where v.version_no = 1;
