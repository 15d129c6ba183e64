'use strict';
/**
 * Generated code passes `prettier --check` whatever the domain's name: a long name wraps lines a
 * short one does not, so the files are formatted here with the project's own Prettier settings.
 */
const { resolve } = require('node:path');

function formatFiles(paths) {
  return async (tree) => {
    const prettier = require('prettier');
    for (const path of paths) {
      const relative = path.replace(/^\//, '');
      if (!tree.exists(relative)) continue;
      const filepath = resolve(process.cwd(), relative);
      const config = (await prettier.resolveConfig(filepath)) ?? {};
      const text = tree.readText(relative);
      const formatted = await prettier.format(text, { ...config, filepath });
      if (formatted !== text) tree.overwrite(relative, formatted);
    }
  };
}

module.exports = { formatFiles };
