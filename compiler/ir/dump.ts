// Readable text form of the graph IR (`lensc explain --ir`). Nodes are numbered in topological
// order, so two graphs with the same structure print the same text whatever their node ids.
import { topoOrder, type Graph, type Node, type Op } from './graph.ts';
import { shapeToString } from './size.ts';
import { formatLoc } from './source.ts';

function attrs(op: Op): string {
  switch (op.kind) {
    case 'param':
    case 'size':
      return ` ${op.name}`;
    case 'const':
      return ` ${Number.isInteger(op.value) ? op.value : op.value.toPrecision(17)}`;
    case 'iota':
      return ` axis=${op.axis}`;
    case 'unary':
    case 'binary':
      return ` ${op.fn}`;
    case 'broadcast':
      return ` axes=[${op.axes}]`;
    case 'reduce':
      return ` ${op.fn} axes=[${op.axes}]`;
    case 'matmul':
      return `${op.transA ? ' transA' : ''}${op.transB ? ' transB' : ''}`;
    case 'transpose':
      return ` perm=[${op.perm}]`;
    case 'slice':
      return ` starts=[${op.starts.map(String).join(', ')}]`;
    case 'concat':
      return ` axis=${op.axis}`;
    case 'scan':
      return ` carries=${op.nCarry}${op.reverse ? ' reverse' : ''}`;
    case 'result':
      return ` #${op.index}`;
    case 'triSolve':
      return op.transpose ? ' transpose' : '';
    case 'fft':
      return op.inverse ? ' inverse' : '';
    default:
      return '';
  }
}

export interface DumpOptions {
  locations?: boolean;
  indent?: string;
}

export function dumpNodes(roots: readonly Node[], names: Map<Node, string>, opts: DumpOptions = {}): string[] {
  const ind = opts.indent ?? '  ';
  const lines: string[] = [];
  for (const n of topoOrder(roots)) {
    if (names.has(n)) continue;
    const name = `%${names.size}`;
    names.set(n, name);
    const args = n.inputs.map((i) => names.get(i)!).join(', ');
    const type =
      n.op.kind === 'scan'
        ? `(${n.op.results.map((r) => `${r.dtype}${shapeToString(r.shape)}`).join(', ')})`
        : `${n.dtype}${shapeToString(n.shape)}`;
    const where = opts.locations && n.loc ? `   @ ${formatLoc(n.loc)}` : '';
    lines.push(`${ind}${name} = ${n.op.kind}${attrs(n.op)}${args ? ` ${args}` : ''} : ${type}${where}`);
    if (n.op.kind === 'scan') {
      // One name table for the whole dump: a value the body closes over is defined once, where it
      // is first needed, and every %name stays unique.
      const body = n.op.body;
      lines.push(`${ind}  body(${body.params.map((p) => p.name).join(', ')}) {`);
      lines.push(
        ...dumpNodes(
          body.outputs.map((o) => o.node),
          names,
          { ...opts, indent: ind + '    ' },
        ),
      );
      lines.push(`${ind}    yield ${body.outputs.map((o) => names.get(o.node)).join(', ')}`);
      lines.push(`${ind}  }`);
    }
  }
  return lines;
}

export function dumpGraph(g: Graph, opts: DumpOptions = {}): string {
  const names = new Map<Node, string>();
  const params = g.params.map((p) => {
    const k = p.kind;
    return `${p.name}: ${k.kind === 'array' ? `${k.dtype}${shapeToString(k.shape)}` : k.kind === 'scalar' ? k.dtype : `sizes(${k.names.join(', ')})`}`;
  });
  const body = dumpNodes(
    g.outputs.map((o) => o.node),
    names,
    opts,
  );
  const outs = g.outputs.map((o) => `${o.name} = ${names.get(o.node)}`).join(', ');
  return [`kernel ${g.name}(${params.join(', ')}) {`, ...body, `  return ${outs}`, '}'].join('\n');
}
