import assert from 'node:assert/strict';
import { createAnalysisAgent } from '../../../servers/analysis/index.ts';
import { describeAgentContract } from '../../helpers/agentContract.ts';

describeAgentContract({
  name: 'analysis',
  create: async () => createAnalysisAgent(),
  sample: {
    tool: 'analyze_sentiment',
    args: { text: 'Thanks a lot, the new laptop works perfectly.' },
    check: (s) => assert.equal(s['label'], 'positive'),
  },
  badArgs: {
    analyze_sentiment: { text: 42 },
    extract_entities: { text: ['a'] },
    summarize: { text: 'One. Two.', max_sentences: 'three' },
    analyze_text: { text: 'Hello there.', analyses: ['telepathy'] },
  },
});
