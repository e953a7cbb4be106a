/**
 * Babel plugin for ES-module packages compiled to CommonJS under Jest: removes
 * `const require = createRequire(import.meta.url)`, which would shadow (and, once compiled,
 * break) the module's own CommonJS `require`.
 */
module.exports = function dropCreateRequire() {
  return {
    name: 'drop-create-require',
    visitor: {
      VariableDeclarator(path) {
        const { id, init } = path.node;
        const isCreateRequire =
          id.type === 'Identifier' &&
          id.name === 'require' &&
          init?.type === 'CallExpression' &&
          init.callee.type === 'Identifier' &&
          init.callee.name === 'createRequire';
        if (isCreateRequire) path.remove();
      },
    },
  };
};
