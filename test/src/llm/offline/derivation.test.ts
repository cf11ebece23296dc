import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rootOf } from '../../../../src/llm/offline/derivation.ts';
import { ToolIndex } from '../../../../src/llm/offline/toolIndex.ts';
import { queryOf } from '../../../../src/llm/offline/toolIndex.ts';
import { nameCoverage } from '../../../../src/llm/offline/choose.ts';
import { stem } from '../../../../src/llm/offline/tokenize.ts';

const rooted = (word: string) => rootOf(stem(word));

describe('rootOf', () => {
  it('gives derived forms of one word one root', () => {
    assert.equal(rooted('discoverer'), rooted('discovered'));
    assert.equal(rooted('similarity'), rooted('similar'));
    assert.equal(rooted('genetically'), rooted('genetic'));
    assert.equal(rooted('significance'), rooted('significant'));
  });

  it('keeps short roots whole, so unrelated words stay apart', () => {
    assert.notEqual(rooted('statistical'), rooted('state'));
    assert.equal(rootOf('2022'), '2022');
  });
});

describe('derived forms in the tool index', () => {
  const index = new ToolIndex([
    {
      type: 'function',
      function: {
        name: 'discoverer_get',
        description: 'Retrieve the name of the discoverer of an element based on its name.',
        parameters: { type: 'object', properties: { element_name: { type: 'string' } } },
      },
    },
  ]);

  it('counts a request word that the tool names in another form as a name hit', () => {
    const [scored] = index.rank(queryOf('Who discovered radium?'));
    assert.ok(scored && scored.relevance > 0);
    assert.equal(scored.nameHits, 1);
  });

  it('covers the name of a tool said in another form', () => {
    assert.equal(nameCoverage(index.tools[0]!, queryOf('Who discovered radium?')), 1);
  });
});
