import assert from 'node:assert/strict';
import { createSearchAgent } from '../../../servers/search/index.ts';
import { describeAgentContract } from '../../helpers/agentContract.ts';

describeAgentContract({
  name: 'search',
  create: () => createSearchAgent(),
  sample: {
    tool: 'web_search',
    args: { query: 'outlook keeps asking for my password', max_results: 3 },
    check: (s) => {
      assert.equal(s['backend'], 'local');
      assert.equal((s['results'] as unknown[]).length, 3);
    },
  },
  badArgs: {
    web_search: { query: 7, max_results: 'five', topic: 'sports' },
    fetch_article: { url: { href: 'x' } },
  },
});
