// The command line's grammar: which options each command takes, which of them need a value (and what kind),
// and the errors for anything else — an unknown option (with the nearest known one), a value missing or given to
// a switch, a stray argument. Nothing a user types is silently ignored.

export interface CommandSpec {
  /** Options that take a value, with what the value is (for messages). */
  readonly values: Readonly<Record<string, string>>;
  /** Options that are switches. */
  readonly switches: readonly string[];
  /** How many positional arguments after the command (the module). */
  readonly positionals: number;
}

export interface ParsedArgs {
  readonly positional: string[];
  readonly flags: Map<string, string | true>;
}

/** Levenshtein distance, for "did you mean". */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  return d[a.length]![b.length]!;
}

/** Parses the arguments after the command name; `what` prefixes every error (e.g. 'lensc build'). */
export function parseCommandArgs(what: string, argv: readonly string[], spec: CommandSpec): ParsedArgs {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  const known = [...Object.keys(spec.values), ...spec.switches];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-h') {
      flags.set('help', true);
      continue;
    }
    if (!a.startsWith('-') || a === '-') {
      if (positional.length >= spec.positionals)
        throw new Error(
          `${what}: unexpected argument '${a}' (it takes ${spec.positionals === 1 ? 'one module' : `${spec.positionals} arguments`}; options start with --)`,
        );
      positional.push(a);
      continue;
    }
    if (!a.startsWith('--'))
      throw new Error(`${what}: unknown option '${a}' (options: ${known.map((k) => `--${k}`).join(', ')}, -h)`);
    const eq = a.indexOf('=');
    const name = a.slice(2, eq < 0 ? undefined : eq);
    if (spec.switches.includes(name)) {
      if (eq >= 0) throw new Error(`${what}: --${name} is a switch and takes no value, got '${a}'`);
      flags.set(name, true);
    } else if (name in spec.values) {
      const v = eq >= 0 ? a.slice(eq + 1) : argv[i + 1];
      if (v === undefined || v === '' || (eq < 0 && v.startsWith('--')))
        throw new Error(`${what}: --${name} needs a value (${spec.values[name]})`);
      if (eq < 0) i++;
      flags.set(name, v);
    } else {
      const near = known.map((k) => [k, distance(name, k)] as const).sort((x, y) => x[1] - y[1])[0];
      const hint = near && near[1] <= 2 ? `did you mean --${near[0]}? ` : '';
      throw new Error(`${what}: unknown option '--${name}' (${hint}options: ${known.map((k) => `--${k}`).join(', ')})`);
    }
  }
  return { positional, flags };
}
