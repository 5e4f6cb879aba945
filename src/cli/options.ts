/** The command line of each `hedgebook` command read one argument at a time (pure; args.ts and
 *  share-args.ts decide what each means). `--name=value` and `--name value` both give a value;
 *  a value never starts with `--`. */

export interface Arg {
  /** The argument as given. */
  readonly arg: string;
  /** `--html` for both `--html OUT` and `--html=OUT`; the argument itself otherwise. */
  readonly name: string;
  /** Whether it came as `--name=value`. */
  readonly inline: boolean;
  /** The option's value (consuming the next argument when not inline), or null if none. */
  value(): string | null;
}

export function* eachArg(rest: readonly string[]): Generator<Arg> {
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    yield {
      arg,
      name: eq >= 0 ? arg.slice(0, eq) : arg,
      inline: eq >= 0,
      value: () => {
        if (eq >= 0) return arg.slice(eq + 1) || null;
        const next = rest[i + 1];
        if (next === undefined || next.startsWith('--')) return null;
        i++;
        return next;
      },
    };
  }
}
