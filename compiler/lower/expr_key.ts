// Moved to compiler/loop/expr_key.ts; this re-export keeps older imports working while parallel
// branches land (delete once nothing imports it).
export { exprKey } from '../loop/expr_key.ts';
