// The bench drivers' command lines (node.mjs, chromium.mjs): `--flag value` or `--flag=value`
// for options with a value, bare switches for the others, --help/-h for the usage; unknown
// arguments and a --threads that is not a positive integer end the process with the usage.

import process from 'node:process';

/**
 * Options from `argv` over `defaults`. `flags` maps each flag to [key, kind]: kind String or
 * Number (takes a value), or a boolean (a switch that sets the key to it). `usage(code)` prints
 * the usage and exits; `prog` names the driver in errors.
 */
export function parseOptions(prog, argv, defaults, flags, usage) {
  const opts = { ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].includes('=') ? argv[i].split(/=(.*)/s) : [argv[i], undefined];
    if (flag === '--help' || flag === '-h') usage(0);
    if (!Object.prototype.hasOwnProperty.call(flags, flag)) {
      console.error(`${prog}: unknown argument '${argv[i]}'`);
      usage(2);
    }
    const [key, kind] = flags[flag];
    if (typeof kind === 'boolean') {
      opts[key] = kind;
    } else {
      const value = inline !== undefined ? inline : argv[++i];
      opts[key] = kind === Number ? Number(value) : value;
    }
  }
  if (!Number.isInteger(opts.threads) || opts.threads < 1) {
    console.error(`${prog}: --threads needs a positive integer`);
    process.exit(2);
  }
  return opts;
}
