/** Import boundaries of DESIGN.md, checked in `npm run check`. */
module.exports = {
  forbidden: [
    { name: 'no-cycles', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'src-is-the-core',
      comment: 'src/ never imports servers/, graphs/ or scripts/.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(servers|graphs|scripts)/' },
    },
    {
      name: 'servers-use-src-only',
      comment: 'An agent server is built with src/; it never reaches into graphs/ or scripts/ or another agent.',
      severity: 'error',
      from: { path: '^servers/([^/]+)/' },
      to: { path: '^(graphs|scripts)/|^servers/(?!$1/)[^/]+/' },
    },
    {
      name: 'graphs-before-scripts',
      severity: 'error',
      from: { path: '^graphs/' },
      to: { path: '^(scripts|servers)/' },
    },
    {
      name: 'mcp-and-orchestrator-apart',
      comment: 'The kit (src/mcp) and the orchestrator never import each other.',
      severity: 'error',
      from: { path: '^src/mcp/' },
      to: { path: '^src/(orchestrator|service)/' },
    },
    {
      name: 'orchestrator-not-kit',
      severity: 'error',
      from: { path: '^src/orchestrator/' },
      to: { path: '^src/mcp/' },
    },
    {
      name: 'inner-layers-stay-inner',
      comment: 'config, errors, telemetry, store, llm and agent do not import the outer layers.',
      severity: 'error',
      from: { path: '^src/(config|telemetry|store|llm|agent)/|^src/errors\\.ts$' },
      to: { path: '^src/(mcp|orchestrator|service)/' },
    },
    {
      name: 'runtime-needs-runtime-deps',
      comment: 'What a production install runs imports only "dependencies": a devDependency (ajv, prettier) is absent there.',
      severity: 'error',
      from: { path: '^(src|servers|graphs)/|^scripts/(agent|agents|orchestrate|serve)\\.ts$|^scripts/lib/' },
      to: { dependencyTypes: ['npm-dev', 'npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'not-to-test',
      severity: 'error',
      from: { pathNot: '^test/' },
      to: { path: '^test/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
      extensions: ['.ts', '.js', '.json'],
    },
  },
};
