import { z } from 'zod';

/**
 * The workflow definition format (stored as jsonb in workflow_definitions.definition), validated in two stages:
 * the shape with zod, then the graph (checkDefinition). See docs/workflow.md.
 */

export const END = 'end';
const stepKeySchema = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'a step key: lower-case letters, digits and _, starting with a letter, at most 40');
/** A step key or `end`. */
const targetSchema = stepKeySchema;

/** Where an assignee's organisation comes from: the instance (applicant, chosen provider), a kind's pool, or an id. */
export const ORG_REFS = ['applicant_unit', 'chosen_provider', 'management_unit', 'supervision_provider'] as const;
export type OrgRef = (typeof ORG_REFS)[number];

export const assigneeSchema = z
  .strictObject({
    /** A built-in role code (`unit_admin`, `mgmt_staff`, `provider_staff` …). */
    role: z.string().regex(/^[a-z][a-z0-9_]{1,49}$/, 'a role code').optional(),
    /** The organisation: `applicant_unit`, `chosen_provider`, `management_unit`, `supervision_provider` or an id. */
    org: z.union([z.enum(ORG_REFS), z.uuid()]).optional(),
    /** One person (user id). */
    user: z.uuid().optional(),
  })
  .refine((a) => a.role !== undefined || a.org !== undefined || a.user !== undefined, { message: 'name a role, an organisation or a person' })
  .refine((a) => a.user === undefined || (a.role === undefined && a.org === undefined), { message: 'a person is named alone, without role or organisation' });
export type Assignee = z.infer<typeof assigneeSchema>;

export const deadlineSchema = z.union([
  z.strictObject({ workingDays: z.number().int().min(1).max(60) }),
  z.strictObject({ workingHours: z.number().multipleOf(0.5).min(0.5).max(480) }),
  z.strictObject({ clockHours: z.number().multipleOf(0.5).min(0.5).max(720) }),
]);
export type Deadline = z.infer<typeof deadlineSchema>;

const compareOp = z.enum(['gt', 'gte', 'lt', 'lte', 'eq', 'ne']);
export const conditionSchema = z.discriminatedUnion('field', [
  /** The application's amount in 元 (decimal text). */
  z.strictObject({ field: z.literal('amount'), op: compareOp, value: z.string().regex(/^\d{1,14}(\.\d{1,2})?$/, 'an amount in 元 as text, e.g. "500000"') }),
  /** 等保级别 (MLPS protection level 1–5) of the information system. */
  z.strictObject({ field: z.literal('protectionLevel'), op: compareOp, value: z.number().int().min(1).max(5) }),
  /** True when the application has a line of this catalog category (服务类别). */
  z.strictObject({ field: z.literal('itemCategory'), op: z.literal('includes'), value: z.string().min(1).max(100) }),
]);
export type Condition = z.infer<typeof conditionSchema>;

const common = { key: stepKeySchema, name: z.string().min(1).max(100) };
export const approvalStepSchema = z.strictObject({
  ...common,
  kind: z.literal('approval'),
  assignee: assigneeSchema,
  deadline: deadlineSchema.optional(),
  next: targetSchema.optional(),
});
export const conditionStepSchema = z.strictObject({
  ...common,
  kind: z.literal('condition'),
  /** Tried in order; the first whose condition holds is taken. */
  branches: z.array(z.strictObject({ when: conditionSchema, next: targetSchema })).min(1).max(20),
  otherwise: targetSchema.optional(),
});
export const parallelStepSchema = z.strictObject({
  ...common,
  kind: z.literal('parallel'),
  /** The first step of each branch; every branch must lead to `join`. */
  branches: z.array(stepKeySchema).min(2).max(10),
  /** The step that waits until every branch has been approved. */
  join: stepKeySchema,
});
export const stepSchema = z.discriminatedUnion('kind', [approvalStepSchema, conditionStepSchema, parallelStepSchema]);
export type ApprovalStep = z.infer<typeof approvalStepSchema>;
export type ConditionStep = z.infer<typeof conditionStepSchema>;
export type ParallelStep = z.infer<typeof parallelStepSchema>;
export type Step = z.infer<typeof stepSchema>;

export const definitionBodySchema = z.strictObject({
  start: stepKeySchema,
  steps: z.array(stepSchema).min(1).max(100),
});
export type DefinitionBody = z.infer<typeof definitionBodySchema>;

