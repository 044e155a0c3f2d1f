import { Tree, Spin } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { rolesApi, roleKeys } from '../roles.api';
import type { Permission } from '../../../api/types';

const GROUP_PREFIX = 'group:';

/** The permission catalog as a tree grouped by menu; checked keys are permission codes. */
export function PermissionTree(props: { value?: string[]; onChange?: (v: string[]) => void; disabled?: boolean; testId?: string }) {
  const { i18n } = useTranslation();
  const { data: catalog, isLoading } = useQuery({ queryKey: roleKeys.permissions, queryFn: rolesApi.permissions });
  if (isLoading || !catalog) return <Spin />;
  const zh = i18n.language !== 'en-US';
  const groups = new Map<string, Permission[]>();
  for (const p of catalog) groups.set(p.group, [...(groups.get(p.group) ?? []), p]);
  const treeData = [...groups.entries()].map(([group, perms]) => ({
    key: `${GROUP_PREFIX}${group}`,
    title: zh ? perms[0]!.groupZh : perms[0]!.groupEn,
    children: perms.map((p) => ({ key: p.code, title: <span data-testid={`perm-${p.code}`}>{zh ? p.nameZh : p.nameEn} <small style={{ color: '#999' }}>{p.code}</small></span> })),
  }));
  return (
    <Tree
      checkable
      defaultExpandAll
      selectable={false}
      disabled={props.disabled}
      treeData={treeData}
      checkedKeys={props.value ?? []}
      onCheck={(checked) => {
        const keys = (Array.isArray(checked) ? checked : checked.checked).map(String);
        props.onChange?.(keys.filter((k) => !k.startsWith(GROUP_PREFIX)));
      }}
      data-testid={props.testId}
    />
  );
}
