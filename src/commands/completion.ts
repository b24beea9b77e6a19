/** `papers completion bash|zsh|fish`: a completion script made from the commands themselves. */
import * as registry from 'papers:commands';
import { GLOBAL_OPTIONS } from '../cmdutil/globals.js';
import { argument } from '../cmdutil/options.js';
import { defineCommand, type AnyCommandSpec } from '../cmdutil/spec.js';
import { UsageError } from '../errors.js';
import { SHELLS, completionOption, completionTree, renderCompletion, type Shell } from '../render/completion.js';

export default defineCommand({
  name: 'completion',
  summary: 'print a shell completion script (bash, zsh or fish): commands, options, choices',
  access: 'read',
  args: { shell: argument('<shell>', `the shell: ${SHELLS.join(', ')}`) },
  examples: [
    'eval "$(papers completion bash)"          # in ~/.bashrc',
    'eval "$(papers completion zsh)"           # in ~/.zshrc',
    'papers completion fish > ~/.config/fish/completions/papers.fish',
  ],
  async run(ctx, o) {
    if (!(SHELLS as readonly string[]).includes(o.shell)) {
      throw new UsageError(`no completion for ${JSON.stringify(o.shell)}`, { hint: `papers completion bash|zsh|fish` });
    }
    const mods = await Promise.all(registry.names.map((n) => registry.load(n)));
    const specs = mods.map((m) => m?.default).filter((s): s is AnyCommandSpec => !!s);
    const globals = [
      ...GLOBAL_OPTIONS.map((g) => completionOption(g.flags, g.description)),
      completionOption('-V, --version', 'print the version'),
      completionOption('-h, --help', 'display help'),
    ];
    ctx.io.stdout.write(renderCompletion(o.shell as Shell, specs.map(completionTree), globals));
    return 0;
  },
});
