// The public API of deriv (DESIGN.md §4): re-exports only.

export type { Block, BlockId, Edge, Extern, Func, Inst, Module, SourceLoc, Terminator, Type, ValueId } from "./ir/types.js";
export { OPS, OPCODES, type Opcode, type OpTable } from "./ir/ops.js";
export { DerivError, ParseError, UnsupportedError, VerifyError, PipelineError, DerivRuntimeError, ERROR_CODES, type ErrorCode, type Diagnostic } from "./ir/errors.js";
export { FuncBuilder } from "./ir/builder.js";
export { printIR } from "./ir/printer.js";
export { parseIR } from "./ir/parser.js";
export { verify } from "./ir/verifier.js";
export { interpret } from "./ir/interpreter.js";
export { parseTS } from "./frontend/index.js";
export { compile, emitJS } from "./backend/index.js";
export { runPipeline } from "./passes/pipeline.js";
export { registerPass } from "./passes/registry.js";
export type { Pass, PassContext, OptionSpec } from "./passes/pass.js";
export { registerRule, type CustomRule } from "./passes/rules/custom.js";
export { jvp } from "./api/forward.js";
export { vjp, grad } from "./api/reverse.js";
export { jacobian, type JacobianOptions } from "./api/jacobian.js";
export { hessian, hvp } from "./api/second-order.js";
export type { ApiOptions } from "./api/source.js";
export { flops, flopFormula } from "./api/flops.js";
export { tapeSize, type TapeFormula } from "./api/tape.js";
export { sparsity, sparseJacobian, sparseHessian, type CSC } from "./api/sparse.js";
