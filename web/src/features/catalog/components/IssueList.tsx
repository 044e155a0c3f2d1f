import { Alert } from 'antd';
import { ApiError } from '../../../api/client';
import { errorText } from '../../../i18n';

export interface FieldIssue {
  field: string;
  rule: string;
  message: string;
  value?: unknown;
}

/** The `details.issues` of a validation error (field, rule, message), or []. */
export function issuesOf(error: unknown): FieldIssue[] {
  if (!(error instanceof ApiError)) return [];
  const issues = (error.details as { issues?: FieldIssue[] } | null)?.issues;
  return Array.isArray(issues) ? issues : [];
}

/** An error with each issue the server named, as a list under the translated code. */
export function IssueList({ error, testId, only }: { error: unknown; testId?: string; only?: (i: FieldIssue) => boolean }) {
  if (!error) return null;
  const issues = issuesOf(error).filter((i) => !only || only(i));
  const code = error instanceof ApiError ? error.code : '';
  const title = code === 'validation.failed' || !issuesOf(error).length ? errorText(error) : errorText(new ApiError(400, { code }));
  return (
    <Alert
      type="error"
      showIcon
      data-testid={testId}
      style={{ marginBottom: 12 }}
      message={title}
      description={issues.length ? (
        <ul style={{ margin: 0, paddingInlineStart: 18 }}>
          {issues.map((i, n) => <li key={n}><code>{i.field}</code> · {i.rule}: {i.message}</li>)}
        </ul>
      ) : undefined}
    />
  );
}