export type ProblemCode =
  | 'workflow.duplicate_step'
  | 'workflow.unknown_step'
  | 'workflow.missing_end'
  | 'workflow.cycle'
  | 'workflow.unreachable_step'
  | 'workflow.parallel_without_join'
  | 'workflow.nested_parallel'
  | 'workflow.branches_overlap'
  | 'workflow.parallel_entered_outside';

export interface DefinitionProblem {
  code: ProblemCode;
  /** The step the problem is about (null: the definition as a whole). */
  step: string | null;
  /** Dotted path inside the definition, e.g. `steps[2].next`. */
  field: string;
  message: string;
}

/** Outgoing edges of a step, with the field each comes from. A parallel's join is reached through its branches. */
export function edgesOf(step: Step, index: number): Array<{ to: string; field: string }> {
  switch (step.kind) {
    case 'approval':
      return step.next === undefined ? [] : [{ to: step.next, field: `steps[${index}].next` }];
    case 'condition':
      return [
        ...step.branches.map((b, i) => ({ to: b.next, field: `steps[${index}].branches[${i}].next` })),
        ...(step.otherwise === undefined ? [] : [{ to: step.otherwise, field: `steps[${index}].otherwise` }]),
      ];
    case 'parallel':
      return step.branches.map((b, i) => ({ to: b, field: `steps[${index}].branches[${i}]` }));
  }
}

/**
 * Graph checks: duplicate keys, unknown targets, dead ends (missing end), cycles, unreachable steps, parallel branches
 * that do not lead to their join, parallels nested inside a branch. Returns every problem found (empty = valid).
 */
