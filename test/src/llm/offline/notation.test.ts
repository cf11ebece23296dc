import assert from 'node:assert/strict';
import { test } from 'node:test';
import { arrowsAsColons, thingsWanted, withoutCountingLead } from '../../../../src/llm/offline/notation.ts';

test('an arrow after the identifier a clause opens with reads as a colon', () => {
  assert.equal(
    arrowsAsColons('INC0010007 -> urgency high; INC0010016 -> assign to Ann'),
    'INC0010007: urgency high; assign INC0010016 to Ann',
  );
  assert.equal(arrowsAsColons('- ORD-1001 => refund\n- ORD-1002 → ship'), '- ORD-1001: refund\n- ORD-1002: ship');
});

test('an identifier before the verb it is the object of goes after it', () => {
  assert.equal(arrowsAsColons('INC0010016 -> assign to Ann'), 'assign INC0010016 to Ann');
  assert.equal(arrowsAsColons('INC0010007: urgency high'), 'INC0010007: urgency high');
});

test('a lead that only counts what follows is no part of it', () => {
  assert.equal(withoutCountingLead('Two things please: close A1 and call Bo'), 'close A1 and call Bo');
  assert.equal(withoutCountingLead('A couple of quick questions: who is on call?'), 'who is on call?');
  for (const text of ['Two numbers: 4 and 5', 'Summarise this: two things went wrong']) assert.equal(withoutCountingLead(text), text);
});

test('other arrows are left as written', () => {
  for (const text of ['convert 5 -> 10', 'Paris -> Rome by train', 'A -> B']) assert.equal(arrowsAsColons(text), text);
});

test('a thing asked for with a please and no verb is a want for a new one', () => {
  assert.equal(thingsWanted('the projector is dead again. ticket pls'), 'the projector is dead again. I need a ticket');
  assert.equal(thingsWanted('outlook crashed, new ticket please'), 'outlook crashed. I need a new ticket');
  assert.equal(thingsWanted('the printer jams, need a ticket'), 'the printer jams. I need a ticket');
  for (const text of ['help pls', 'thanks please', 'close it please', 'Could you open one please']) assert.equal(thingsWanted(text), text);
});
