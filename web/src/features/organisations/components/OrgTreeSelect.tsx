import { TreeSelect } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { orgApi, orgKeys } from '../organisations.api';
import type { OrgTreeNode } from '../../../api/types';

type Option = { value: string; title: string; children: Option[] };
const toOptions = (nodes: OrgTreeNode[]): Option[] => nodes.map((n) => ({ value: n.id, title: n.name, children: toOptions(n.children) }));

/** Picks one organisation from the tree the user can see. */
export function OrgTreeSelect(props: { value?: string; onChange?: (v: string | undefined) => void; placeholder?: string; allowClear?: boolean; testId?: string; style?: React.CSSProperties }) {
  const { data: tree = [] } = useQuery({ queryKey: orgKeys.tree(), queryFn: orgApi.tree });
  return (
    <TreeSelect
      value={props.value}
      onChange={(v) => props.onChange?.(v ?? undefined)}
      treeData={toOptions(tree)}
      treeDefaultExpandAll
      showSearch
      treeNodeFilterProp="title"
      allowClear={props.allowClear}
      placeholder={props.placeholder}
      style={props.style ?? { width: '100%' }}
      data-testid={props.testId}
      popupMatchSelectWidth={false}
    />
  );
}
