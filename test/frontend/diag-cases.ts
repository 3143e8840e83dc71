// Sources outside the subset, one construct each, for the golden diagnostic
// test. Each line of `want` is `line:col CODE message` for one diagnostic.

/** A rejected program and every diagnostic it must produce, in order. */
export interface DiagCase {
  readonly name: string;
  readonly src: string;
  readonly want: readonly string[];
}

const fn = (body: string, params = "x: number"): string => `function f(${params}): number {\n${body}\n}`;

export const DIAG_CASES: readonly DiagCase[] = [
  { name: "class", src: `class A {}`, want: ["1:1 E_TS_UNSUPPORTED unsupported: class declaration at the top level"] },
  { name: "arrow function", src: fn(`  const g = (y: number) => y;\n  return 1;`), want: ["2:13 E_TS_UNSUPPORTED unsupported: arrow function (closures are not in the subset)"] },
  { name: "function expression", src: fn(`  const g = function (y: number) { return y; };\n  return 1;`), want: ["2:13 E_TS_UNSUPPORTED unsupported: function expression (closures are not in the subset)"] },
  { name: "nested function", src: fn(`  function g(y: number): number { return y; }\n  return g(x);`), want: ["2:3 E_TS_UNSUPPORTED unsupported: nested function declaration"] },
  { name: "object literal", src: fn(`  const o = { a: 1 };\n  return 1;`), want: ["2:13 E_TS_UNSUPPORTED unsupported: object literal"] },
  { name: "string", src: fn(`  const s = "a";\n  return 1;`), want: ["2:13 E_TS_UNSUPPORTED unsupported: string"] },
  { name: "template literal", src: fn("  const s = `a${x}`;\n  return 1;"), want: ["2:13 E_TS_UNSUPPORTED unsupported: template literal"] },
  { name: "any parameter", src: `function f(x: any): number { return 1; }`, want: ["1:15 E_TS_UNSUPPORTED unsupported: type any"] },
  { name: "this", src: fn(`  return this.x;`), want: ["2:10 E_TS_UNSUPPORTED unsupported: this"] },
  { name: "new of another class", src: fn(`  const m = new Map();\n  return 1;`), want: ["2:13 E_TS_UNSUPPORTED unsupported: 'new Map' (only new Array(n).fill(v) and new Float64Array(n))"] },
  { name: "throw", src: fn(`  throw x;`), want: ["2:3 E_TS_UNSUPPORTED unsupported: throw (exceptions are not in the subset)"] },
  { name: "try/catch", src: fn(`  try { x = 1; } catch (e) { x = 2; }\n  return x;`), want: ["2:3 E_TS_UNSUPPORTED unsupported: try/catch (exceptions are not in the subset)"] },
  { name: "generator", src: `function* f(x: number): number { yield x; }`, want: ["1:9 E_TS_UNSUPPORTED unsupported: generator function"] },
  { name: "async", src: `async function f(x: number): number { return x; }`, want: ["1:1 E_TS_UNSUPPORTED unsupported: 'async' modifier"] },
  { name: "spread", src: fn(`  const a = [1, 2];\n  return Math.max(...a);`), want: ["3:19 E_TS_UNSUPPORTED unsupported: spread"] },
  { name: "object destructuring", src: fn(`  const { a } = g(x);\n  return a;`), want: ["2:9 E_TS_UNSUPPORTED unsupported: object destructuring"] },
  { name: "array destructuring of a non-call", src: fn(`  const [a, b] = [x, 1];\n  return a;`), want: ["2:9 E_TS_UNSUPPORTED unsupported: destructuring of anything but a call returning a tuple"] },
  { name: "top-level statement", src: `let k = 1;\nfunction f(x: number): number { return x; }`, want: ["1:1 E_TS_UNSUPPORTED unsupported: top-level variable (declare it inside a function)"] },
  { name: "var", src: fn(`  var y = x;\n  return y;`), want: ["2:3 E_TS_UNSUPPORTED unsupported: var (use let or const)"] },
  { name: "switch", src: fn(`  switch (x) { case 1: return 1; }\n  return 0;`), want: ["2:3 E_TS_UNSUPPORTED unsupported: switch statement (use if/else)"] },
  { name: "bitwise operator", src: fn(`  return x | 0;`), want: ["2:12 E_TS_UNSUPPORTED unsupported: operator '|' (bitwise operators are not in the subset)"] },
  { name: "typeof", src: fn(`  const t = typeof x;\n  return 1;`), want: ["2:13 E_TS_UNSUPPORTED unsupported: typeof"] },
  { name: "optional chaining", src: fn(`  const a = [x];\n  return a?.[0];`), want: ["3:10 E_TS_UNSUPPORTED unsupported: optional chaining"] },
  { name: "union type", src: `function f(x: number | undefined): number { return 1; }`, want: ["1:15 E_TS_UNSUPPORTED unsupported: union type"] },
  { name: "default parameter", src: `function f(x: number = 1): number { return x; }`, want: ["1:24 E_TS_UNSUPPORTED unsupported: default parameter value"] },
  { name: "optional parameter", src: `function f(x?: number): number { return 1; }`, want: ["1:12 E_TS_UNSUPPORTED unsupported: optional parameter"] },
  { name: "rest parameter", src: `function f(...xs: number[]): number { return 1; }`, want: ["1:12 E_TS_UNSUPPORTED unsupported: rest parameter"] },
  { name: "untyped parameter", src: `function f(x): number { return 1; }`, want: ["1:12 E_TS_TYPE parameter 'x' needs a type annotation (number, number[] or Float64Array)"] },
  { name: "missing return type", src: `function f(x: number) { return x; }`, want: ["1:10 E_TS_TYPE function 'f' needs a return type annotation (number, number[], Float64Array or a tuple)"] },
  { name: "unknown function", src: fn(`  return foo(x);`), want: ["2:10 E_TS_UNDEFINED unknown function 'foo'"] },
  { name: "unknown method", src: fn(`  const a = [x];\n  a.push(1);\n  return a[0];`), want: ["3:5 E_TS_UNSUPPORTED unsupported: method call '.push()'"] },
  { name: "unknown Math function", src: fn(`  return Math.random() + Math.trunc(x);`), want: ["2:10 E_TS_UNSUPPORTED unsupported: Math.random", "2:26 E_TS_UNSUPPORTED unsupported: Math.trunc"] },
  { name: "Math.hypot with three arguments", src: fn(`  return Math.hypot(x, x, x);`), want: ["2:10 E_TS_UNSUPPORTED unsupported: Math.hypot with more than two arguments (its rounding cannot be reproduced; nest Math.hypot calls)"] },
  { name: "mutating a const", src: fn(`  const y = x;\n  y = 2;\n  y++;\n  return y;`), want: ["3:3 E_TS_TYPE cannot assign to 'y' because it is a constant", "4:3 E_TS_TYPE cannot assign to 'y' because it is a constant"] },
  { name: "use before declaration", src: fn(`  const a = b + 1;\n  const b = 2;\n  return a;`), want: ["2:13 E_TS_UNDEFINED 'b' is used before its declaration"] },
  { name: "undeclared variable", src: fn(`  return y;`), want: ["2:10 E_TS_UNDEFINED 'y' is not defined"] },
  { name: "wrong argument count", src: `function g(a: number, b: number): number { return a + b; }\nfunction f(x: number): number { return g(x) + g(x, x, x); }`, want: ["2:40 E_TS_TYPE 'g' expects 2 arguments, got 1", "2:47 E_TS_TYPE 'g' expects 2 arguments, got 3"] },
  { name: "wrong argument type", src: `function g(a: number[]): number { return a[0]; }\nfunction f(x: number): number { return g(x); }`, want: ["2:42 E_TS_TYPE argument 1 of 'g' must be an array, got a number"] },
  { name: "number as a condition", src: fn(`  if (x) return 1;\n  return x && 1;`), want: ["2:7 E_TS_TYPE a condition must be a boolean (compare numbers explicitly, e.g. x !== 0), got number", "3:12 E_TS_TYPE '&&' needs booleans, got number and number (compare numbers explicitly)"] },
  { name: "boolean arithmetic", src: fn(`  const b = x > 0;\n  return b + 1;`), want: ["3:12 E_TS_TYPE '+' needs numbers, got boolean and number"] },
  { name: "may be used before assignment", src: fn(`  let y: number;\n  if (x > 0) y = 1;\n  return y;`), want: ["4:10 E_TS_UNDEFINED 'y' may be used before it is assigned"] },
  { name: "not all paths return", src: fn(`  if (x > 0) return 1;`), want: ["1:24 E_TS_TYPE function 'f' does not return a value on every path"] },
  { name: "break outside a loop", src: fn(`  break;\n  return x;`), want: ["2:3 E_TS_TYPE 'break' outside a loop"] },
  { name: "continue to a block label", src: fn(`  a: { continue a; }\n  return x;`), want: ["2:8 E_TS_TYPE 'continue a' does not name a loop"] },
  { name: "undefined label", src: fn(`  while (x > 0) { break nope; }\n  return x;`), want: ["2:25 E_TS_UNDEFINED unknown label 'nope'"] },
  { name: "new Array without fill", src: fn(`  const a = new Array(3);\n  return a.length;`), want: ["2:13 E_TS_UNSUPPORTED unsupported: new Array(n) without .fill(v) (arrays with holes are not in the subset)"] },
  { name: "tuple result not destructured", src: `function g(a: number): [number, number] { return [a, a]; }\nfunction f(x: number): number { const t = g(x); return x; }`, want: ["2:43 E_TS_TYPE a tuple result must be destructured: const [a, b] = f(...)"] },
  { name: "wrong tuple arity in return", src: `function g(a: number): [number, number] { return [a, a, a]; }`, want: ["1:50 E_TS_TYPE return needs 2 values (tuple [number, number]), got 3"] },
  { name: "boolean return type", src: `function f(x: number): boolean { return x > 0; }`, want: ["1:24 E_TS_UNSUPPORTED unsupported: type boolean here (parameters and results are number, number[] or Float64Array)"] },
  { name: "duplicate declaration", src: fn(`  let y = 1;\n  let y = 2;\n  return y;`), want: ["3:7 E_TS_TYPE duplicate declaration of 'y'"] },
  { name: "functions as values", src: `function g(a: number): number { return a; }\nfunction f(x: number): number { const h = g; return 1; }`, want: ["2:43 E_TS_UNSUPPORTED unsupported: function 'g' used as a value (functions are not values)"] },
  { name: "slice with arguments", src: fn(`  const a = [x, 1];\n  return a.slice(1)[0];`), want: ["3:10 E_TS_UNSUPPORTED unsupported: slice with arguments (only a.slice() to copy a whole array)"] },
  { name: "nullish coalescing", src: fn(`  return x ?? 1;`), want: ["2:12 E_TS_UNSUPPORTED unsupported: operator '??' (nullish operators are not in the subset)"] },
  { name: "syntax error", src: `function f(x: number): number { return x +; }`, want: ["1:43 E_TS_SYNTAX Expression expected."] },
  { name: "several errors are reported together", src: `function f(x: number): number {\n  const s = "a";\n  return y;\n}\nfunction g(a): number { return 1; }`, want: ["2:13 E_TS_UNSUPPORTED unsupported: string", "3:10 E_TS_UNDEFINED 'y' is not defined", "5:12 E_TS_TYPE parameter 'a' needs a type annotation (number, number[] or Float64Array)"] },
];