export function checkDefinition(def: DefinitionBody): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  const byKey = new Map<string, { step: Step; index: number }>();
  def.steps.forEach((step, index) => {
    if (step.key === END) {
      problems.push({ code: 'workflow.duplicate_step', step: step.key, field: `steps[${index}].key`, message: `"${END}" is reserved for the end of the workflow` });
    } else if (byKey.has(step.key)) {
      problems.push({ code: 'workflow.duplicate_step', step: step.key, field: `steps[${index}].key`, message: `step key "${step.key}" is used twice (steps[${byKey.get(step.key)!.index}] and steps[${index}])` });
    } else {
      byKey.set(step.key, { step, index });
    }
  });
  const known = (k: string) => k === END || byKey.has(k);
  if (!byKey.has(def.start)) problems.push({ code: 'workflow.unknown_step', step: null, field: 'start', message: `start "${def.start}" is not a step` });
  for (const [key, { step, index }] of byKey) {
    for (const e of edgesOf(step, index)) {
      if (!known(e.to)) problems.push({ code: 'workflow.unknown_step', step: key, field: e.field, message: `step "${key}" leads to "${e.to}", which is not a step` });
    }
    if (step.kind === 'parallel' && !byKey.has(step.join)) {
      problems.push({ code: 'workflow.unknown_step', step: key, field: `steps[${index}].join`, message: `parallel step "${key}" joins at "${step.join}", which is not a step` });
    }
    if (step.kind === 'approval' && step.next === undefined) {
      problems.push({ code: 'workflow.missing_end', step: key, field: `steps[${index}].next`, message: `step "${key}" has no next step: name one or "${END}"` });
    }
    if (step.kind === 'condition' && step.otherwise === undefined) {
      problems.push({ code: 'workflow.missing_end', step: key, field: `steps[${index}].otherwise`, message: `condition "${key}" has no "otherwise": when no branch holds the workflow would stop` });
    }
  }
  if (problems.length) return problems;

  const next = (key: string): string[] => {
    const s = byKey.get(key)!;
    return edgesOf(s.step, s.index).map((e) => e.to);
  };

  // Cycles: depth-first search with colours.
  const colour = new Map<string, 1 | 2>();
  const visit = (key: string): boolean => {
    if (key === END) return false;
    const c = colour.get(key);
    if (c === 2) return false;
    if (c === 1) {
      problems.push({ code: 'workflow.cycle', step: key, field: `steps[${byKey.get(key)!.index}]`, message: `step "${key}" can be reached again from itself: a workflow may not loop (use "return" to send back for changes)` });
      return true;
    }
    colour.set(key, 1);
    for (const n of next(key)) if (visit(n)) return true;
    colour.set(key, 2);
    return false;
  };
  for (const key of [def.start, ...byKey.keys()]) if (visit(key)) return problems;

  // Reachability from the start (a parallel's join through its branches).
  const reached = new Set<string>();
  const stack = [def.start];
  while (stack.length) {
    const k = stack.pop()!;
    if (k === END || reached.has(k)) continue;
    reached.add(k);
    stack.push(...next(k));
  }
  if (!reached.has(END) && ![...reached].some((k) => next(k).includes(END))) {
    problems.push({ code: 'workflow.missing_end', step: null, field: 'steps', message: `no step leads to "${END}"` });
  }
  for (const [key, { index }] of byKey) {
    if (!reached.has(key)) problems.push({ code: 'workflow.unreachable_step', step: key, field: `steps[${index}]`, message: `step "${key}" cannot be reached from the start "${def.start}"` });
  }

  // Every path of every branch must reach the join, without another parallel on the way.
  const branchSteps: Array<{ parallel: string; index: number; branch: number; steps: Set<string> }> = [];
  for (const [key, { step, index }] of byKey) {
    if (step.kind !== 'parallel') continue;
    step.branches.forEach((entry, b) => {
      const field = `steps[${index}].branches[${b}]`;
      if (entry === step.join) {
        problems.push({ code: 'workflow.parallel_without_join', step: key, field, message: `branch ${b + 1} of "${key}" goes straight to the join "${step.join}": a branch needs at least one step` });
        return;
      }
      const seen = new Set<string>();
      const walk = (k: string): DefinitionProblem | null => {
        if (k === step.join) return null;
        if (k === END) return { code: 'workflow.parallel_without_join', step: key, field, message: `branch ${b + 1} of "${key}" (from "${entry}") can end without reaching the join "${step.join}"` };
        if (seen.has(k)) return null;
        seen.add(k);
        const s = byKey.get(k)!.step;
        if (s.kind === 'parallel') return { code: 'workflow.nested_parallel', step: k, field: `steps[${byKey.get(k)!.index}]`, message: `parallel step "${k}" lies inside a branch of "${key}": parallels cannot be nested` };
        for (const n of next(k)) {
          const p = walk(n);
          if (p) return p;
        }
        return null;
      };
      const p = walk(entry);
      if (p) problems.push(p);
      branchSteps.push({ parallel: key, index, branch: b, steps: seen });
    });
  }
  if (problems.length) return problems;

  // Branches are separate: no step in two branches (it would get two tasks), and nothing outside a parallel leads
  // into one of its branches or its join (the join would wait for arrivals that never come).
  const inside = new Map<string, Set<string>>();
  for (const bs of branchSteps) {
    const all = inside.get(bs.parallel) ?? new Set<string>();
    for (const k of bs.steps) {
      if (all.has(k)) {
        problems.push({ code: 'workflow.branches_overlap', step: k, field: `steps[${bs.index}].branches[${bs.branch}]`, message: `step "${k}" lies in two branches of "${bs.parallel}": each branch needs its own steps` });
      }
      all.add(k);
    }
    inside.set(bs.parallel, all);
  }
  for (const [pKey, steps] of inside) {
    const par = byKey.get(pKey)!.step as ParallelStep;
    const guarded = new Set([...steps, par.join]);
    for (const [from, { step, index }] of byKey) {
      if (from === pKey || steps.has(from)) continue;
      for (const e of edgesOf(step, index)) {
        if (guarded.has(e.to)) {
          problems.push({ code: 'workflow.parallel_entered_outside', step: from, field: e.field, message: `step "${from}" leads to "${e.to}", which belongs to the parallel "${pKey}": only "${pKey}" may lead into its branches and join` });
        }
      }
    }
    if (par.join === def.start) problems.push({ code: 'workflow.parallel_entered_outside', step: null, field: 'start', message: `the start "${def.start}" is the join of "${pKey}"` });
  }
  return problems;
}

/** For each step inside a parallel branch, the key of that parallel step (valid definitions only). */
export function branchOwners(def: DefinitionBody): Map<string, string> {
  const byKey = new Map(def.steps.map((s, i) => [s.key, { step: s, index: i }]));
  const owners = new Map<string, string>();
  for (const s of def.steps) {
    if (s.kind !== 'parallel') continue;
    const stack = [...s.branches];
    while (stack.length) {
      const k = stack.pop()!;
      if (k === s.join || k === END || owners.has(k)) continue;
      owners.set(k, s.key);
      const e = byKey.get(k);
      if (e) stack.push(...edgesOf(e.step, e.index).map((x) => x.to));
    }
  }
  return owners;
}
