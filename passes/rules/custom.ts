// The registry of user-supplied derivative rules (`registerRule`), for
// externs (black boxes) and for functions of the module (like JAX's
// custom_jvp / custom_vjp). AD passes ask it whether a callee has a rule; the
// runtime binding of the rule happens when a module is compiled (api/). A
// rule is plain JavaScript over numbers, one direction at a time.

/** JVP rule: primal arguments and one tangent per argument -> [results..., tangents...]. */
export type JvpRuleFn = (args: readonly number[], tangents: readonly number[]) => readonly number[];
/** VJP rule: primal arguments and one cotangent per result -> [results..., cotangents per argument...]. */
export type VjpRuleFn = (args: readonly number[], cotangents: readonly number[]) => readonly number[];
/** Sparsity rule: for each result, the argument indices it depends on. */
export type SparsityRuleFn = (arity: number) => readonly (readonly number[])[];

export interface CustomRule {
  readonly jvp?: JvpRuleFn;
  readonly vjp?: VjpRuleFn;
  readonly sparsity?: SparsityRuleFn;
}

const RULES = new Map<string, CustomRule>();

/** Registers (or replaces, field by field) the rules of function `name`. */
export function registerRule(name: string, rule: CustomRule): void {
  RULES.set(name, { ...RULES.get(name), ...rule });
}

/** Removes every rule of `name` (tests use this to restore the registry). */
export function unregisterRule(name: string): void {
  RULES.delete(name);
}

/** The rules registered for `name`, if any. */
export function customRule(name: string): CustomRule | undefined {
  return RULES.get(name);
}
