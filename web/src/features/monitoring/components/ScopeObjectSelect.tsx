import { useEffect, useMemo, useState } from 'react';
import { Select, Spin, Typography } from 'antd';
import { keepPreviousData, useQueries, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { monitoringApi, monitoringKeys, type ScopeKind, type ScopeObject, type ScopeObjectKind } from '../monitoring.api';

/** The value after the user stopped typing for `ms`. */
function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const id = setTimeout(() => setV(value), ms);
    return () => clearTimeout(id);
  }, [value, ms]);
  return v;
}

const optionOf = (o: ScopeObject) => ({
  value: o.id,
  title: o.detail ? `${o.label} · ${o.detail}` : o.label,
  label: (
    <span>
      {o.label}
      {o.detail && <Typography.Text type="secondary"> · {o.detail}</Typography.Text>}
    </span>
  ),
});

/**
 * A searchable picker of the hosts, systems, units, providers or nodes the signed-in user may see (the server lists
 * only those, GET /api/monitoring/scopes), searched on the server as the user types (debounced). A saved value shows
 * its name, looked up by id.
 */
export function ScopeObjectSelect({ kind, value, onChange, testId, disabled }: { kind: ScopeObjectKind; value?: string; onChange?: (v: string | undefined) => void; testId?: string; disabled?: boolean }) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const keyword = useDebounced(search.trim(), 300);
  const found = useQuery({
    queryKey: monitoringKeys.scopes(kind, keyword),
    queryFn: () => monitoringApi.scopes({ kind, keyword }),
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
  const selected = useQuery({
    queryKey: monitoringKeys.scopeNames(kind, value ? [value] : []),
    queryFn: () => monitoringApi.scopes({ kind, ids: [value!] }),
    enabled: !!value,
    staleTime: 300_000,
  });
  const options = useMemo(() => {
    const list = (found.data ?? []).filter((o) => o.kind === kind);
    const current = selected.data?.[0];
    if (value && !list.some((o) => o.id === value)) {
      list.unshift(current ?? { kind, id: value, label: selected.isLoading ? '…' : t('monitoring.scopeUnknown'), detail: null });
    }
    return list.map(optionOf);
  }, [found.data, selected.data, selected.isLoading, value, kind, t]);
  const searching = found.isFetching || search.trim() !== keyword;
  return (
    <Select
      data-testid={testId}
      showSearch
      allowClear
      disabled={disabled}
      value={value}
      onChange={(v: string | undefined) => onChange?.(v)}
      filterOption={false}
      onSearch={setSearch}
      searchValue={search}
      optionLabelProp="label"
      placeholder={t('monitoring.scopePlaceholder', { kind: t(`monitoring.scopeKinds.${kind}`) })}
      notFoundContent={searching ? <Spin size="small" /> : t('monitoring.scopeNotFound')}
      options={options}
      style={{ width: '100%' }}
    />
  );
}

/** The names of saved scopes (rules, maintenance windows) for a table: id → label, looked up per kind (≤ 100 ids a call). */
export function useScopeNames(items: ReadonlyArray<{ scopeKind: ScopeKind; scopeId: string | null }>): Map<string, string> {
  const groups = useMemo(() => {
    const byKind = new Map<ScopeObjectKind, Set<string>>();
    for (const i of items) {
      if (i.scopeKind === 'all' || !i.scopeId) continue;
      const set = byKind.get(i.scopeKind) ?? new Set<string>();
      set.add(i.scopeId);
      byKind.set(i.scopeKind, set);
    }
    const out: Array<{ kind: ScopeObjectKind; ids: string[] }> = [];
    for (const [kind, set] of byKind) {
      const ids = [...set].sort();
      for (let i = 0; i < ids.length; i += 100) out.push({ kind, ids: ids.slice(i, i + 100) });
    }
    return out;
  }, [items]);
  const results = useQueries({
    queries: groups.map((g) => ({ queryKey: monitoringKeys.scopeNames(g.kind, g.ids), queryFn: () => monitoringApi.scopes(g), staleTime: 300_000 })),
  });
  const m = new Map<string, string>();
  for (const r of results) for (const o of r.data ?? []) m.set(o.id, o.detail ? `${o.label}（${o.detail}）` : o.label);
  return m;
}
